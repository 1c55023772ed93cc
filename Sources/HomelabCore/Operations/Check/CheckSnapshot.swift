import Foundation
import Logging

/// One component's reading for `homelab check`: what it answered, why it could not be read, or that the inventory
/// has no such component.
public enum CheckInput<Value: Sendable>: Sendable {
    /// Read.
    case read(Value)
    /// The component is in the inventory but could not be read (unreachable, refused, timed out): the reason.
    case failed(String)
    /// The inventory has no such component: what is missing.
    case absent(String)

    /// The value, when read.
    public var value: Value? {
        if case .read(let value) = self { return value }
        return nil
    }

    /// Why there is no value.
    public var problem: String? {
        switch self {
        case .read: return nil
        case .failed(let reason), .absent(let reason): return reason
        }
    }
}

/// The swarm as the check reads it.
public struct CheckSwarmReading: Sendable {
    /// Every service.
    public var services: [Swarm.Service]
    /// Every node.
    public var nodes: [Swarm.Node]
    /// Every secret (metadata only; Docker never returns a secret's data).
    public var secrets: [Swarm.Secret]

    /// A reading.
    public init(services: [Swarm.Service], nodes: [Swarm.Node], secrets: [Swarm.Secret]) {
        self.services = services
        self.nodes = nodes
        self.secrets = secrets
    }

    /// The live service of an inventory service (`<stack>_<service>`, else its bare name).
    public func service(_ service: Homelab.Service) -> Swarm.Service? {
        services.first { $0.spec?.name == service.swarmName } ?? services.first { $0.spec?.name == service.name }
    }
}

/// TrueNAS's datasets, periodic snapshot tasks and snapshots.
public struct CheckStorageReading: Sendable {
    /// Every dataset.
    public var datasets: [TrueNAS.Dataset]
    /// Every periodic snapshot task.
    public var tasks: [TrueNAS.SnapshotTask]
    /// Every snapshot.
    public var snapshots: [TrueNAS.Snapshot]

    /// A reading.
    public init(datasets: [TrueNAS.Dataset], tasks: [TrueNAS.SnapshotTask], snapshots: [TrueNAS.Snapshot]) {
        self.datasets = datasets
        self.tasks = tasks
        self.snapshots = snapshots
    }
}

/// Everything `homelab check` reads, once, before any rule runs: rules are pure functions of it (tests change a
/// reading and evaluate again without I/O).
public struct CheckSnapshot: Sendable {
    /// The inventory.
    public var homelab: Homelab
    /// When it was read (snapshot ages are measured from it).
    public var now: Date
    /// Services, nodes and secrets.
    public var swarm: CheckInput<CheckSwarmReading>
    /// Caddy's live routes and what the labels generate.
    public var routing: CheckInput<CaddyRouting>
    /// Authentik's applications, providers, outposts and their health.
    public var authentik: CheckInput<AuthentikForwardAuthState>
    /// TrueNAS's datasets, tasks and snapshots.
    public var storage: CheckInput<CheckStorageReading>
    /// For each `secrets:` entry of the inventory that 1Password does not hold: why (never a value).
    public var onePassword: CheckInput<[String: String]>
    /// Prometheus' active targets.
    public var prometheus: CheckInput<[Prometheus.Target]>

    /// A snapshot; readings not given are `absent`.
    public init(
        homelab: Homelab, now: Date = Date(), swarm: CheckInput<CheckSwarmReading> = .absent("not read"),
        routing: CheckInput<CaddyRouting> = .absent("not read"), authentik: CheckInput<AuthentikForwardAuthState> = .absent("not read"),
        storage: CheckInput<CheckStorageReading> = .absent("not read"), onePassword: CheckInput<[String: String]> = .absent("not read"),
        prometheus: CheckInput<[Prometheus.Target]> = .absent("not read")
    ) {
        self.homelab = homelab
        self.now = now
        self.swarm = swarm
        self.routing = routing
        self.authentik = authentik
        self.storage = storage
        self.onePassword = onePassword
        self.prometheus = prometheus
    }

    /// Reads what `rules` need from `connections`, concurrently, each component within `timeout`. Never throws: a
    /// component that fails is kept as the reason, and the rules reading it report `unknown`.
    public static func read(
        connections: HomelabConnections, rules: Set<CheckRule>, timeout: Duration = .seconds(20), now: Date = Date(),
        logger: Logger? = nil
    ) async -> CheckSnapshot {
        let homelab = connections.homelab
        let wanted = Set(rules.flatMap(\.components))
        @Sendable func run<T: Sendable>(
            _ kind: ComponentKind, _ what: String, _ body: @escaping @Sendable () async throws -> T
        ) async -> CheckInput<T> {
            await input(kind, homelab: homelab, wanted: wanted, timeout: timeout, what, body)
        }
        async let swarm = run(.docker, "reading the swarm's services, nodes and secrets") {
            let client = try await connections.swarm()
            async let services = client.services.list(status: false, logger: logger)
            async let nodes = client.nodes.list(logger: logger)
            async let secrets = client.secrets.list(logger: logger)
            return CheckSwarmReading(services: try await services, nodes: try await nodes, secrets: try await secrets)
        }
        async let routing = run(.caddy, "reading Caddy's routes and the services' labels") {
            try await CaddyRouting.read(caddy: try await connections.caddy(), swarm: try await connections.swarm(), logger: logger)
        }
        async let authentik = run(.authentik, "reading Authentik's applications, providers and outposts") {
            try await AuthentikForwardAuthState.read(from: try await connections.authentik(), logger: logger)
        }
        async let storage = run(.truenas, "reading TrueNAS's datasets, snapshot tasks and snapshots") {
            let truenas = try await connections.trueNAS()
            async let datasets = truenas.datasets.list(logger: logger)
            async let tasks = truenas.snapshotTasks.list(logger: logger)
            async let snapshots = truenas.snapshots.list(logger: logger)
            return CheckStorageReading(datasets: try await datasets, tasks: try await tasks, snapshots: try await snapshots)
        }
        async let onePassword = run(.onepassword, "looking up the inventory's secrets in 1Password") {
            try await missingSecrets(homelab: homelab, client: try await connections.onePassword(), logger: logger)
        }
        async let prometheus = run(.prometheus, "reading Prometheus' scrape targets") {
            try await connections.prometheus().targets(logger: logger).activeTargets
        }
        return CheckSnapshot(
            homelab: homelab, now: now, swarm: await swarm, routing: await routing, authentik: await authentik, storage: await storage,
            onePassword: await onePassword, prometheus: await prometheus)
    }

    /// One component's reading: skipped when no rule wants it, absent when the inventory lacks it, else `body`
    /// within `timeout`.
    static func input<T: Sendable>(
        _ kind: ComponentKind, homelab: Homelab, wanted: Set<ComponentKind>, timeout: Duration, _ what: String,
        _ body: @escaping @Sendable () async throws -> T
    ) async -> CheckInput<T> {
        guard wanted.contains(kind) else { return .absent("not needed") }
        guard homelab.components[kind] != nil else { return .absent("the inventory has no \(kind.rawValue) component") }
        switch await Deadline.run(timeout, what, body) {
        case .success(let value): return .read(value)
        case .failure(let error): return .failed("\(kind.description): \(ComponentProbe.reason(error))")
        }
    }

    /// The `secrets:` entries 1Password does not hold, each with why. Values are resolved and dropped at once.
    /// - Throws: when Connect itself cannot be read (its vault listing fails): then nothing is known.
    static func missingSecrets(homelab: Homelab, client: OnePasswordClient, logger: Logger?) async throws -> [String: String] {
        _ = try await client.vaults.list(logger: logger)
        let resolver = OnePasswordSecretResolver(client: client, logger: logger)
        var missing: [String: String] = [:]
        for (name, reference) in homelab.secrets.sorted(by: { $0.key < $1.key }) where reference.kind == .onePassword {
            do {
                _ = try await resolver.resolve(reference)
            } catch let error as HomelabError {
                missing[name] = error.message
            }
        }
        return missing
    }
}
