import Foundation
import HomelabCore

/// A replica slot (replicated services) or a node (global services): where one task of a service lives.
enum SlotKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    case replica(Int)
    case node(String)

    var description: String {
        switch self {
        case .replica(let number): return "\(number)"
        case .node(let id): return id
        }
    }

    static func < (lhs: SlotKey, rhs: SlotKey) -> Bool {
        switch (lhs, rhs) {
        case (.replica(let a), .replica(let b)): return a < b
        case (.node(let a), .node(let b)): return a < b
        case (.replica, .node): return true
        case (.node, .replica): return false
        }
    }
}

/// A service in the simulated store, with its tasks and the cached JSON of its answer.
struct ServiceRecord: Sendable {
    var service: Swarm.Service
    /// Its tasks, oldest first.
    var taskIDs: [String] = []
    /// `GET /services/{id}` without ServiceStatus, cached until the service changes.
    var encoded: [UInt8]?
    /// Restarts per slot since the spec last changed (for RestartPolicy.MaxAttempts).
    var restarts: [SlotKey: Int] = [:]

    var id: String { service.id ?? "" }
    var name: String { service.spec?.name ?? "" }
    var spec: Swarm.ServiceSpec { service.spec ?? Swarm.ServiceSpec() }
}

/// A task in the simulated store.
struct TaskRecord: Sendable {
    var task: Swarm.Task
    var slot: SlotKey
    /// The endpoint spec it was created with (a change makes it dirty, as in swarmkit).
    var endpointSpec: Swarm.EndpointSpec?
    /// The cached JSON of the task.
    var encoded: [UInt8]?
    /// The token of the lifecycle step scheduled for it; a timer with another token is stale.
    var step: UUID?

    var id: String { task.id ?? "" }
    var serviceID: String { task.serviceID ?? "" }
    var nodeID: String? { task.nodeID }
    var state: Swarm.TaskState { task.status?.state ?? .new }
    var desired: Swarm.TaskState { task.desiredState ?? .running }
    /// Whether the orchestrator still wants it (desired state at most running): it occupies its slot.
    var isRunnable: Bool { desired.rank <= Swarm.TaskState.running.rank }
    /// Whether it has stopped for good.
    var isTerminal: Bool { state.rank > Swarm.TaskState.running.rank }
}

extension Swarm.TaskState {
    /// The lifecycle order swarmkit uses (new = 0 ... running = 8, then the terminal states).
    var rank: Int { Swarm.TaskState.knownCases.firstIndex(of: self) ?? Swarm.TaskState.knownCases.count }
}

/// The update or rollback settings an updater runs with, defaults filled in as swarmkit does.
struct EffectiveUpdateConfig: Sendable, Hashable {
    var parallelism: Int
    var delay: Duration
    var failureAction: Swarm.UpdateFailureAction
    var monitor: Duration
    var maxFailureRatio: Double
    var order: Swarm.UpdateOrder

    /// swarmkit's defaults (`api/defaults/service.go`): used when the config is absent.
    static let defaults = EffectiveUpdateConfig(
        parallelism: 1, delay: .zero, failureAction: .pause, monitor: .seconds(5), maxFailureRatio: 0, order: .stopFirst)

    /// The config in force for `config`: absent means the defaults; inside a present config, Parallelism 0
    /// (or absent) means every dirty slot at once and Monitor 0 means 5 s.
    init(_ config: Swarm.UpdateConfig?) {
        guard let config else {
            self = .defaults
            return
        }
        parallelism = Int(max(0, config.parallelism ?? 0))
        delay = config.delay.map(\.duration) ?? .zero
        failureAction = config.failureAction ?? .pause
        let monitor = config.monitor.map(\.duration) ?? .zero
        self.monitor = monitor > .zero ? monitor : .seconds(5)
        maxFailureRatio = config.maxFailureRatio ?? 0
        order = config.order ?? .stopFirst
    }

    private init(
        parallelism: Int, delay: Duration, failureAction: Swarm.UpdateFailureAction, monitor: Duration,
        maxFailureRatio: Double, order: Swarm.UpdateOrder
    ) {
        self.parallelism = parallelism
        self.delay = delay
        self.failureAction = failureAction
        self.monitor = monitor
        self.maxFailureRatio = maxFailureRatio
        self.order = order
    }
}

/// One rolling update (or rollback) of one service in progress: the updater's bookkeeping.
struct UpdateRun: Sendable {
    let id: Int
    let serviceID: String
    let isRollback: Bool
    /// The spec it rolls towards.
    let spec: Swarm.ServiceSpec
    let config: EffectiveUpdateConfig
    /// The slots that were dirty when it started, in order.
    let slots: [SlotKey]
    /// Tasks this update created, with the time each reached running or beyond (nil: not yet).
    var updatedTasks: [String: ContinuousClock.Instant?] = [:]
    /// Tasks whose failure was counted already.
    var counted: Set<String> = []
    var failures = 0
    /// Dispatching stopped (paused, or a rollback took over).
    var stopped = false
    /// Slots being worked on right now.
    var inFlight = 0
    /// The task driving it.
    var driver: Task<Void, Never>?

    /// Whether failures are watched at all (swarmkit sets no watch with `continue`).
    var watchesFailures: Bool { config.failureAction != .continue }
}
