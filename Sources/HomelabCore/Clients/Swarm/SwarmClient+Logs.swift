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
        // From API 1.42 the daemon labels a multiplexed log `multiplexed-stream`; before that it labels every log
        // `raw-stream`, multiplexed or not (the docker CLI decides by the service's TTY), and some versions send no
        // label. So only `multiplexed-stream` is taken at its word; otherwise the first bytes tell: a multiplexed
        // stream starts with a frame header (stream 0, 1 or 2, then three zero bytes), which no terminal output does.
        let contentType = response.headers["Content-Type"]?.lowercased() ?? ""
        let labelled: Swarm.LogFraming? = contentType.contains("multiplexed-stream") ? .multiplexed : nil
        let body = response.body
        return AsyncThrowingStream { continuation in
            let task = Task {
                var demultiplexer = Swarm.StreamDemultiplexer()
                var splitter = Swarm.LogLineSplitter(timestamps: options.timestamps, details: options.details)
                var head: [UInt8] = []
                var framing = labelled
                do {
                    for try await chunk in body {
                        var bytes = Array(chunk)
                        if framing == nil {
                            head += bytes
                            guard let decided = Swarm.LogFraming.sniff(head) else { continue }
                            framing = decided
                            bytes = head
                            head = []
                        }
                        if framing == .raw {
                            for entry in splitter.entries(.stdout, bytes) { continuation.yield(entry) }
                        } else {
                            for frame in try demultiplexer.feed(bytes) {
                                for entry in splitter.entries(frame.stream, frame.payload) { continuation.yield(entry) }
                            }
                        }
                    }
                    if !head.isEmpty {
                        // Fewer than four bytes in all: too short to be a frame, so it is terminal output.
                        for entry in splitter.entries(.stdout, head) { continuation.yield(entry) }
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

extension Swarm {
    /// How a log answer is framed: Docker's multiplexed frames, or a TTY's raw bytes.
    enum LogFraming: Sendable, Equatable {
        case multiplexed
        case raw

        /// Decides from the first bytes of the body, or nil while fewer than four have arrived.
        static func sniff(_ head: [UInt8]) -> LogFraming? {
            guard head.count >= 4 else { return nil }
            return head[0] <= 2 && head[1] == 0 && head[2] == 0 && head[3] == 0 ? .multiplexed : .raw
        }
    }
}
