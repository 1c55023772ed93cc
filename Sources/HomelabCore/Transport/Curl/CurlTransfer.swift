import CCurl

/// One request in flight: its easy handle, the header list, the response being received, and how it is
/// delivered (whole, or head first then a body stream).
///
/// Ownership: created by the submitting task, then owned by the driver thread from the moment it is
/// queued; only the driver thread touches the handle and the mutable response state.
final class CurlTransfer: @unchecked Sendable {
    enum Delivery {
        case buffered(CheckedContinuation<HTTPResponse, any Error>)
        case streaming(CheckedContinuation<HTTPStreamingResponse, any Error>)
    }

    let request: HTTPRequest
    let endpoint: Endpoint
    let totalTimeoutSeconds: Double?
    let connectTimeoutMilliseconds: Int
    let maxBufferedBytes: Int
    /// What a streamed body may hold unread before the transfer pauses.
    let credit: StreamCredit
    var delivery: Delivery?

    // Driver-thread state.
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var status = 0
    var headers = HTTPHeaders()
    var headComplete = false
    var body: [UInt8] = []
    var bodyStream: AsyncThrowingStream<[UInt8], any Error>.Continuation?
    var failure: HomelabError?
    var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    var finished = false
    weak var driver: CurlMultiDriver?

    init(
        request: HTTPRequest, endpoint: Endpoint, connectTimeoutMilliseconds: Int, totalTimeoutSeconds: Double?,
        maxBufferedBytes: Int, streamBufferBytes: Int = 4 << 20
    ) {
        self.credit = StreamCredit(highWater: streamBufferBytes)
        self.request = request
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.endpoint = endpoint
        self.totalTimeoutSeconds = totalTimeoutSeconds
        self.maxBufferedBytes = maxBufferedBytes
    }

    /// A header line arrived (status lines included). Returns false to abort the transfer.
    func receiveHeaderLine(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        // Trim CR/LF as bytes: Swift treats "\r\n" as a single Character.
        var end = raw.count
        while end > 0, raw[end - 1] == UInt8(ascii: "\n") || raw[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = String(decoding: UnsafeBufferPointer(rebasing: raw[0..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new header block (after 100 Continue, or a redirect we do not follow).
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = HTTPHeaders()
            return true
        }
        if line.isEmpty {
            if (100..<200).contains(status) { return true }  // interim response: another block follows
            headComplete = true
            deliverHeadIfStreaming()
            return true
        }
        if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            headers.add(name: name, value: String(value))
        }
        return true
    }

    /// What the write callback tells libcurl about a chunk.
    enum BodyReception {
        /// Consumed.
        case accepted
        /// Not consumed: pause the transfer; libcurl delivers the chunk again once it is unpaused.
        case pause
        /// Abort the transfer (the buffered body would exceed its limit).
        case abort
    }

    /// Body bytes arrived.
    func receiveBody(_ chunk: UnsafeBufferPointer<UInt8>) -> BodyReception {
        if let bodyStream {
            guard credit.take(chunk.count) else { return .pause }
            bodyStream.yield(Array(chunk))
            return .accepted
        }
        if body.count + chunk.count > maxBufferedBytes {
            failure = HomelabError(
                .decodingFailed, "response body exceeds \(maxBufferedBytes) bytes; use a streaming request",
                request: request.redactedSummary)
            return .abort
        }
        body.append(contentsOf: chunk)
        return .accepted
    }

    private func deliverHeadIfStreaming() {
        guard case .streaming(let continuation)? = delivery else { return }
        delivery = nil
        let (stream, streamContinuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        bodyStream = streamContinuation
        streamContinuation.onTermination = { [weak driver, weak self] termination in
            // The consumer stopped reading: abort the transfer (a no-op once it has finished).
            guard case .cancelled = termination, let driver, let self else { return }
            driver.cancel(self)
        }
        let credit = credit
        let body = HTTPBody(stream) { [weak driver, weak self] count in
            // The consumer read `count` bytes: unpause a transfer paused for it once half the buffer is free.
            guard credit.give(count), let driver, let self else { return }
            driver.unpause(self)
        }
        continuation.resume(returning: HTTPStreamingResponse(status: status, headers: headers, body: body))
    }

    /// Completes the transfer exactly once: delivers the response or the error to whoever waits.
    func finish(error: HomelabError?) {
        guard !finished else { return }
        finished = true
        let error = failure ?? error
        switch delivery {
        case .buffered(let continuation)?:
            if let error {
                continuation.resume(throwing: error)
            } else {
                continuation.resume(returning: HTTPResponse(status: status, headers: headers, body: body))
            }
        case .streaming(let continuation)?:
            if let error {
                continuation.resume(throwing: error)
            } else {
                // Completed without a body: deliver the head and an empty stream.
                continuation.resume(
                    returning: HTTPStreamingResponse(
                        status: status, headers: headers, body: HTTPBody(AsyncThrowingStream { $0.finish() })))
            }
        case nil:
            if let error { bodyStream?.finish(throwing: error) } else { bodyStream?.finish() }
        }
        delivery = nil
        bodyStream = nil
    }
}

/// The unread bytes of a streamed body, shared by the driver thread (which adds what arrives) and the consumer
/// (which takes away what it reads): past the high-water mark the transfer pauses, and it resumes when the
/// consumer has brought the backlog down to half of it.
final class StreamCredit: Sendable {
    private struct State {
        var unread = 0
        var paused = false
    }

    let highWater: Int
    private let state = Locked(State())

    init(highWater: Int) { self.highWater = max(1, highWater) }

    /// Counts `count` arriving bytes in; `false` (and paused) when the backlog is already at the high-water mark.
    /// A first chunk is always taken, however large, so a transfer never pauses with nothing unread.
    func take(_ count: Int) -> Bool {
        state.withLock { state in
            if state.unread > 0, state.unread + count > highWater {
                state.paused = true
                return false
            }
            state.unread += count
            return true
        }
    }

    /// Counts `count` read bytes out; `true` when the transfer is paused and should resume now.
    func give(_ count: Int) -> Bool {
        state.withLock { state in
            state.unread -= count
            guard state.paused, state.unread <= highWater / 2 else { return false }
            state.paused = false
            return true
        }
    }

    /// Bytes received and not yet read.
    var unread: Int { state.withLock { $0.unread } }
}
