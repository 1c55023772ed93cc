/// A streamed response body: chunks of bytes as they arrive (Docker logs, event feeds).
///
/// Iterate it once. Stopping the iteration (or dropping the sequence) cancels the transfer.
public struct HTTPBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let stream: AsyncThrowingStream<[UInt8], any Error>
    /// Told how many bytes each chunk read had (the transport's back-pressure).
    private let consumed: (@Sendable (Int) -> Void)?

    init(_ stream: AsyncThrowingStream<[UInt8], any Error>, consumed: (@Sendable (Int) -> Void)? = nil) {
        self.stream = stream
        self.consumed = consumed
    }

    /// A body made of the given chunks (for tests and in-memory transports).
    public init(chunks: [[UInt8]]) {
        self.stream = AsyncThrowingStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish()
        }
        self.consumed = nil
    }

    /// Reads the chunks in order; each chunk read lets the transport receive as much again.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<[UInt8], any Error>.AsyncIterator
        let consumed: (@Sendable (Int) -> Void)?

        public mutating func next() async throws -> [UInt8]? {
            let chunk = try await base.next()
            if let chunk, let consumed { consumed(chunk.count) }
            return chunk
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator(), consumed: consumed)
    }

    /// Reads the whole body.
    /// - Throws: ``HomelabError/Code/decodingFailed`` past `limit` bytes; transport errors as they happen.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in self {
            all.append(contentsOf: chunk)
            if all.count > limit {
                throw HomelabError(.decodingFailed, "response body exceeds \(limit) bytes")
            }
        }
        return all
    }

    /// The body split into lines (without the newline), for newline-delimited JSON feeds.
    public var lines: AsyncThrowingStream<[UInt8], any Error> {
        let upstream = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                var pending: [UInt8] = []
                do {
                    for try await chunk in upstream {
                        pending.append(contentsOf: chunk)
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            var line = Array(pending[..<newline])
                            if line.last == UInt8(ascii: "\r") { line.removeLast() }
                            pending.removeSubrange(...newline)
                            continuation.yield(line)
                        }
                    }
                    if !pending.isEmpty { continuation.yield(pending) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// A response whose head has arrived and whose body streams.
public struct HTTPStreamingResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Response header fields.
    public var headers: HTTPHeaders
    /// The body, as it arrives.
    public var body: HTTPBody

    public init(status: Int, headers: HTTPHeaders, body: HTTPBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Reads the whole body into an ``HTTPResponse``.
    public func collect(upTo limit: Int) async throws -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: try await body.collect(upTo: limit))
    }
}
