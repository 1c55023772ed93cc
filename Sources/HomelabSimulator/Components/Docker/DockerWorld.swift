import Foundation
import HomelabCore
import Logging

/// The simulated swarm behind the Engine API: nodes, services, tasks, secrets, configs and networks in one
/// store, task lifecycles and rolling updates driven by a ``SimulatedClock``.
///
/// Routes read and change it; everything else (task agents, the restart supervisor, updaters) runs as
/// timers on the actor. Answers reuse HomelabCore's Swarm models, so client and simulator agree on the JSON.
public actor DockerWorld {
    /// How simulated time passes.
    public nonisolated let clock: SimulatedClock
    /// How long the simulated task lifecycle steps take.
    public nonisolated let timings: TaskTimings
    /// The engine version the simulated managers report.
    nonisolated let engineVersion = "27.5.1"

    let logger: Logger
    let origin = ContinuousClock.now
    var ids: SwarmIdentifiers
    /// The store's Raft index: every change takes the next one.
    var index: UInt64 = 10
    let clusterID: String
    let clusterCreatedAt: String
    /// The swarm object (`GET /swarm`, `POST /swarm/update`): its spec, version and tokens.
    var cluster: ClusterState

    var nodes: [Swarm.Node] = []
    var nodePositions: [String: Int] = [:]
    /// Runnable tasks placed on each node (the scheduler spreads by it).
    var nodeLoad: [String: Int] = [:]
    /// The node whose API this is (the leader).
    var localNodeID = ""

    var services: [String: ServiceRecord] = [:]
    var serviceOrder: [String] = []
    var serviceIDsByName: [String: String] = [:]
    var tasks: [String: TaskRecord] = [:]
    var secrets: [Swarm.Secret] = []
    var configs: [Swarm.Config] = []
    var networks: [Swarm.Network] = []

    var runs: [String: UpdateRun] = [:]
    var runCounts: [String: Int] = [:]
    var journals: [String: [UpdateEvent]] = [:]
    var waiters: [String: [UUID: TaskWaiter]] = [:]
    var timers: [UUID: Task<Void, Never>] = [:]
    var isShutDown = false

    /// Tasks kept per slot, the running one included: the swarm's TaskHistoryRetentionLimit (5 unless
    /// `docker swarm update --task-history-limit` changed it; negative keeps every task, as swarmkit's reaper).
    var historyLimit: Int {
        let limit = cluster.spec.orchestration?.taskHistoryRetentionLimit ?? 5
        return limit < 0 ? Int.max : max(1, Int(limit))
    }

    /// An empty swarm of no nodes; ``DockerWorld/seed(from:)`` fills it from an inventory.
    init(clock: SimulatedClock, timings: TaskTimings, seed: UInt64, logger: Logger) {
        self.clock = clock
        self.timings = timings
        self.logger = logger
        var ids = SwarmIdentifiers(seed: seed)
        clusterID = ids.objectID()
        let createdAt = DockerJSON.timestamp(Date().addingTimeInterval(-86_400 * 30))
        cluster = ClusterState(
            spec: Self.defaultSwarmSpec, version: 11, updatedAt: createdAt,
            joinTokens: Swarm.JoinTokens(worker: Secret(ids.joinToken()), manager: Secret(ids.joinToken())))
        self.ids = ids
        clusterCreatedAt = createdAt
    }

    // MARK: - Public view

    /// The update events of a service (by name or ID), oldest first; empty for an unknown service.
    public func updateEvents(service nameOrID: String) -> [UpdateEvent] {
        guard let id = try? serviceID(for: nameOrID) else { return [] }
        return journals[id] ?? []
    }

    /// The names of every service, in creation order.
    public func serviceNames() -> [String] { serviceOrder.compactMap { services[$0]?.name } }

    /// How many nodes, services and tasks the store holds.
    public func counts() -> (nodes: Int, services: Int, tasks: Int) { (nodes.count, services.count, tasks.count) }

    /// The service's current update state, if it has one.
    public func updateState(service nameOrID: String) -> Swarm.UpdateState? {
        guard let id = try? serviceID(for: nameOrID) else { return nil }
        return services[id]?.service.updateStatus?.state
    }

    /// Stops every timer and updater; the store stays readable. Idempotent.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        for timer in timers.values { timer.cancel() }
        timers.removeAll()
        for run in runs.values { run.driver?.cancel() }
        for (taskID, entries) in waiters {
            for token in entries.keys { resumeWaiter(taskID, token, false) }
        }
    }

    // MARK: - Store helpers

    /// The next Raft index.
    func nextIndex() -> UInt64 {
        index += 1
        return index
    }

    /// Simulated time since the world started.
    func simulatedNow() -> Duration { clock.simulated(ContinuousClock.now - origin) }

    /// A timestamp for now.
    func timestamp() -> String { DockerJSON.timestamp(clock.now()) }

    /// Changes a service, then moves its version and UpdatedAt and drops its cached JSON.
    func mutateService(_ id: String, _ change: (inout ServiceRecord) -> Void) {
        guard var record = services[id] else { return }
        change(&record)
        record.service.version = Swarm.ObjectVersion(index: nextIndex())
        record.service.updatedAt = timestamp()
        record.encoded = nil
        services[id] = record
    }

    /// Changes a task, then moves its version and drops its cached JSON.
    func mutateTask(_ id: String, _ change: (inout TaskRecord) -> Void) {
        guard var record = tasks[id] else { return }
        change(&record)
        record.task.version = Swarm.ObjectVersion(index: nextIndex())
        record.task.updatedAt = timestamp()
        record.encoded = nil
        tasks[id] = record
    }

    /// Records an update event for a service.
    func journal(_ serviceID: String, run: Int, _ kind: UpdateEvent.Kind) {
        journals[serviceID, default: []].append(UpdateEvent(run: run, kind: kind, at: simulatedNow()))
        logger.debug("update event", metadata: ["service": "\(services[serviceID]?.name ?? serviceID)", "event": "\(kind)"])
    }

    // MARK: - Lookups (full ID, then exact name, then unique ID prefix, as the daemon resolves them)

    /// The ID of the service called or identified by `text`.
    /// - Throws: ``DockerAPIError`` 404 when none matches or a prefix is ambiguous.
    func serviceID(for text: String) throws -> String {
        if services[text] != nil { return text }
        if let match = serviceIDsByName[text] { return match }
        let prefixed = serviceOrder.filter { $0.hasPrefix(text) }
        guard prefixed.count == 1, !text.isEmpty else { throw DockerAPIError.notFound("service", text) }
        return prefixed[0]
    }

    /// The position in `nodes` of the node called or identified by `text`.
    /// - Throws: ``DockerAPIError`` 404 when none matches or a prefix is ambiguous.
    func nodePosition(for text: String) throws -> Int {
        if let position = nodePositions[text] { return position }
        if let position = nodes.firstIndex(where: { $0.description?.hostname == text }) { return position }
        let prefixed = nodes.indices.filter { (nodes[$0].id ?? "").hasPrefix(text) }
        guard prefixed.count == 1, !text.isEmpty else { throw DockerAPIError.notFound("node", text) }
        return prefixed[0]
    }

    /// The node with ID `id`, if any.
    func node(_ id: String?) -> Swarm.Node? {
        guard let id, let position = nodePositions[id] else { return nil }
        return nodes[position]
    }

    // MARK: - Timers

    /// Runs `action` on the actor after a simulated `delay`, unless the world shuts down first.
    func schedule(after delay: Duration, _ action: @escaping @Sendable (isolated DockerWorld) -> Void) {
        guard !isShutDown else { return }
        let token = UUID()
        let clock = self.clock
        timers[token] = Task {
            let completed: Bool
            do {
                try await clock.sleep(for: delay)
                completed = true
            } catch {
                completed = false
            }
            self.fire(token, completed ? action : nil)
        }
    }

    private func fire(_ token: UUID, _ action: (@Sendable (isolated DockerWorld) -> Void)?) {
        timers[token] = nil
        guard !isShutDown, let action else { return }
        action(self)
    }
}

/// How long each simulated step of a task's life takes (simulated time; the clock scales it).
public struct TaskTimings: Sendable, Hashable {
    /// Each scheduling step: new → pending → assigned → accepted → preparing.
    public var scheduling: Duration
    /// Preparing → ready (the image pull).
    public var preparing: Duration
    /// Starting → running (the container starts and its first health check passes).
    public var starting: Duration
    /// Starting → failed for an image whose tag contains `broken` (the health check fails).
    public var failingHealthCheck: Duration
    /// Running → shutdown (stop grace).
    public var stopping: Duration

    /// Timings of a small homelab on a LAN.
    public init(
        scheduling: Duration = .milliseconds(100), preparing: Duration = .milliseconds(500), starting: Duration = .seconds(1),
        failingHealthCheck: Duration = .seconds(2), stopping: Duration = .seconds(1)
    ) {
        self.scheduling = scheduling
        self.preparing = preparing
        self.starting = starting
        self.failingHealthCheck = failingHealthCheck
        self.stopping = stopping
    }
}
