import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@Suite("bare-metal provisioning")
struct BareMetalProvisioningTests {
    struct Setup {
        let matchbox: DataDirectoryFixture
        let node: TemporaryFolder
        let homelab: Homelab
        let provisioning: BareMetalProvisioning
        var dnsmasqPath: String { node.file("dnsmasq.conf") }

        init(tftpFiles: [String] = ["undionly.kpxe", "ipxe.efi"]) throws {
            matchbox = try DataDirectoryFixture()
            node = try TemporaryFolder(prefix: "dnsmasq-node")
            let tftp = node.file("tftp")
            try FileManager.default.createDirectory(atPath: tftp, withIntermediateDirectories: true)
            for file in tftpFiles { try "ipxe".write(toFile: tftp + "/" + file, atomically: true, encoding: .utf8) }
            homelab = try InventoryLoader.load(
                yaml: PXEInventory.replacing("tftp_root: /srv/tftp", with: "tftp_root: \(tftp)"), file: "lab.yaml")
            provisioning = BareMetalProvisioning(
                homelab: homelab, matchbox: MatchboxDataDirectory(store: LocalPXEFileStore(), root: matchbox.root),
                dnsmasq: (LocalPXEFileStore(), node.file("dnsmasq.conf")))
        }

        func request(_ name: String, _ os: BareMetalProvisioning.OperatingSystem = .debian) throws -> BareMetalProvisioning.Request {
            .init(node: try #require(homelab.node(named: name)), operatingSystem: os, authorizedKeys: ["ssh-ed25519 AAAAtest ops@lab"])
        }
    }

    @Test("a dry run shows every file as a diff and writes nothing; --apply writes them; a second run changes nothing")
    func dryRunThenApply() async throws {
        let setup = try Setup()
        let plan = try await setup.provisioning.plan(try setup.request("lorcha"))
        #expect(plan.isValid, "\(plan.matchboxIssues) \(plan.dnsmasqIssues)")
        #expect(plan.files.map(\.path) == ["profiles/debian-bookworm-install.json", "groups/lorcha.json", "generic/debian-preseed.cfg", setup.dnsmasqPath])
        #expect(plan.files.allSatisfy { $0.before == nil && $0.changes })
        let groupDiff = try #require(plan.files.first { $0.path == "groups/lorcha.json" }?.diff)
        #expect(groupDiff.hasPrefix("--- /dev/null\n+++ b/groups/lorcha.json\n@@ -0,0 +1,"))
        #expect(groupDiff.contains("+    \"mac\" : \"52:54:00:a1:00:21\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.matchbox.root).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: setup.dnsmasqPath))

        let written = try await setup.provisioning.apply(plan)
        #expect(written.count == 4)
        let data = try await MatchboxDataDirectory(store: LocalPXEFileStore(), root: setup.matchbox.root).load()
        #expect(data.which(["mac": "52-54-00-A1-00-21"]).chosen?.profile == "debian-bookworm-install")
        let dnsmasq = try String(contentsOfFile: setup.dnsmasqPath, encoding: .utf8)
        #expect(dnsmasq.contains("dhcp-host=52:54:00:a1:00:21,set:homelab"))
        let preseed = try Matchbox.Template(#require(data.templates["generic/debian-preseed.cfg"]), name: "p")
            .render(Matchbox.templateData(group: #require(data.groupFiles["lorcha"]), query: [("mac", "52:54:00:a1:00:21")]))
        #expect(preseed.contains("d-i netcfg/get_hostname string lorcha"))
        #expect(preseed.contains("echo 'ssh-ed25519 AAAAtest ops@lab' >> /target/home/root/.ssh/authorized_keys; \\\n"))

        let again = try await setup.provisioning.plan(try setup.request("lorcha"))
        #expect(again.files.allSatisfy { !$0.changes }, "\(again.files.filter(\.changes).map(\.diff))")
    }

    @Test("a second node shares the profile and changes only its group and the dnsmasq file")
    func secondNode() async throws {
        let setup = try Setup()
        try await setup.provisioning.apply(try await setup.provisioning.plan(try setup.request("lorcha")))
        let plan = try await setup.provisioning.plan(try setup.request("dhow"))
        #expect(plan.files.filter(\.changes).map(\.path) == ["groups/dhow.json"])
        #expect(plan.isValid)
    }

    @Test("a group that already selects the node's MAC alone blocks the plan: matchbox could pick either")
    func conflictingGroup() async throws {
        let setup = try Setup()
        try setup.matchbox.write("profiles/other.json", #"{"id":"other","boot":{"kernel":"/assets/x"}}"#)
        try setup.matchbox.write("groups/old-lorcha.json", #"{"id":"old-lorcha","profile":"other","selector":{"mac":"52:54:00:a1:00:21"}}"#)
        let plan = try await setup.provisioning.plan(try setup.request("lorcha"))
        #expect(!plan.isValid)
        #expect(plan.blockingIssues.contains { $0.message.contains("the same selectors (mac=52:54:00:a1:00:21)") })
        await #expect(throws: HomelabError.self) { try await setup.provisioning.apply(plan) }
        #expect(!FileManager.default.fileExists(atPath: setup.matchbox.root + "/groups/lorcha.json"))
    }

    @Test("Talos needs its machine config in place; a missing boot file in the TFTP root blocks too")
    func talosAndBootFiles() async throws {
        let setup = try Setup(tftpFiles: ["undionly.kpxe"])
        let plan = try await setup.provisioning.plan(try setup.request("dhow", .talos))
        #expect(plan.blockingIssues.contains { $0.message.contains("no generic/talos-dhow.yaml") })
        #expect(plan.dnsmasqIssues.map(\.keyPath) == ["pxe.boot_files.uefi"])
        try setup.matchbox.write("generic/talos-dhow.yaml", "machine:\n  network:\n    hostname: {{.hostname}}\n")
        let fixed = try await setup.provisioning.plan(try setup.request("dhow", .talos))
        #expect(fixed.blockingIssues.isEmpty)
    }

    @Test("a node that is not bare-metal with a MAC is refused")
    func refusesOtherNodes() async throws {
        let setup = try Setup()
        let barbary = try #require(setup.homelab.node(named: "barbary"))
        await #expect(throws: HomelabError.self) { try await setup.provisioning.plan(.init(node: barbary, operatingSystem: .debian)) }
    }

    @Test("file diffs are unified hunks with context")
    func diff() {
        let before = (1...10).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let after = before.replacingOccurrences(of: "line 5\n", with: "line five\n")
        #expect(FileDiff.unified(before, after, path: "f") == "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n")
        #expect(FileDiff.unified(before, before, path: "f").isEmpty)
    }
}
