import Foundation
import Logging

extension WoodpeckerClient {
    /// Step logs: read whole, or followed while the step runs.
    public var logs: Logs { Logs(client: self) }

    /// `client.logs`.
    public struct Logs: Sendable {
        let client: WoodpeckerClient

        /// Every line the step has logged so far (`GET /api/repos/{repo_id}/logs/{number}/{step_id}`).
        /// - Throws: ``HomelabError/Code/notFound``.
        public func lines(repo: Int64, pipeline number: Int64, step: Int64, logger: Logger? = nil) async throws -> [Woodpecker.LogEntry] {
            let path = "/repos/\(repo)/logs/\(number)/\(step)"
            let response = try await client.rest.call(.get, path, logger: logger)
            if response.body.isEmpty || response.body == Array("null".utf8) { return [] }
            return try client.rest.decode([Woodpecker.LogEntry].self, response.body, path: path)
        }

        /// The step's lines as they are written: the server-sent events of
        /// `GET /api/stream/logs/{repo_id}/{number}/{step_id}` while the step runs (the server replays the lines
        /// written so far first, then each new one; `event: error` / `data: eof` ends it). A step that is not
        /// running has no stream (`data: stream not found`): its stored lines are read instead. The sequence ends
        /// when the step's log ends; stopping the iteration closes the stream.
        public func follow(repo: Int64, pipeline number: Int64, step: Int64, logger: Logger? = nil) -> AsyncThrowingStream<Woodpecker.LogEntry, any Error> {
            let client = self.client
            let path = "/stream/logs/\(repo)/\(number)/\(step)"
            return AsyncThrowingStream { continuation in
                let task = Task {
                    do {
                        let response = try await client.rest.stream(
                            .get, path, headers: ["Accept": "text/event-stream"], logger: logger)
                        var seen = Set<Int64>()
                        var streamed = false
                        for try await event in ServerSentEvents.events(response.body) {
                            if event.event == "error" {
                                if event.data.contains("not found") && !streamed {
                                    for entry in try await lines(repo: repo, pipeline: number, step: step, logger: logger) {
                                        continuation.yield(entry)
                                    }
                                }
                                break
                            }
                            guard !event.data.isEmpty else { continue }
                            let entry = try client.rest.decode(Woodpecker.LogEntry.self, Array(event.data.utf8), path: path)
                            streamed = true
                            if seen.insert(entry.line).inserted { continuation.yield(entry) }
                        }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
    }
}
