import Logging

/// Collects the homelab's metrics: every component concurrently, each under the scrape's deadline, fresh values
/// every time. A slow, dead or unauthorised component gives `homelab_up 0` with its collection time and error
/// class; it never fails the whole collection.
///
/// Keeps only what must outlive a scrape: the error counters and the source's open clients.
public final class HomelabCollector: Sendable {
    /// Where components are reached.
    public let source: any MetricsSource
    private let errors = ErrorCounts()
    private let logger: Logger?

    /// The name of the journal's pseudo-component.
    public static let rolloutsTarget = "rollouts"

    /// A collector over `source`.
    public init(source: any MetricsSource, logger: Logger? = nil) {
        self.source = source
        self.logger = logger
    }

    /// Every target one `/metrics` scrape collects: the inventory's components with an API, in order, then
    /// `rollouts` when a journal is configured. (dnsmasq, a configuration file on its node, has nothing to scrape.)
    public var targets: [String] {
        let components = source.homelab.components.filter { $0.key == .docker || $0.value.endpoint != nil }
        return components.keys.sorted().map(\.rawValue) + (source.journal == nil ? [] : [Self.rolloutsTarget])
    }

    /// Collects every target concurrently and returns all families, merged by name, `homelab_up` first.
    public func collectAll(deadline: ContinuousClock.Instant) async -> [MetricFamily] {
        let results = await withTaskGroup(of: ComponentCollection.self) { group in
            for target in targets {
                group.addTask { await self.collect(target: target, deadline: deadline) }
            }
            var results: [ComponentCollection] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.component < $1.component }
        }
        return await families(for: results)
    }

    /// Collects one target (for `/probe?target=`); `nil` when the target is not configured.
    public func collectOne(target: String, deadline: ContinuousClock.Instant) async -> [MetricFamily]? {
        guard targets.contains(target) else { return nil }
        return await families(for: [collect(target: target, deadline: deadline)])
    }

    /// The standard families over `results` (up, duration, error counters), then the components' own.
    func families(for results: [ComponentCollection]) async -> [MetricFamily] {
        var up = MetricFamily("homelab_up", help: "1 when the component answered the last collection within its deadline, else 0.")
        var duration = MetricFamily(
            "homelab_collection_duration_seconds", help: "How long the last collection of the component took.")
        for result in results {
            up.add(result.isUp ? 1 : 0, ["component": result.component])
            duration.add(result.duration.seconds, ["component": result.component])
        }
        let counts = await errors.record(results)
        var failures = MetricFamily(
            "homelab_collection_errors_total", help: "Failed collections of the component by error class since the exporter started.",
            kind: .counter)
        for result in results {
            for reason in CollectionFailure.allCases {
                failures.add(Double(counts[ErrorCounts.Key(component: result.component, reason: reason)] ?? 0),
                             ["component": result.component, "reason": reason.rawValue])
            }
        }
        return ([up, duration, failures] + results.flatMap(\.families)).mergedByName()
    }

    /// Collects one target under `deadline`; never throws.
    public func collect(target: String, deadline: ContinuousClock.Instant) async -> ComponentCollection {
        let started = ContinuousClock.now
        do {
            let families = try await untilDeadline(deadline, component: target) { [self] in
                try await self.families(of: target, deadline: deadline)
            }
            return ComponentCollection(component: target, isUp: true, duration: .now - started, families: families)
        } catch {
            let failure = CollectionFailure(error)
            logger?.debug("collection failed", metadata: ["component": "\(target)", "reason": "\(failure.rawValue)", "error": "\(error)"])
            return ComponentCollection(component: target, isUp: false, duration: .now - started, failure: failure)
        }
    }

    private func families(of target: String, deadline: ContinuousClock.Instant) async throws -> [MetricFamily] {
        if target == Self.rolloutsTarget {
            guard let journal = source.journal else { return [] }
            return RolloutMetrics.families(try await RolloutMetrics.snapshot(of: journal))
                + (try await ProvisionMetrics.families(ProvisionJournal(store: journal.store)))
        }
        guard let kind = ComponentKind(rawValue: target) else { return [] }
        if kind == .docker {
            let swarm = try await source.swarm()
            let logger = self.logger
            async let nodes = swarm.nodes.list(logger: logger)
            async let services = swarm.services.summaries(status: true, logger: logger)
            async let tasks = swarm.tasks.list(logger: logger)
            return SwarmMetrics.families(nodes: try await nodes, services: try await services, tasks: try await tasks, homelab: source.homelab)
        }
        if kind == .truenas, let truenas = try await source.trueNAS() {
            return TrueNASMetrics.families(try await TrueNASMetrics.read(truenas))
        }
        if kind == .proxmox, let proxmox = try await source.proxmox() {
            return ProxmoxMetrics.families(try await ProxmoxMetrics.snapshot(of: proxmox, logger: logger))
        }
        if kind == .komodo, let komodo = try await source.komodo() {
            return KomodoMetrics.families(try await KomodoMetrics.read(komodo, logger: logger))
        }
        if kind == .caddy, let caddy = try await source.caddy() {
            return CaddyMetrics.families(try await CaddyMetrics.read(caddy, logger: logger))
        }
        if kind == .matchbox, let matchbox = try await source.matchbox() {
            return MatchboxMetrics.families(
                try await MatchboxMetrics.read(matchbox.client, homelab: source.homelab, directory: matchbox.directory, logger: logger))
        }
        if kind == .authentik, let authentik = try await source.authentik() {
            return AuthentikMetrics.families(try await AuthentikMetrics.read(authentik))
        }
        if kind == .onepassword, let connect = try await source.onePassword() {
            return OnePasswordMetrics.families(try await OnePasswordMetrics.read(connect))
        }
        if kind == .forgejo, let forgejo = try await source.forgejo() {
            return ForgejoMetrics.families(try await ForgejoMetrics.read(forgejo, logger: logger))
        }
        if kind == .woodpecker, let woodpecker = try await source.woodpecker() {
            return WoodpeckerMetrics.families(try await WoodpeckerMetrics.read(woodpecker, logger: logger))
        }
        try await source.checkReachable(kind, timeout: deadline - .now, logger: logger)
        return []
    }
}

/// Failed collections counted per component and error class, for `homelab_collection_errors_total`.
actor ErrorCounts {
    struct Key: Hashable {
        var component: String
        var reason: CollectionFailure
    }
    private var counts: [Key: Int] = [:]

    /// Adds the failures among `results` and returns every count.
    func record(_ results: [ComponentCollection]) -> [Key: Int] {
        for result in results {
            if let failure = result.failure { counts[Key(component: result.component, reason: failure), default: 0] += 1 }
        }
        return counts
    }
}
