import Logging

extension SwarmClient.Services {
    /// The service's log (`GET /services/{id}/logs`), demultiplexed into stdout and stderr lines. With
    /// ``Swarm/LogOptions/follow`` the sequence goes on until the caller stops iterating (which closes the request).
    /// Works with the `local`, `json-file` and `journald` log drivers only.
    /// - Throws: ``HomelabError`` when the request fails; the sequence throws for a broken stream.
    public func logs(
        _ id: String, options: Swarm.LogOptions = Swarm.LogOptions(), logger: Logger? = nil
    ) async throws -> AsyncThrowingStream<Swarm.LogEntry, any Error> {
        let path = "/services/\(try client.rest.pathComponent(id, what: "service"))/logs"
        return try await client.logStream(path, options: options, logger: logger)
    }
}

extension SwarmClient.Tasks {
    /// The task's log (`GET /tasks/{id}/logs`), demultiplexed into stdout and stderr lines.
    /// - Throws: ``HomelabError`` when the request fails; the sequence throws for a broken stream.
    public func logs(
        _ id: String, options: Swarm.LogOptions = Swarm.LogOptions(), logger: Logger? = nil
    ) async throws -> AsyncThrowingStream<Swarm.LogEntry, any Error> {
        let path = "/tasks/\(try client.rest.pathComponent(id, what: "task"))/logs"
        return try await client.logStream(path, options: options, logger: logger)
    }
}

extension SwarmClient {
    func logStream(
        _ path: String, options: Swarm.LogOptions, logger: Logger?
    ) async throws -> AsyncThrowingStream<Swarm.LogEntry, any Error> {
        guard options.stdout || options.stderr else {
            throw HomelabError(.invalidArgument, "a log request needs stdout, stderr or both", component: "docker")
        }
        let response = try await rest.stream(.get, path, query: options.queryItems, logger: logger)
        // Docker omits the content type on some versions; only an explicit raw stream (a TTY) is not multiplexed.
        let raw = response.headers["Content-Type"]?.lowercased().contains("raw-stream") == true
        let body = response.body
        return AsyncThrowingStream { continuation in
            let task = Task {
                var demultiplexer = Swarm.StreamDemultiplexer()
                var splitter = Swarm.LogLineSplitter(timestamps: options.timestamps, details: options.details)
                do {
                    for try await chunk in body {
                        if raw {
                            for entry in splitter.entries(.stdout, chunk) { continuation.yield(entry) }
                        } else {
                            for frame in try demultiplexer.feed(chunk) {
                                for entry in splitter.entries(frame.stream, frame.payload) { continuation.yield(entry) }
                            }
                        }
                    }
                    for entry in splitter.flush() { continuation.yield(entry) }
                    if demultiplexer.pendingByteCount > 0 {
                        throw HomelabError(
                            .decodingFailed, "the log stream ended inside a frame (\(demultiplexer.pendingByteCount) bytes left)",
                            component: "docker")
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
