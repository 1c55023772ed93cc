import Foundation
import GRDB

/// The durable record of rollouts: each run, each step's status, and every transition in order.
///
/// The runner writes a transition here *before* acting on it, so that after a crash (even
/// `kill -9`) `resume` can see what was started and what finished. Each step transition and its
/// log row are written in one transaction. Payloads (the step's target, what to roll back to) are
/// opaque JSON owned by the rollout code.
public struct RolloutJournal: Sendable {
    let store: StateStore

    /// A run's lifecycle.
    public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
        /// Written, not started yet.
        case planned
        /// A process is driving it.
        case running
        /// Every step finished healthy.
        case completed
        /// Stopped on a failure with pause-all, or by the operator; `resume` continues it.
        case paused
        /// Ended with failed steps (independent branches finished).
        case failed
        /// The failed service, or everything this run updated, was rolled back.
        case rolledBack = "rolled_back"

        /// Whether nothing more will happen to the run.
        public var isFinal: Bool { self == .completed || self == .failed || self == .rolledBack }
    }

    /// A step's lifecycle, as persisted.
    public enum StepStatus: String, Sendable, Hashable, Codable, CaseIterable {
        case pending, running, succeeded, failed, blocked
        case rollingBack = "rolling_back"
        case rolledBack = "rolled_back"
    }

    /// One run as stored.
    public struct Run: Sendable, Hashable {
        public var id: String
        public var createdAt: Date
        public var updatedAt: Date
        public var status: RunStatus
        /// The request that produced the plan (JSON owned by the rollout code), so `resume` needs no arguments.
        public var request: Data
        /// `host:pid` of the process driving the run, while one does.
        public var owner: String?
        public var detail: String?
    }

    /// One step as stored.
    public struct Step: Sendable, Hashable {
        public var stepID: String
        /// Position in the planned order.
        public var position: Int
        public var status: StepStatus
        /// What the step does (JSON owned by the rollout code).
        public var payload: Data
        public var startedAt: Date?
        public var finishedAt: Date?
        public var detail: String?

        public init(stepID: String, position: Int, status: StepStatus = .pending, payload: Data) {
            self.stepID = stepID
            self.position = position
            self.status = status
            self.payload = payload
        }
    }

    /// One recorded transition.
    public struct Transition: Sendable, Hashable {
        public var at: Date
        /// The step, or nil for a run-level transition.
        public var stepID: String?
        public var from: String?
        public var to: String
        public var detail: String?
    }

    /// Records a new run and its steps (all pending) in one transaction.
    /// - Throws: ``HomelabError/Code/storeFailure``; `.conflict` if the ID exists.
    public func create(runID: String, request: Data, steps: [Step], now: Date = Date()) async throws {
        let exists = try await store.read("look up rollout \(runID)") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM rollout_run WHERE id = ?)", arguments: [runID]) ?? false
        }
        if exists { throw HomelabError(.conflict, "a rollout with ID \(runID) already exists", component: "store") }
        try await store.write("record rollout \(runID)") { db in
            let t = now.timeIntervalSince1970
            try db.execute(
                sql: "INSERT INTO rollout_run (id, created_at, updated_at, status, request) VALUES (?, ?, ?, ?, ?)",
                arguments: [runID, t, t, RunStatus.planned.rawValue, String(decoding: request, as: UTF8.self)])
            for step in steps {
                try db.execute(
                    sql: "INSERT INTO rollout_step (run_id, step_id, position, status, payload) VALUES (?, ?, ?, ?, ?)",
                    arguments: [runID, step.stepID, step.position, step.status.rawValue, String(decoding: step.payload, as: UTF8.self)])
            }
            try db.execute(
                sql: "INSERT INTO rollout_transition (run_id, at, to_status, detail) VALUES (?, ?, ?, ?)",
                arguments: [runID, t, RunStatus.planned.rawValue, "\(steps.count) steps"])
        }
    }

    /// Moves a step to `status` and logs the transition, atomically. Sets started/finished times as the status implies.
    /// - Parameter payload: a replacement payload (e.g. the spec to roll back to, learned when the step starts).
    public func transition(
        runID: String, stepID: String, to status: StepStatus, detail: String? = nil, payload: Data? = nil,
        now: Date = Date()
    ) async throws {
        let detail = detail.map(Redaction.redactText)
        try await store.write("record step \(stepID) of rollout \(runID)") { db in
            guard let from = try String.fetchOne(
                db, sql: "SELECT status FROM rollout_step WHERE run_id = ? AND step_id = ?", arguments: [runID, stepID])
            else {
                throw HomelabError(.notFound, "rollout \(runID) has no step \(stepID)", component: "store")
            }
            let t = now.timeIntervalSince1970
            var sets = ["status = ?", "detail = ?"]
            var args: [any DatabaseValueConvertible & Sendable] = [status.rawValue, detail ?? ""]
            if status == .running {
                sets.append("started_at = COALESCE(started_at, ?)")
                args.append(t)
            }
            if [.succeeded, .failed, .blocked, .rolledBack].contains(status) {
                sets.append("finished_at = ?")
                args.append(t)
            }
            if let payload {
                sets.append("payload = ?")
                args.append(String(decoding: payload, as: UTF8.self))
            }
            args += [runID, stepID]
            try db.execute(
                sql: "UPDATE rollout_step SET \(sets.joined(separator: ", ")) WHERE run_id = ? AND step_id = ?",
                arguments: StatementArguments(args.map { $0 as any DatabaseValueConvertible }))
            try db.execute(
                sql: "INSERT INTO rollout_transition (run_id, at, step_id, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [runID, t, stepID, from, status.rawValue, detail])
            try db.execute(sql: "UPDATE rollout_run SET updated_at = ? WHERE id = ?", arguments: [t, runID])
        }
    }

    /// Sets the run's status and logs it.
    public func setStatus(runID: String, _ status: RunStatus, detail: String? = nil, now: Date = Date()) async throws {
        let detail = detail.map(Redaction.redactText)
        try await store.write("record the status of rollout \(runID)") { db in
            guard let from = try String.fetchOne(db, sql: "SELECT status FROM rollout_run WHERE id = ?", arguments: [runID]) else {
                throw HomelabError(.notFound, "no rollout with ID \(runID)", component: "store")
            }
            let t = now.timeIntervalSince1970
            try db.execute(
                sql: "UPDATE rollout_run SET status = ?, updated_at = ?, detail = ? WHERE id = ?",
                arguments: [status.rawValue, t, detail, runID])
            try db.execute(
                sql: "INSERT INTO rollout_transition (run_id, at, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?)",
                arguments: [runID, t, from, status.rawValue, detail])
        }
    }

    /// Takes ownership of a run for this process, unless a live process owns it.
    /// - Parameters:
    ///   - owner: `host:pid` of the caller.
    ///   - isAlive: tells whether a recorded owner still runs (the caller checks pids on its host).
    /// - Throws: `.conflict` when another live process drives the run.
    public func claim(runID: String, owner: String, isAlive: @escaping @Sendable (String) -> Bool) async throws {
        try await store.write("claim rollout \(runID)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT owner FROM rollout_run WHERE id = ?", arguments: [runID]) else {
                throw HomelabError(.notFound, "no rollout with ID \(runID)", component: "store")
            }
            let current: String? = row["owner"]
            if let current, current != owner, isAlive(current) {
                throw HomelabError(.conflict, "rollout \(runID) is being driven by \(current)", component: "store")
            }
            try db.execute(sql: "UPDATE rollout_run SET owner = ? WHERE id = ?", arguments: [owner, runID])
        }
    }

    /// Gives up ownership (when the process stops driving the run).
    public func release(runID: String, owner: String) async throws {
        try await store.write("release rollout \(runID)") { db in
            try db.execute(sql: "UPDATE rollout_run SET owner = NULL WHERE id = ? AND owner = ?", arguments: [runID, owner])
        }
    }

    /// The run with this ID, or nil.
    public func run(_ runID: String) async throws -> Run? {
        try await store.read("read rollout \(runID)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM rollout_run WHERE id = ?", arguments: [runID]).map(Self.run(from:))
        }
    }

    /// The most recent runs first.
    public func runs(limit: Int = 50) async throws -> [Run] {
        try await store.read("list rollouts") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rollout_run ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [limit])
                .map(Self.run(from:))
        }
    }

    /// A run's steps in planned order.
    public func steps(runID: String) async throws -> [Step] {
        try await store.read("read the steps of rollout \(runID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rollout_step WHERE run_id = ? ORDER BY position", arguments: [runID]).map { row in
                var step = Step(
                    stepID: row["step_id"], position: row["position"],
                    status: StepStatus(rawValue: row["status"]) ?? .pending, payload: Data((row["payload"] as String).utf8))
                step.startedAt = (row["started_at"] as Double?).map(Date.init(timeIntervalSince1970:))
                step.finishedAt = (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:))
                step.detail = row["detail"]
                return step
            }
        }
    }

    /// How long steps of the given services took in past runs, in seconds: the median of each one's last
    /// `samples` succeeded steps (a step resumed after a crash counts from its first start). Services without
    /// history are absent.
    public func durationHistory(services: [String], samples: Int = 5) async throws -> [String: Double] {
        let wanted = Set(services)
        guard !wanted.isEmpty, samples > 0 else { return [:] }
        let names = Array(wanted)
        let rows = try await store.read("read past step durations") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT step_id, finished_at - started_at AS seconds FROM rollout_step
                    WHERE status = 'succeeded' AND started_at IS NOT NULL AND finished_at >= started_at
                    AND step_id IN (\(databaseQuestionMarks(count: names.count)))
                    ORDER BY finished_at DESC
                    """,
                arguments: StatementArguments(names)
            ).map { (id: $0["step_id"] as String, seconds: $0["seconds"] as Double) }
        }
        var recent: [String: [Double]] = [:]
        for row in rows where (recent[row.id]?.count ?? 0) < samples {
            recent[row.id, default: []].append(row.seconds)
        }
        return recent.mapValues { values in
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }

    /// Every transition of a run, oldest first.
    public func transitions(runID: String) async throws -> [Transition] {
        try await store.read("read the history of rollout \(runID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM rollout_transition WHERE run_id = ? ORDER BY id", arguments: [runID]).map { row in
                Transition(
                    at: Date(timeIntervalSince1970: row["at"]), stepID: row["step_id"], from: row["from_status"],
                    to: row["to_status"], detail: row["detail"])
            }
        }
    }

    private static func run(from row: Row) -> Run {
        Run(
            id: row["id"], createdAt: Date(timeIntervalSince1970: row["created_at"]),
            updatedAt: Date(timeIntervalSince1970: row["updated_at"]),
            status: RunStatus(rawValue: row["status"]) ?? .paused, request: Data((row["request"] as String).utf8),
            owner: row["owner"], detail: row["detail"])
    }
}

extension StateStore {
    /// The rollout journal kept in this store.
    public var rolloutJournal: RolloutJournal { RolloutJournal(store: self) }
}
