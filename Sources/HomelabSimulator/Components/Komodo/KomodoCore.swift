import Foundation
import HomelabCore
import Logging

/// The simulated Komodo Core (v2.3.2): a server per homelab node (its state follows the shared node table: a node
/// powered off is `NotOk` and opens a `ServerUnreachable` alert), a swarm-mode stack per inventory stack deployed
/// from the `homelab/stacks` repository, a resource sync with pending changes, a history of updates (more than one
/// 100-item page), and executes that run as updates going Queued → InProgress → Complete on the simulated clock.
///
/// Commit hashes come from the shared ``StacksRepositoryHistory`` (the simulated Forgejo's `homelab/stacks`, which
/// the simulated Woodpecker built): each stack's last deploy carries the short sha of the last commit touching its
/// compose file, a few minutes after Woodpecker checked it, so that `homelab trace` links commit, pipeline and deploy.
///
/// On purpose: deploying `media-enrichment` fails (a compose file is missing from the repository; its last attempt,
/// after its commit, failed, so it still runs the import commit), `monitoring` is a commit behind its branch (Komodo
/// has not deployed its commit yet, so `DeployStackIfChanged` deploys it), and ``failNext(_:)`` makes the next
/// execute of a type fail. Lists page like Core (`page`, `limit`, default ``defaultPaginationLimit``, `limit: 0` for all).
public actor KomodoCore {
    /// The version `GetVersion` answers.
    public nonisolated let version = "v2.3.2"
    /// The API key it accepts.
    public nonisolated let apiKey: String
    /// The key's secret.
    public nonisolated let apiSecret: String
    /// Core's `default_pagination_limit`.
    public nonisolated let defaultPaginationLimit = 50
    /// The stack whose deploys fail (a compose file is missing).
    public nonisolated let failingStack = "media-enrichment"
    /// The stack that is a commit behind its branch.
    public nonisolated let behindStack = "monitoring"
    /// The resource sync's name.
    public nonisolated let syncName = "homelab"

    struct Server {
        var id: String
        var name: String
        var address: String
        var on: Bool
    }

    struct Stack {
        var id: String
        var name: String
        var services: [(name: String, image: String, pinned: String?)]
        var config: [String: JSONValue]
        var state: String
        var deployedHash: String
        var latestHash: String
        var missingFiles: [String]
        var deploying = false
    }

    struct Procedure {
        var id: String
        var name: String
        var config: [String: JSONValue]
    }

    struct Sync {
        var id: String
        var name: String
        var config: [String: JSONValue]
        var state: String
        var lastSyncTs: Int64
        var lastSyncHash: String
        var pendingHash: String
        var pendingMessage: String
        var pending: [JSONValue]
        var syncing = false
    }

    let clock: SimulatedClock
    let logger: Logger
    private let power: SimulatedNodes
    var servers: [Server] = []
    var stacks: [Stack] = []
    var deployments: [(id: String, name: String, image: String, server: String)] = []
    var procedures: [Procedure] = []
    var syncs: [Sync] = []
    /// Newest last.
    var updates: [JSONValue] = []
    var updateIndex: [String: Int] = [:]
    /// Newest last.
    var alerts: [JSONValue] = []
    var failures: [String: String] = [:]
    var counter: UInt64
    let swarmID: String
    let swarmName = "homelab"
    var running: [Task<Void, Never>] = []

    init(
        homelab: Homelab, history: StacksRepositoryHistory, power: SimulatedNodes, clock: SimulatedClock, seed: UInt64, logger: Logger
    ) async {
        self.power = power
        self.clock = clock
        self.logger = logger
        counter = seed &* 0x9E37_79B9_7F4A_7C15
        apiKey = "K-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        apiSecret = "S-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        swarmID = Self.hexID(seed: seed, counter: 0)
        counter &+= 1
        seedResources(homelab, history: history)
    }

    /// Follows the shared node table: a node powered off makes its server `NotOk` and opens an alert.
    func follow() async {
        for node in await power.all { setServer(node.name, on: node.power == .on) }
        await power.observe { [weak self] name, power in
            await self?.setServer(name, on: power == .on)
        }
    }

    /// Makes the next execute of `type` (`DeployStack`, `RunSync`, ...) fail with `message`.
    public func failNext(_ type: String, message: String = "simulated failure") {
        failures[type] = message
    }

    /// Adds `count` deployments (`job-001`, ...) so that lists span pages; returns how many there are now.
    @discardableResult
    public func addDeployments(_ count: Int) -> Int {
        let servers = self.servers
        for _ in 0..<max(0, count) {
            let number = deployments.count + 1
            let server = servers.isEmpty ? "" : servers[number % servers.count].id
            deployments.append((nextID(), String(format: "job-%03d", number), "busybox:1.36", server))
        }
        return deployments.count
    }

    /// The names of the stacks.
    public var stackNames: [String] { stacks.map(\.name) }

    func stop() {
        for task in running { task.cancel() }
        running.removeAll()
    }

    // MARK: Identifiers and time

    /// A Mongo-like 24-hex ID, deterministic for a seed.
    func nextID() -> String {
        counter &+= 1
        return Self.hexID(seed: counter, counter: counter >> 7)
    }

    static func hexID(seed: UInt64, counter: UInt64) -> String {
        var state = seed &+ counter &* 0xBF58_476D_1CE4_E5B9
        state = (state ^ (state >> 31)) &* 0x94D0_49BB_1331_11EB
        let high = UInt32(truncatingIfNeeded: state >> 32)
        return String(format: "65%06x%08x%08x", UInt32(truncatingIfNeeded: state) & 0xFF_FFFF, high, UInt32(truncatingIfNeeded: state ^ (state >> 17)))
    }

    /// A commit's short hash as Komodo records it (`git rev-parse --short`: 7 hex digits).
    static func short(_ sha: String) -> String { String(sha.prefix(7)) }

    /// A short commit hash, deterministic for `text` (for commits the shared history does not hold).
    static func commit(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return String(format: "%07x", UInt32(truncatingIfNeeded: hash) & 0xFFF_FFFF)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    // MARK: Servers and alerts

    func setServer(_ name: String, on: Bool) {
        guard let index = servers.firstIndex(where: { $0.name == name }), servers[index].on != on else { return }
        servers[index].on = on
        let target: JSONValue = .object(["type": .string("Server"), "id": .string(servers[index].id)])
        if on {
            for (position, alert) in alerts.enumerated() {
                guard case .object(var fields) = alert, fields["target"] == target, fields["resolved"] == .bool(false) else { continue }
                fields["resolved"] = .bool(true)
                fields["resolved_ts"] = .integer(Self.now())
                alerts[position] = .object(fields)
            }
        } else {
            alerts.append(.object([
                "_id": .object(["$oid": .string(nextID())]), "ts": .integer(Self.now()), "resolved": .bool(false), "level": .string("CRITICAL"),
                "target": target,
                "data": .object([
                    "type": .string("ServerUnreachable"),
                    "data": .object(["id": .string(servers[index].id), "name": .string(name), "region": .string("home"), "err": .null]),
                ]),
            ]))
        }
        refreshStackStates()
    }

    /// A stack with a service pinned to a node that is off is unhealthy; a stack with missing files or nothing
    /// running stays as it is.
    func refreshStackStates() {
        let off = Set(servers.filter { !$0.on }.map(\.name))
        for index in stacks.indices where !stacks[index].deploying && stacks[index].state != "down" {
            let pinnedOff = stacks[index].services.contains { $0.pinned.map(off.contains) ?? false }
            stacks[index].state = pinnedOff ? "unhealthy" : "running"
        }
    }
}
