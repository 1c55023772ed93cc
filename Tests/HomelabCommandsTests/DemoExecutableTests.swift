import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@testable import HomelabCommands

/// `homelab demo` runs the `homelab-demo` executable (the simulator is not linked into `homelab`): where it is found.
@Suite("homelab demo finds homelab-demo")
struct DemoExecutableTests {
    /// A folder with an executable `homelab-demo` (and `homelab`, for the executable's own path).
    private static func folder(withDemo: Bool, executable: Bool = true) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(prefix: "homelab-demo-locate")
        for name in ["homelab"] + (withDemo ? ["homelab-demo"] : []) {
            #expect(FileManager.default.createFile(atPath: folder.file(name), contents: Data("#!/bin/sh\n".utf8)))
            try FileManager.default.setAttributes(
                [.posixPermissions: executable || name == "homelab" ? 0o755 : 0o644], ofItemAtPath: folder.file(name))
        }
        return folder
    }

    @Test("the homelab-demo beside homelab comes first, before PATH")
    func besideTheExecutable() throws {
        let own = try Self.folder(withDemo: true)
        let onPath = try Self.folder(withDemo: true)
        let found = try DemoExecutable.locate(executable: own.file("homelab"), path: onPath.path)
        #expect(found == own.file("homelab-demo"))
    }

    @Test("without one beside homelab, the first homelab-demo on PATH")
    func onPath() throws {
        let own = try Self.folder(withDemo: false)
        let empty = try Self.folder(withDemo: false)
        let onPath = try Self.folder(withDemo: true)
        let found = try DemoExecutable.locate(executable: own.file("homelab"), path: "\(empty.path)::\(onPath.path)")
        #expect(found == onPath.file("homelab-demo"))
    }

    @Test("a homelab-demo that is not executable does not count")
    func notExecutable() throws {
        let own = try Self.folder(withDemo: true, executable: false)
        #expect(throws: HomelabError.self) { try DemoExecutable.locate(executable: own.file("homelab"), path: "") }
    }

    @Test("none anywhere: an error naming where it looked and how to build it")
    func missing() throws {
        let own = try Self.folder(withDemo: false)
        do {
            _ = try DemoExecutable.locate(executable: own.file("homelab"), path: "/nonexistent-\(UUID().uuidString)")
            Issue.record("found a homelab-demo that does not exist")
        } catch let error as HomelabError {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains(own.path))
            #expect(error.message.contains("swift build --product homelab-demo"))
        }
    }
}
