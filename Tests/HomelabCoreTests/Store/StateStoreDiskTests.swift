import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

/// The state store on a filesystem that fills up or is read-only: a clear error before anything is changed on
/// the swarm, the journal intact, and `resume` finishing the work once there is room again.
@Suite("The state store on a full or read-only filesystem", .serialized)
struct StateStoreDiskTests {
    /// A tmpfs of `kibibytes` mounted on a fresh folder (needs root, as CI runs).
    final class SmallDisk {
        let path: String
        init?(kibibytes: Int) throws {
            guard try RealServer.require("root (to mount a tmpfs)", available: getuid() == 0, hint: "run the tests as root, as CI does")
            else { return nil }
            path = FileManager.default.temporaryDirectory.path + "/homelab-disk-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let (status, output) = try ChildProcess.runBlocking("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kibibytes)k,mode=0700", "tmpfs", path])
            guard status == 0 else { throw HomelabError(.internalFailure, "mount failed: \(output)") }
        }

        /// Writes a file until the disk is full.
        func fill() {
            _ = FileManager.default.createFile(atPath: path + "/filler", contents: nil)
            let handle = FileHandle(forWritingAtPath: path + "/filler")
            let chunk = Data(count: 4096)
            while (try? handle?.write(contentsOf: chunk)) != nil {}
            try? handle?.close()
        }

        /// Frees the space again.
        func free() { try? FileManager.default.removeItem(atPath: path + "/filler") }

        func remount(readOnly: Bool) throws {
            let (status, output) = try ChildProcess.runBlocking("/bin/mount", ["-o", readOnly ? "remount,ro" : "remount,rw", path])
            guard status == 0 else { throw HomelabError(.internalFailure, "remount failed: \(output)") }
        }

        deinit {
            _ = try? ChildProcess.runBlocking("/bin/umount", [path])
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    static func request(_ services: [String]) -> RolloutRequest {
        RolloutRequest(
            changes: services.map { RolloutRequest.Change(service: $0, change: .image("\($0):2"), estimateSeconds: 10) },
            dependencies: [], budget: 1, onFailure: .continueIndependent, convergenceTimeoutSeconds: 5)
    }

    @Test("a full disk before the run: the run is refused with a store error and the swarm is not touched")
    func fullBeforeStart() async throws {
        guard let disk = try SmallDisk(kibibytes: 2048) else { return }
        let store = try StateStore(path: disk.path + "/state.sqlite")
        disk.fill()
        let swarm = FakeRolloutSwarm(services: ["db", "api"])
        let runner = RolloutRunner(swarm: swarm, journal: store.rolloutJournal, logger: Logger(label: "test.rollout"))
        let error = await #expect(throws: HomelabError.self) { _ = try await runner.apply(Self.request(["db", "api"]), runID: "full") }
        #expect(error?.code == .storeFailure)
        #expect(error?.description.contains(disk.path) == true)
        #expect(await swarm.calls.isEmpty)
        disk.free()
        #expect(try await store.integrityCheck() == "ok")
    }

    @Test("the disk fills during a run: it stops with a store error, starts nothing more, and resume finishes it")
    func fullDuringRun() async throws {
        guard let disk = try SmallDisk(kibibytes: 2048) else { return }
        let store = try StateStore(path: disk.path + "/state.sqlite")
        let services = ["db", "api", "web"]
        let swarm = FakeRolloutSwarm(services: services)
        await swarm.setSlow("db", .milliseconds(1500))
        let runner = RolloutRunner(swarm: swarm, journal: store.rolloutJournal, logger: Logger(label: "test.rollout"))
        let run = Task { try await runner.apply(Self.request(services), runID: "filling") }
        while await swarm.calls("modify").isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        disk.fill()
        let error = await #expect(throws: HomelabError.self) { _ = try await run.value }
        #expect(error?.code == .storeFailure)
        #expect(await swarm.calls("modify").count == 1)  // nothing started after the journal could not be written

        disk.free()
        #expect(try await store.integrityCheck() == "ok")
        let resumed = try await RolloutRunner(swarm: swarm, journal: store.rolloutJournal, logger: Logger(label: "test.rollout"))
            .resume(runID: "filling")
        #expect(resumed.status == .completed)
        for service in services {
            #expect(await swarm.specs[service]?.taskTemplate?.containerSpec?.image == "\(service):2")
        }
    }

    @Test("a read-only disk: the store refuses to open, or the run to start, with an error naming the path; nothing changes")
    func readOnly() async throws {
        guard let disk = try SmallDisk(kibibytes: 2048) else { return }
        let path = disk.path + "/state.sqlite"
        do {
            let store = try StateStore(path: path)
            try await store.rolloutJournal.create(runID: "earlier", request: Data("{}".utf8), steps: [])
        }
        try disk.remount(readOnly: true)
        let swarm = FakeRolloutSwarm(services: ["db"])
        let error = await #expect(throws: HomelabError.self) {
            let store = try StateStore(path: path)
            let runner = RolloutRunner(swarm: swarm, journal: store.rolloutJournal, logger: Logger(label: "test.rollout"))
            _ = try await runner.apply(Self.request(["db"]), runID: "ro")
        }
        #expect(error?.code == .storeFailure)
        #expect(error?.description.contains(disk.path) == true)
        #expect(await swarm.calls.isEmpty)
        try disk.remount(readOnly: false)
        let store = try StateStore(path: path)
        #expect(try await store.integrityCheck() == "ok")
        #expect(try await store.rolloutJournal.run("earlier") != nil)
        #expect(try await store.rolloutJournal.run("ro") == nil)
    }
}
