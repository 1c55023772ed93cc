import Foundation
import HomelabCore
import Logging

/// The simulated TrueNAS SCALE box (barbary): pools, one dataset per stateful service of the inventory, snapshots,
/// periodic snapshot tasks, NFS shares, alerts, apps, disks, jobs and an API key; the release it pretends to be
/// (which decides the API versions it lists, whether REST v2.0 and SCRAM exist and the snapshot namespace); failed
/// logins and the lock-out they lead to.
public actor TrueNASWorld {
    struct Pool {
        var id: Int
        var name: String
        var size: Int64
        var status: String
        var disks: [String]
        var scrubbedAt: Date
    }
    struct Dataset {
        var name: String
        var used: Int64
        var quota: Int64
    }
    struct Snapshot {
        var dataset: String
        var name: String
        var created: Date
        var txg: Int
    }
    struct Share {
        var id: Int
        var path: String
        var networks: [String]
        var readOnly: Bool
        var comment: String
    }
    struct Alert {
        var uuid: String
        var klass: String
        var level: String
        var text: String
        var raised: Date
        var dismissed = false
    }
    struct App {
        var name: String
        var state: String
        var version: String
        var latest: String
    }
    struct Disk {
        var name: String
        var serial: String
        var size: Int64
        var pool: String?
        var temperature: Double?
    }
    struct Job {
        var id: Int
        var method: String
        var arguments: [JSONValue]
        var state = "WAITING"
        var percent: Double = 0
        var description: String?
        var result: JSONValue = .null
        var error: String?
        var exception: String?
        var started = Date()
        var finished: Date?
        var messageIDs: [JSONValue] = []
    }

    /// The release it pretends to be (`26.0.0`, `25.10.2`, `25.04.2`, `24.04.2`).
    public private(set) var release = "26.0.0"
    /// The simulated API key (`1-...`) and the user it belongs to.
    public nonisolated let apiKey: String
    /// The user the API key belongs to.
    public nonisolated let apiUser = "homelab"
    /// The simulated user's password (`PASSWORD_PLAIN`).
    public nonisolated let password: String
    let hostname: String
    let logger: Logger
    var pools: [Pool] = []
    var datasets: [String: Dataset] = [:]
    var snapshots: [String: Snapshot] = [:]
    var tasks: [JSONValue] = []
    var shares: [Share] = []
    var alerts: [Alert] = []
    var apps: [App] = []
    var disks: [Disk] = []
    var jobs: [Int: Job] = [:]
    var nextJob = 1
    var nextTxg = 1000
    var jobWaiters: [Int: [CheckedContinuation<Job, Never>]] = [:]
    var jobListeners: [UUID: @Sendable (JSONValue) -> Void] = [:]
    var sessionDroppers: [UUID: @Sendable () -> Void] = [:]
    /// When recent logins failed.
    var failedLogins: [Date] = []
    /// Until when clients are locked out.
    var lockedUntil: Date?
    /// The API key's SCRAM keys, derived once on a Dispatch thread when the world is made.
    let scramKeys: Task<SCRAMSHA512.Keys, Never>
    let scramSalt: [UInt8]
    /// Counts for tests: logins that succeeded and failed.
    public internal(set) var loginCounts = (succeeded: 0, failed: 0)

    init(homelab: Homelab, seed: UInt64, logger: Logger) {
        var generator = SeededGenerator(seed: seed &+ 0x7472_7565)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        apiKey = "1-" + String((0..<64).map { _ in letters[Int(generator.next() % UInt64(letters.count))] })
        password = String((0..<20).map { _ in letters[Int(generator.next() % UInt64(letters.count))] })
        let salt = (0..<16).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        scramSalt = salt
        let material = Array((apiKey.split(separator: "-", maxSplits: 1).last.map(String.init) ?? "").utf8)
        scramKeys = Task { await SCRAMSHA512.deriveKeys(password: material, salt: salt, iterations: SCRAMSHA512.minimumIterations) }
        hostname = homelab.nodes.first { $0.platform == .truenas }?.name ?? "truenas"
        self.logger = logger
        let seeded = Self.seed(homelab)
        disks = seeded.disks
        pools = seeded.pools
        datasets = seeded.datasets
        snapshots = seeded.snapshots
        nextTxg = seeded.nextTxg
        tasks = seeded.tasks
        shares = seeded.shares
        alerts = seeded.alerts
        apps = seeded.apps
    }

    /// What the box holds at start.
    struct Seed {
        var disks: [Disk] = []
        var pools: [Pool] = []
        var datasets: [String: Dataset] = [:]
        var snapshots: [String: Snapshot] = [:]
        var nextTxg = 1000
        var tasks: [JSONValue] = []
        var shares: [Share] = []
        var alerts: [Alert] = []
        var apps: [App] = []
    }

    /// Pretends to be `release` from now on (`24.04.2` has REST only; JSON-RPC from 25.04; SCRAM from 26).
    public func setRelease(_ release: String) { self.release = release }

    /// Forgets failed logins and lifts a lock-out.
    public func resetLockout() {
        failedLogins = []
        lockedUntil = nil
    }

    /// The release's numbers.
    var releaseParts: [Int] { release.split(separator: ".").compactMap { Int($0) } }
    /// Whether the release serves JSON-RPC (`/api/...`, 25.04+).
    var hasJSONRPC: Bool { (releaseParts.first ?? 0) >= 25 }
    /// Whether the release serves REST v2.0 (gone in 26).
    var hasREST: Bool { (releaseParts.first ?? 0) < 26 }
    /// Whether the release offers SCRAM (26+).
    var hasSCRAM: Bool { (releaseParts.first ?? 0) >= 26 }

    /// `GET /api/versions`: the version routes of this release.
    var apiVersions: [String] {
        guard hasJSONRPC else { return [] }
        var versions = ["v25.04.0", "v25.04.1", "v25.04.2"]
        if releaseParts.lexicographicallyPrecedes([25, 10]) { return versions }
        versions += ["v25.10.0", "v25.10.1", "v25.10.2"]
        if (releaseParts.first ?? 0) >= 26 { versions.append("v26.0.0") }
        return versions
    }

    /// Counts of the seeded objects, for tests.
    public func counts() -> (pools: Int, datasets: Int, snapshots: Int, apps: Int, alerts: Int) {
        (pools.count, datasets.count, snapshots.count, apps.count, alerts.filter { !$0.dismissed }.count)
    }

    /// The names of every dataset, sorted.
    public func datasetNames() -> [String] { datasets.keys.sorted() }

    /// Makes disk `name` report `temperature` (nil: none).
    public func setTemperature(_ name: String, _ temperature: Double?) {
        if let index = disks.firstIndex(where: { $0.name == name }) { disks[index].temperature = temperature }
    }

    private static func seed(_ homelab: Homelab) -> Seed {
        let now = Date()
        var seed = Seed()
        seed.disks = [
            Disk(name: "sda", serial: "WD-WX12A3456789", size: 8_001_563_222_016, pool: "tank", temperature: 34),
            Disk(name: "sdb", serial: "WD-WX12A3456790", size: 8_001_563_222_016, pool: "tank", temperature: 36),
            Disk(name: "sdc", serial: "ZL2ABC01", size: 4_000_787_030_016, pool: "archive", temperature: 41),
            Disk(name: "sdd", serial: "ZL2ABC02", size: 4_000_787_030_016, pool: "archive", temperature: nil),
        ]
        seed.pools = [
            Pool(id: 1, name: "tank", size: 7_900_000_000_000, status: "ONLINE", disks: ["sda", "sdb"], scrubbedAt: now - 3 * 86_400),
            Pool(id: 2, name: "archive", size: 3_900_000_000_000, status: "DEGRADED", disks: ["sdc", "sdd"], scrubbedAt: now - 20 * 86_400),
        ]
        var names = ["tank", "tank/apps", "tank/media", "archive", "archive/backups"]
        for service in homelab.services where service.isStateful {
            names += ["tank/apps/\(service.stack)", "tank/apps/\(service.stack)/\(service.name)"]
        }
        for (index, name) in Set(names).sorted().enumerated() {
            let used = Int64(1 + (index * 7919) % 40) * 1_073_741_824
            let quota: Int64 = name.hasPrefix("tank/apps/") && name.split(separator: "/").count == 4 ? 100 * 1_073_741_824 : 0
            seed.datasets[name] = Dataset(name: name, used: name == "tank/media" ? 2_500_000_000_000 : used, quota: quota)
        }
        for name in seed.datasets.keys.sorted() where name.split(separator: "/").count == 4 {
            for hours in [3, 2, 1] {
                let created = now - Double(hours) * 3_600
                let snapshot = Snapshot(dataset: name, name: "auto-\(Self.stamp(created))", created: created, txg: seed.nextTxg)
                seed.nextTxg += 1
                seed.snapshots["\(name)@\(snapshot.name)"] = snapshot
            }
        }
        seed.tasks = [
            Self.task(id: 1, dataset: "tank/apps", recursive: true, lifetime: 2, unit: "WEEK", schedule: ["0", "*", "*", "*", "*"]),
            Self.task(id: 2, dataset: "tank/media", recursive: false, lifetime: 1, unit: "MONTH", schedule: ["0", "3", "*", "*", "*"]),
        ]
        seed.shares = [
            Share(id: 1, path: "/mnt/tank/media", networks: ["10.0.0.0/24"], readOnly: false, comment: "media for plex and jellyfin"),
            Share(id: 2, path: "/mnt/archive/backups", networks: ["10.0.0.0/24"], readOnly: true, comment: "backups"),
        ]
        seed.alerts = [
            Alert(uuid: "6f1c8a52-1b7e-4d1e-9f53-2d3c1a0b7e01", klass: "VolumeStatus", level: "CRITICAL",
                  text: "Pool archive state is DEGRADED: One or more devices has been removed by the administrator.", raised: now - 7_200),
            Alert(uuid: "6f1c8a52-1b7e-4d1e-9f53-2d3c1a0b7e02", klass: "SMART", level: "WARNING",
                  text: "Device: /dev/sdd [SAT], 8 Currently unreadable (pending) sectors.", raised: now - 86_400),
            Alert(uuid: "6f1c8a52-1b7e-4d1e-9f53-2d3c1a0b7e03", klass: "HasUpdate", level: "INFO",
                  text: "An update is available. Go to System Settings -> Update to download and apply the update.", raised: now - 3_600),
        ]
        seed.apps = [
            App(name: "netdata", state: "RUNNING", version: "1.2.3", latest: "1.2.3"),
            App(name: "syncthing", state: "STOPPED", version: "1.3.0", latest: "1.3.2"),
            App(name: "immich", state: "CRASHED", version: "1.4.7", latest: "1.4.7"),
        ]
        return seed
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd_HH-mm"
        return formatter.string(from: date)
    }

    static func task(id: Int, dataset: String, recursive: Bool, lifetime: Int, unit: String, schedule: [String]) -> JSONValue {
        .object([
            "id": .integer(Int64(id)), "dataset": .string(dataset), "recursive": .bool(recursive), "exclude": .array([]),
            "lifetime_value": .integer(Int64(lifetime)), "lifetime_unit": .string(unit), "enabled": .bool(true),
            "naming_schema": .string("auto-%Y-%m-%d_%H-%M"), "allow_empty": .bool(true),
            "schedule": .object([
                "minute": .string(schedule[0]), "hour": .string(schedule[1]), "dom": .string(schedule[2]),
                "month": .string(schedule[3]), "dow": .string(schedule[4]), "begin": .string("00:00"), "end": .string("23:59"),
            ]),
            "state": .object(["state": .string("FINISHED")]), "vmware_sync": .bool(false),
        ])
    }
}

/// A small deterministic generator (SplitMix64) for the simulated key material.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
