import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("matchbox client against the simulated matchbox")
struct MatchboxSimulatorTests {
    /// The example homelab simulated, matchbox's client and data directory through the written inventory's entry.
    static func withMatchbox(_ body: (SimulatorHarness, MatchboxClient, MatchboxDataDirectory) async throws -> Void) async throws {
        let harness = try await SimulatorHarness.start()
        do {
            let connections = HomelabConnections(
                homelab: harness.simulation.homelab, transport: harness.transport, secrets: CompositeSecretResolver(environment: [:]),
                sshLogin: nil)
            let client = try await connections.matchbox()
            let directory = try connections.matchboxDirectory()
            try await body(harness, client, directory)
            await connections.close()
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    @Test("each bare-metal node's MAC gets its profile's iPXE script; an unknown MAC is matchbox's 404")
    func ipxe() async throws {
        try await Self.withMatchbox { harness, client, directory in
            #expect(try await client.ping())
            #expect(try await client.bootScript().contains("chain ipxe?uuid=${uuid}&mac=${mac:hexhyp}"))
            let lorcha = try await client.ipxe(.init(mac: "52-54-00-A1-00-21"))
            #expect(lorcha.kernel == "/assets/debian/bookworm/linux")
            #expect(lorcha.initrd == ["/assets/debian/bookworm/initrd.gz"])
            #expect(lorcha.args.contains("url=http://10.0.0.10:8080/generic?mac=${mac:hexhyp}"))
            #expect(lorcha.text.hasSuffix("initrd /assets/debian/bookworm/initrd.gz\nboot\n"))
            let dhow = try await client.ipxe(.init(mac: "52:54:00:a1:00:22"))
            #expect(dhow.kernel == "/assets/talos/v1.11.5/vmlinuz-amd64")
            do {
                _ = try await client.ipxe(.init(mac: "52:54:00:00:00:99"))
                Issue.record("an unknown MAC was answered")
            } catch let error as HomelabError {
                #expect(error.code == .notFound)
                #expect(error.message.contains("mac=52:54:00:00:00:99"))
            }
            let data = try await directory.load()
            #expect(data.validate().filter { $0.severity == .error }.isEmpty, "\(data.validate())")
            for node in harness.simulation.homelab.nodes where node.mac != nil {
                #expect(data.which(["mac": node.mac ?? ""]).chosen?.id == node.name)
            }
        }
    }

    @Test("generic templates render with the group's metadata; metadata as KEY=value; os=installed picks the more specific group")
    func templatesAndMetadata() async throws {
        try await Self.withMatchbox { _, client, _ in
            let preseed = try await client.generic(.init(mac: "52:54:00:a1:00:21"))
            #expect(preseed.contains("d-i netcfg/get_hostname string lorcha"))
            #expect(preseed.contains("echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISimulatedKeyForHomelab ops@homelab'"))
            let talos = try await client.generic(.init(mac: "52:54:00:a1:00:22"))
            #expect(talos.contains("hostname: dhow"))
            let metadata = try await client.metadata(.init(mac: "52:54:00:a1:00:21", os: "installed"))
            #expect(metadata["HOSTNAME"] == "lorcha")
            #expect(metadata["OS"] == "installed")
            #expect(metadata["REQUEST_QUERY_MAC"] == "52:54:00:a1:00:21")
            #expect(metadata["REQUEST_RAW_QUERY"]?.hasSuffix("&os=installed") == true)
            let installed = try await client.generic(.init(mac: "52:54:00:a1:00:21", os: "installed"))
            #expect(installed == "HOSTNAME=lorcha\nINSTALLED=true\n")
            await #expect(throws: HomelabError.self) { _ = try await client.ipxe(.init(mac: "52:54:00:a1:00:21", os: "installed")) }
        }
    }

    @Test("a group written into the data directory is served at once, as matchbox re-reads its files")
    func liveWrites() async throws {
        try await Self.withMatchbox { _, client, directory in
            try await directory.write(Matchbox.Group(id: "spare", profile: "talos-v1.11.5", selector: ["mac": "52:54:00:00:00:99"], metadata: ["hostname": .string("spare")]))
            #expect(try await client.ipxe(.init(mac: "52:54:00:00:00:99")).kernel == "/assets/talos/v1.11.5/vmlinuz-amd64")
            #expect(try await client.generic(.init(mac: "52:54:00:00:00:99")).contains("hostname: spare"))
            try await directory.removeGroup("spare")
            await #expect(throws: HomelabError.self) { _ = try await client.ipxe(.init(mac: "52:54:00:00:00:99")) }
        }
    }

    @Test("the written inventory names matchbox's URL and data directory, and keeps the MACs and the pxe: block")
    func writtenInventory() async throws {
        try await Self.withMatchbox { harness, _, _ in
            let path = NSTemporaryDirectory() + "matchbox-sim-\(UUID().uuidString.prefix(8)).yaml"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try harness.simulation.writeConfig(to: path)
            let reloaded = try InventoryLoader.load(path: path)
            #expect(reloaded.components[.matchbox]?.configPath == harness.simulation.matchboxDataPath)
            #expect(reloaded.node(named: "lorcha")?.mac == "52:54:00:a1:00:21")
            #expect(reloaded.pxe == harness.simulation.homelab.pxe.map { var copy = $0; copy.marks = reloaded.pxe?.marks ?? [:]; return copy })
        }
    }
}
