import Foundation
import Logging

extension TrueNAS {
    /// A running middleware job (a scrub, an app start, a snapshot rollback on some versions): its id, its updates
    /// as the server reports them, and its result.
    public struct JobHandle: Sendable {
        /// The job's id.
        public let id: Int
        /// The method that started it.
        public let method: String
        let backend: any TrueNASBackend

        /// The job now (`core.get_jobs [["id", "=", id]]`).
        /// - Throws: ``HomelabError/Code/notFound`` when the server forgot it; transport errors.
        public func current(logger: Logger? = nil) async throws -> Job {
            try await currentJob(id, backend: backend, logger: logger)
        }

        /// The job's states from now until it ends: `core.get_jobs` events over JSON-RPC (subscribed before the job
        /// is read, so no change is missed), polls over REST. The first element is its state now.
        /// - Throws: transport errors; the sequence throws when the connection is lost for good.
        public func updates(logger: Logger? = nil) async throws -> AsyncThrowingStream<Job, any Error> {
            try await backend.jobUpdates(id, logger: logger)
        }

        /// Waits until the job ends and returns its result; `progress` sees every update on the way.
        /// - Throws: ``HomelabError/Code/commandFailed`` with the job's error and the last line of its traceback
        ///   when it failed or was aborted; `.timedOut` after `timeout`; transport errors.
        public func result(
            timeout: Duration = .seconds(600), logger: Logger? = nil, progress: (@Sendable (Job) -> Void)? = nil
        ) async throws -> JSONValue {
            let id = self.id
            let method = self.method
            let backend = self.backend
            let outcome = try await Deadline.run(timeout, "waiting for TrueNAS job \(id) (\(method))") {
                var last: Job?
                for try await job in try await backend.jobUpdates(id, logger: logger) {
                    progress?(job)
                    last = job
                    if job.state.isFinished { break }
                }
                guard let last, last.state.isFinished else {
                    throw HomelabError(.connectionFailed, "the updates of job \(id) ended before the job did", component: "truenas")
                }
                return last
            }.get()
            if outcome.state == .success { return outcome.result ?? .null }
            var message = "TrueNAS job \(id) (\(method)) \(outcome.state == .aborted ? "was aborted" : "failed")"
            if let error = outcome.error { message += ": \(error)" }
            if let summary = outcome.tracebackSummary {
                // The traceback's last line usually repeats the error after the exception's class: keep the class.
                if let error = outcome.error, let range = summary.range(of: error) {
                    let exception = summary[..<range.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: ": "))
                    if !exception.isEmpty { message += " (\(exception))" }
                } else {
                    message += " [\(summary)]"
                }
            }
            throw HomelabError(.commandFailed, message, component: "truenas", serverMessage: outcome.error)
        }
    }
}
