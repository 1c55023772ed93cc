import Foundation
import Logging

extension SwarmClient {
    /// The engine's event feed (`GET /events`) as an async sequence. Without `until` it goes on until the caller
    /// stops iterating (which closes the request). Filters: `type` (service, node, secret, config, ...), `event`
    /// (create, update, remove, ...), `scope`, `label`, and per-type names such as `service`, `node`.
    /// - Throws: ``HomelabError`` when the request fails; the sequence throws for a broken stream or an event
    ///   that is not valid JSON.
    public func events(
        filters: Swarm.Filters = Swarm.Filters(), since: Date? = nil, until: Date? = nil, logger: Logger? = nil
    ) async throws -> AsyncThrowingStream<Swarm.SystemEvent, any Error> {
        var query = filters.queryItems
        if let since { query.append(("since", Swarm.LogOptions.unixTimestamp(since))) }
        if let until { query.append(("until", Swarm.LogOptions.unixTimestamp(until))) }
        let response = try await rest.stream(.get, "/events", query: query, logger: logger)
        let lines = response.body.lines
        return AsyncThrowingStream { continuation in
            let task = Task {
                let decoder = JSONDecoder()
                do {
                    for try await line in lines where !line.isEmpty {
                        do {
                            continuation.yield(try decoder.decode(Swarm.SystemEvent.self, from: Data(line)))
                        } catch let error as DecodingError {
                            throw HomelabError(
                                .decodingFailed, "an event is not valid: \(DecodingErrorText.describe(error))",
                                component: "docker")
                        }
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
