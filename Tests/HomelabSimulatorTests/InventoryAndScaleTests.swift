import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("The written inventory and the generated scale homelab")
struct InventoryAndScaleTests {
    @Test("--write-config's homelab.yaml loads, keeps the topology and points Docker at the simulation")
    func writtenInventoryLoads() async throws {
        try await withSimulation { sim in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-\(UUID().uuidString).yaml").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try sim.simulation.writeConfig(to: path)
            let loaded = try InventoryLoader.load(path: path)
            let original = try InventoryLoader.load(path: SimulatorHarness.exampleInventory)
            #expect(loaded.name == original.name)
            #expect(loaded.nodes.map(\.name) == original.nodes.map(\.name))
            #expect(loaded.nodes.allSatisfy { $0.address.hasPrefix("127.") }, "nodes are on loopback")
            #expect(loaded.stacks == original.stacks)
            #expect(loaded.tiers == original.tiers)
            #expect(Set(loaded.components.keys) == [.docker, .truenas, .proxmox, .komodo, .caddy, .matchbox, .authentik, .onepassword, .forgejo, .woodpecker, .prometheus])
            #expect(loaded.protectedTiers == original.protectedTiers)
            #expect(loaded.components[.proxmox]?.endpoint?.usesTLS == true, "Proxmox is simulated over https only")
            #expect(loaded.components[.truenas]?.endpoint?.usesTLS == true, "TrueNAS is simulated over https only")
            #expect(loaded.nodes.first { $0.name == "ching" }?.proxmox == original.nodes.first { $0.name == "ching" }?.proxmox)
            #expect(loaded.components[.docker]?.endpoint == .unixSocket(sim.simulation.endpoints.dockerSocket))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let notSimulated = text.split(separator: "\n").first { $0.hasPrefix("# Not simulated yet") } ?? ""
            #expect(![" proxmox", " truenas", " komodo", " caddy", " matchbox", " authentik", " onepassword", " forgejo", " woodpecker", " prometheus"]
                .contains { notSimulated.contains($0) }, "\(notSimulated)")
            // And the endpoint it names answers.
            let client = HTTPClient(
                transport: sim.transport, endpoint: try #require(loaded.components[.docker]?.endpoint), component: "docker",
                middleware: [])
            #expect(try await client.send(HTTPRequest(path: "/_ping")).text == "OK")
        }
    }

    @Test("Awkward names and values survive the YAML round trip")
    func quoting() throws {
        let homelab = Homelab(
            name: "lab \"quoted\" #1: yes",
            nodes: [Homelab.Node(name: "n1", role: .manager, platform: .bareMetal, address: "10.0.0.1", labels: ["a:b": "x, y"], isLeader: true)],
            tiers: ["base"],
            stacks: [Homelab.Stack(name: "s", tier: "base", services: [
                Homelab.Service(name: "svc", stack: "s", tier: "base", image: "registry.home.arpa:5000/img:1.0", mode: .global,
                                  healthURL: "http://svc:80/health?a=1&b=#x")
            ])])
        let loaded = try InventoryLoader.load(yaml: InventoryWriter.yaml(for: homelab))
        #expect(loaded == homelab)
    }

    @Test("Scale sizes parse; bad ones are refused", arguments: [("nodes=100,services=2000", 100, 2000), ("services=7", 5, 7), ("nodes=1", 1, 30)])
    func sizes(_ text: String, _ nodes: Int, _ services: Int) throws {
        #expect(try ScaleGenerator.Size(parsing: text) == ScaleGenerator.Size(nodes: nodes, services: services))
    }

    @Test("Malformed scale sizes are refused", arguments: ["nodes", "nodes=0", "pods=3", "services=many"])
    func badSizes(_ text: String) {
        #expect(throws: HomelabError.self) { try ScaleGenerator.Size(parsing: text) }
    }

    @Test("The generated homelab is a valid inventory", arguments: [(1, 1), (3, 45), (100, 2000)])
    func generatedIsValid(_ nodes: Int, _ services: Int) throws {
        let homelab = ScaleGenerator.homelab(ScaleGenerator.Size(nodes: nodes, services: services))
        #expect(homelab.nodes.count == nodes && homelab.services.count == services)
        let loaded = try InventoryLoader.load(yaml: InventoryWriter.yaml(for: homelab))
        #expect(loaded == homelab)
    }

    @Test("100 nodes and 2,000 services: every service listed with its status (prints the listing time)")
    func scaleListing() async throws {
        let homelab = ScaleGenerator.homelab(ScaleGenerator.Size(nodes: 100, services: 2000))
        try await withSimulation(homelab: homelab) { sim in
            let request = HTTPRequest(path: "/v1.47/services?status=true")
            var services: [Swarm.Service] = []
            var times: [Duration] = []
            for _ in 0..<11 {
                let start = ContinuousClock.now
                let response = try await sim.docker.send(request)
                times.append(ContinuousClock.now - start)
                services = try sim.docker.decode([Swarm.Service].self, from: response, for: request)
            }
            #expect(services.count == 2000)
            #expect(services.allSatisfy { $0.serviceStatus?.runningTasks == $0.serviceStatus?.desiredTasks && ($0.serviceStatus?.desiredTasks ?? 0) > 0 })
            let counts = await sim.world.counts()
            #expect(counts.nodes == 100)
            print("listing 2000 services with status over the unix socket: median \(times.sorted()[times.count / 2]) of \(times.count) (\(counts.tasks) tasks)")
        }
    }
}
