import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// Runs "SSH" commands with this machine's /bin/sh, so the SSH store's shell commands run for real.
struct LocalShell: NodeMaintenanceShell {
    func run(_ command: String, on node: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult {
        let started = ContinuousClock.now
        let (status, output) = try await ChildProcess.run("/bin/sh", ["-c", "{ " + command + "; } 2>/dev/null"], timeout: timeout)
        return SSHCommandResult(
            command: command, stdout: Array(output.utf8), stderr: [], exitStatus: status, exitSignal: nil,
            duration: ContinuousClock.now - started)
    }
}

/// A matchbox data directory in a temporary folder.
struct DataDirectoryFixture {
    let folder: TemporaryFolder
    var root: String { folder.path }

    init() throws {
        folder = try TemporaryFolder(prefix: "matchbox-test")
    }

    func write(_ path: String, _ text: String) throws {
        let full = (root as NSString).appendingPathComponent(path)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    /// matchbox's own example shapes: a profile with an Ignition template, an install group and an installed group.
    func seedGood() throws {
        try write("profiles/debian.json", #"{"id":"debian","name":"Debian","boot":{"kernel":"/assets/debian/linux","initrd":["/assets/debian/initrd.gz"],"args":["auto=true"]},"generic_id":"preseed.cfg","future_field":{"x":1}}"#)
        try write("generic/preseed.cfg", "d-i netcfg/hostname string {{.hostname}}\n{{range $k := .ssh_authorized_keys}}{{$k}}\n{{end}}")
        try write("groups/lorcha.json", #"{"id":"lorcha","profile":"debian","selector":{"mac":"52-54-00-A1-00-21"},"metadata":{"hostname":"lorcha","ssh_authorized_keys":["ssh-ed25519 AAAA"]}}"#)
        try write("assets/debian/linux", "kernel")
    }
}

@Suite("matchbox data directory")
struct MatchboxDataDirectoryTests {
    @Test("profiles, groups and templates are read; unknown keys are kept and written back")
    func loadsAndKeepsUnknownKeys() async throws {
        let fixture = try DataDirectoryFixture()
        try fixture.seedGood()
        let directory = MatchboxDataDirectory(store: LocalPXEFileStore(), root: fixture.root)
        let data = try await directory.load()
        #expect(data.profileFiles.keys.sorted() == ["debian"])
        #expect(data.groupFiles["lorcha"]?.selector["mac"] == "52:54:00:a1:00:21")
        #expect(data.templates["generic/preseed.cfg"]?.contains("{{.hostname}}") == true)
        #expect(data.assets == ["debian"])
        let profile = try #require(data.profile("debian"))
        #expect(profile.extra["future_field"] == .object(["x": .integer(1)]))
        try await directory.write(profile)
        let again = try await directory.load()
        #expect(again.profile("debian")?.extra["future_field"] == .object(["x": .integer(1)]))
        #expect(again.validate().isEmpty, "\(again.validate())")
    }

    @Test("validation finds every problem, each with its file, and template errors at line and column")
    func validation() async throws {
        let fixture = try DataDirectoryFixture()
        try fixture.seedGood()
        try fixture.write("groups/orphan.json", #"{"id":"orphan","profile":"nope","selector":{"mac":"52:54:00:00:00:01"}}"#)
        try fixture.write("groups/twin.json", #"{"id":"twin","profile":"debian","selector":{"mac":"52:54:00:a1:00:21"},"metadata":{"hostname":"t","ssh_authorized_keys":[]}}"#)
        try fixture.write("groups/badmac.json", #"{"id":"badmac","profile":"debian","selector":{"mac":"52:54:zz"}}"#)
        try fixture.write("groups/nohost.json", #"{"id":"nohost","profile":"debian","selector":{"mac":"52:54:00:00:00:02"}}"#)
        try fixture.write("groups/broken.json", #"{"id": "broken", "profile": }"#)
        try fixture.write("profiles/talos.json", #"{"id":"talos","boot":{"kernel":"/assets/talos/vmlinuz"},"generic_id":"talos.yaml"}"#)
        let data = try await MatchboxDataDirectory(store: LocalPXEFileStore(), root: fixture.root).load()
        let issues = data.validate()
        func find(_ file: String, _ text: String) -> MatchboxIssue? { issues.first { $0.file == file && $0.message.contains(text) } }
        #expect(find("groups/orphan.json", "profile 'nope' does not exist")?.severity == .error)
        #expect(find("groups/twin.json", "the same selectors (mac=52:54:00:a1:00:21) as groups/lorcha.json") != nil)
        #expect(find("groups/badmac.json", "is not a MAC address") != nil)
        #expect(find("groups/broken.json", "not a valid group file") != nil)
        #expect(find("profiles/talos.json", "no generic/talos.yaml") != nil)
        #expect(find("profiles/talos.json", "/assets/talos/vmlinuz is not under assets/")?.severity == .warning)
        let render = try #require(issues.first { $0.file == "generic/preseed.cfg" })
        #expect(render.line == 1 && render.column == 28)
        #expect(render.message.contains("map has no entry for key \"hostname\"") && render.message.contains("group nohost"))
        #expect(issues.count == 7, "\(issues.map(\.description))")
    }

    @Test("which: the node's group for its MAC, the default group for any other, groups matchbox cannot load left out")
    func which() async throws {
        let fixture = try DataDirectoryFixture()
        try fixture.seedGood()
        try fixture.write("groups/default.json", #"{"id":"default","profile":"debian"}"#)
        try fixture.write("groups/badmac.json", #"{"id":"badmac","profile":"debian","selector":{"mac":"zz"}}"#)
        let data = try await MatchboxDataDirectory(store: LocalPXEFileStore(), root: fixture.root).load()
        #expect(data.which(["mac": "52:54:00:a1:00:21"]).chosen?.id == "lorcha")
        #expect(data.which(["mac": "52:54:00:a1:00:99"]).chosen?.id == "default")
        #expect(!data.which(["mac": "52:54:00:a1:00:99"]).candidates.contains { $0.group.id == "badmac" })
    }

    @Test("the SSH store's shell commands list, read, write atomically and remove (run by /bin/sh)")
    func sshStore() async throws {
        let fixture = try DataDirectoryFixture()
        try fixture.seedGood()
        let node = Homelab.Node(name: "barbary", role: .manager, platform: .truenas, address: "127.0.0.1")
        let store = SSHPXEFileStore(shell: LocalShell(), node: node)
        let directory = MatchboxDataDirectory(store: store, root: fixture.root)
        let local = try await MatchboxDataDirectory(store: LocalPXEFileStore(), root: fixture.root).load()
        let remote = try await directory.load()
        #expect(remote.profileFiles == local.profileFiles)
        #expect(remote.groupFiles == local.groupFiles)
        #expect(remote.templates == local.templates)
        #expect(try await store.read(fixture.root + "/missing.json") == nil)
        #expect(try await store.list(fixture.root + "/no-such-dir") == [])
        let text = "it's \"quoted\" $HOME `x`\n" + String(repeating: "é", count: 3000)
        try await directory.writeTemplate("generic", id: "odd name's.cfg", text: text)
        #expect(try String(contentsOfFile: fixture.root + "/generic/odd name's.cfg", encoding: .utf8) == text)
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/generic/odd name's.cfg.homelab-tmp"))
        try await directory.removeGroup("lorcha")
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/groups/lorcha.json"))
        await #expect(throws: HomelabError.self) { try await directory.writeTemplate("generic", id: "../escape", text: "x") }
    }
}
