import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("TrueNAS client against the simulated TrueNAS SCALE")
struct TrueNASClientTests {
    @Test("SCRAM-SHA-512 with tls-server-end-point binding logs in to a 26 server, once; every operation family answers")
    func everyOperationOverJSONRPC() async throws {
        try await withTrueNAS { nas in
            let truenas = try await nas.connect()
            #expect(truenas.version == TrueNASAPIVersion("v26.0.0"))
            #expect(try await truenas.system.version().hasPrefix("TrueNAS-SCALE-26"))
            let info = try await truenas.system.info()
            #expect(info.hostname == "barbary")

            // Pools: query, count, filters, paging, health, topology, scrub.
            let pools = try await truenas.pools.list()
            #expect(pools.map(\.name) == ["tank", "archive"])
            #expect(try await truenas.pools.count() == 2)
            let archive = try await truenas.pools.get("archive")
            #expect(archive.status == .degraded && archive.healthy == false)
            #expect(archive.topology != nil && archive.scan?.function == "SCRUB")
            let page = try await truenas.pools.list(TrueNASQuery(orderBy: ["-name"]).page(1, size: 1))
            #expect(page.map(\.name) == ["archive"])
            let scrub = try await truenas.pools.scrub("tank")
            let seen = Locked<[TrueNAS.JobState]>([])
            _ = try await scrub.result(timeout: .seconds(30)) { job in seen.withLock { $0.append(job.state) } }
            #expect(seen.withLock { $0.last } == .success)

            // Datasets: one per stateful service of the inventory; create, update, delete.
            let stateful = nas.sim.simulation.homelab.services.filter(\.isStateful)
            let names = Set(try await truenas.datasets.list().map(\.name))
            for service in stateful { #expect(names.contains("tank/apps/\(service.stack)/\(service.name)")) }
            let created = try await truenas.datasets.create("tank/apps/scratch", .init(quota: 2 << 30))
            #expect(created.quota?.bytes == 2 << 30)
            let updated = try await truenas.datasets.update("tank/apps/scratch", .init(quota: 4 << 30))
            #expect(updated.quota?.bytes == 4 << 30)
            await #expect(throws: HomelabError.self) { _ = try await truenas.datasets.update("tank/apps/scratch", .init(quota: 1024)) }
            try await truenas.datasets.delete("tank/apps/scratch")
            await #expect(throws: HomelabError.self) { try await truenas.datasets.delete("tank/apps/scratch") }

            // Snapshots (pool.snapshot.* on 26): query, create, rollback (refused while newer ones exist), delete.
            let service = try #require(stateful.first)
            let dataset = "tank/apps/\(service.stack)/\(service.name)"
            let existing = try await truenas.snapshots.list(dataset: dataset)
            #expect(existing.count == 3 && existing.allSatisfy { $0.createdAt != nil })
            let taken = try await truenas.snapshots.create(dataset: dataset, name: "before-upgrade")
            #expect(taken.id == "\(dataset)@before-upgrade")
            let oldest = try #require(existing.min { ($0.createdAt ?? .distantFuture) < ($1.createdAt ?? .distantFuture) })
            await #expect(throws: HomelabError.self) { try await truenas.snapshots.rollback(oldest.id) }
            try await truenas.snapshots.rollback(oldest.id, force: true)
            #expect(try await truenas.snapshots.list(dataset: dataset).map(\.id) == [oldest.id])
            try await truenas.snapshots.delete(oldest.id)
            #expect(try await truenas.snapshots.list(dataset: dataset).isEmpty)
            #expect(try await truenas.snapshotTasks.list().map(\.dataset) == ["tank/apps", "tank/media"])

            // NFS shares.
            let shares = try await truenas.nfsShares.list()
            #expect(shares.map(\.path) == ["/mnt/tank/media", "/mnt/archive/backups"])
            let share = try await truenas.nfsShares.create(path: "/mnt/tank/apps", networks: ["10.0.0.0/24"], readOnly: true)
            #expect(share.ro == true)
            try await truenas.nfsShares.delete(share.id)

            // Alerts: list, dismiss, restore.
            let alerts = try await truenas.alerts.list()
            #expect(alerts.map(\.level).contains(.critical))
            let critical = try #require(alerts.first { $0.level == .critical })
            try await truenas.alerts.dismiss(critical.uuid)
            #expect(try await truenas.alerts.list().first { $0.uuid == critical.uuid }?.dismissed == true)
            try await truenas.alerts.restore(critical.uuid)

            // Apps: query, start, stop, upgrade as jobs.
            #expect(try await truenas.apps.list().map(\.name) == ["netdata", "syncthing", "immich"])
            _ = try await truenas.apps.start("syncthing").result(timeout: .seconds(30))
            #expect(try await truenas.apps.list(.whereEqual("name", "syncthing")).first?.state == .running)
            _ = try await truenas.apps.stop("syncthing").result(timeout: .seconds(30))
            let upgraded = try await truenas.apps.upgrade("syncthing").result(timeout: .seconds(30))
            #expect(TrueNASJSONField.string(upgraded, "version") == "1.3.2")
            let jobs = try await truenas.jobs.list()
            #expect(jobs.count == 4 && jobs.allSatisfy { $0.state == .success })

            // Disks: query, temperatures, SMART.
            #expect(try await truenas.disks.list().map(\.name) == ["sda", "sdb", "sdc", "sdd"])
            let temperatures = try await truenas.disks.temperatures()
            #expect(temperatures == ["sda": 34, "sdb": 36, "sdc": 41])
            let smart = try await truenas.disks.smartResults()
            #expect(smart.first { $0.disk == "sdd" }?.tests?.first?.status == "FAILED")

            #expect(await nas.world.loginCounts.succeeded == 1)
            await truenas.close()
        }
    }

    @Test("A job that fails throws its error with the last line of its traceback")
    func failingJob() async throws {
        try await withTrueNAS { nas in
            let truenas = try await nas.connect()
            let job = try await truenas.apps.start("immich")
            await #expect {
                _ = try await job.result(timeout: .seconds(30))
            } throws: { error in
                guard let error = error as? HomelabError else { return false }
                return error.code == .commandFailed && error.message.contains("[EFAULT] Failed 'up' action for 'immich' app")
                    && error.message.contains("job \(job.id) (app.start) failed")
            }
            let failed = try await job.current()
            #expect(failed.state == .failed)
            #expect(failed.tracebackSummary?.hasPrefix("middlewared.service_exception.CallError: [EFAULT]") == true)
            await truenas.close()
        }
    }

    @Test("The snapshot namespace and login mechanism follow the server's version", arguments: [
        ("25.04.2", "v25.04.2", "zfs.snapshot"), ("25.10.2", "v25.10.2", "pool.snapshot"),
    ])
    func versions(release: String, api: String, namespace: String) async throws {
        try await withTrueNAS { nas in
            await nas.release(release)
            let truenas = try await nas.connect()
            #expect(truenas.version.description == api)
            #expect(truenas.version.snapshotNamespace == namespace)
            #expect(try await truenas.snapshots.list().count > 0)
            _ = try await truenas.snapshots.create(dataset: "tank/media", name: "check")
            // The other namespace does not exist on this version.
            let other = namespace == "zfs.snapshot" ? "pool.snapshot.query" : "zfs.snapshot.query"
            await #expect(throws: HomelabError.self) { _ = try await truenas.call(other, [.array([]), .object([:])]) }
            await truenas.close()
        }
    }

    @Test("SCRAM is never silently replaced by PLAIN: asking for SCRAM from a 25.10 server is refused before the key is sent")
    func noSilentFallBack() async throws {
        try await withTrueNAS { nas in
            await nas.release("25.10.2")
            await #expect {
                _ = try await nas.connect(nas.apiKey(.scram))
            } throws: { error in
                [.unauthorized, .authenticationFailed].contains((error as? HomelabError)?.code) && "\(error)".contains("does not offer SCRAM")
                    && !"\(error)".contains(nas.world.apiKey)
            }
            let counts = await nas.world.loginCounts
            #expect(counts.failed == 0 && counts.succeeded == 0)
        }
    }

    @Test("A 24.04 server (no /api/versions) is spoken to over REST v2.0, jobs polled")
    func restForOldServers() async throws {
        try await withTrueNAS { nas in
            await nas.release("24.04.2")
            let truenas = try await nas.connect()
            #expect(truenas.version.isREST)
            #expect(try await truenas.pools.list().count == 2)
            #expect(try await truenas.pools.count() == 2)
            #expect(try await truenas.pools.get("tank").status == .online)
            #expect(try await truenas.datasets.list(.whereEqual("pool", "archive")).map(\.name) == ["archive", "archive/backups"])
            _ = try await truenas.datasets.create("tank/rest", .init(quota: 2 << 30))
            #expect(try await truenas.datasets.update("tank/rest", .init(quota: 3 << 30)).quota?.bytes == 3 << 30)
            try await truenas.datasets.delete("tank/rest")
            let snapshot = try await truenas.snapshots.create(dataset: "tank/media", name: "rest")
            #expect(try await truenas.snapshots.list(dataset: "tank/media").map(\.id) == [snapshot.id])
            try await truenas.snapshots.rollback(snapshot.id)
            try await truenas.snapshots.delete(snapshot.id)
            #expect(try await truenas.alerts.list().count == 3)
            try await truenas.alerts.dismiss("6f1c8a52-1b7e-4d1e-9f53-2d3c1a0b7e03")
            #expect(try await truenas.nfsShares.list().count == 2)
            #expect(try await truenas.snapshotTasks.list().count == 2)
            #expect(try await truenas.disks.temperatures()["sda"] == 34)
            #expect(try await truenas.disks.smartResults().count == 4)
            _ = try await truenas.pools.scrub("archive").result(timeout: .seconds(30))
            #expect(try await truenas.jobs.list().first?.state == .success)
            #expect(try await truenas.system.info().version == "TrueNAS-SCALE-24.04.2")
            await #expect(throws: HomelabError.self) { try await truenas.datasets.delete("tank/nope") }
        }
    }

    @Test("Rejected credentials stop the client after one attempt (no retries toward the lock-out)", arguments: [
        TrueNASCredentials.Mechanism.scram, .plain,
    ])
    func rejectedCredentials(mechanism: TrueNASCredentials.Mechanism) async throws {
        try await withTrueNAS { nas in
            let wrong = TrueNASCredentials.apiKey(Secret("1-" + String(repeating: "x", count: 64)), username: nas.world.apiUser, mechanism: mechanism)
            await #expect {
                _ = try await nas.connect(wrong)
            } throws: { error in
                (error as? HomelabError)?.code == .unauthorized && "\(error)".contains("stops instead of retrying")
                    && !"\(error)".contains(String(repeating: "x", count: 64))
            }
            try await Task.sleep(for: .seconds(1))
            #expect(await nas.world.loginCounts.failed == 1)
        }
    }

    @Test("After 20 failed logins in 60 s the server locks clients out, and the client says so instead of trying again")
    func lockout() async throws {
        try await withTrueNAS { nas in
            let wrong = TrueNASCredentials.apiKey(Secret("1-wrongkey"), username: nas.world.apiUser, mechanism: .plain)
            for _ in 0..<20 { _ = try? await nas.connect(wrong) }
            #expect(await nas.world.loginCounts.failed == 20)
            await #expect {
                _ = try await nas.connect()
            } throws: { error in
                (error as? HomelabError)?.code == .unauthorized && "\(error)".contains("locked this client out")
            }
            #expect(await nas.world.loginCounts.failed == 20)
            await nas.world.resetLockout()
            let truenas = try await nas.connect()
            #expect(try await truenas.pools.count() == 2)
            await truenas.close()
        }
    }

    @Test("Credentials are never sent over plain ws:// to a host that is not loopback")
    func plainWebSocketRefused() async throws {
        try await withTrueNAS { nas in
            let remote = HTTPClient(transport: nas.sim.transport, endpoint: .url("http://192.0.2.10/api"), component: "truenas", middleware: [])
            await #expect {
                _ = try await TrueNASClient.connect(http: remote, credentials: nas.apiKey())
            } throws: { error in
                (error as? HomelabError)?.code == .invalidConfiguration && "\(error)".contains("revokes an API key sent in the clear")
            }
        }
    }

    @Test("After the server drops the socket the client reconnects and logs in again")
    func reconnect() async throws {
        try await withTrueNAS { nas in
            let truenas = try await nas.connect()
            #expect(try await truenas.pools.count() == 2)
            #expect(await nas.world.dropConnections() == 1)
            let count = try await eventually { try await truenas.pools.count() }
            #expect(count == 2)
            #expect(await nas.world.loginCounts.succeeded == 2)
            await truenas.close()
        }
    }

    @Test("Unknown fields in answers are ignored; the raw answer carries them")
    func unknownFields() async throws {
        try await withTrueNAS { nas in
            let truenas = try await nas.connect()
            let raw = try await truenas.call("pool.query", [.array([]), .object([:])])
            guard case .array(let pools) = raw, case .object(let first)? = pools.first else {
                Issue.record("pool.query answered \(raw)")
                return
            }
            #expect(first["dedup_table_size"] != nil)
            #expect(try await truenas.pools.list().count == 2)
            await truenas.close()
        }
    }
}

/// Reads a field of a JSON answer in tests.
enum TrueNASJSONField {
    static func string(_ value: JSONValue, _ key: String) -> String? {
        guard case .object(let fields) = value, case .string(let text)? = fields[key] else { return nil }
        return text
    }
}
