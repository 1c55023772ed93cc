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
        maxBufferedBytes: Int
    ) {
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

    /// Body bytes arrived. Returns false to abort (buffer limit exceeded).
    func receiveBody(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        if let bodyStream {
            bodyStream.yield(Array(chunk))
            return true
        }
        if body.count + chunk.count > maxBufferedBytes {
            failure = HomelabError(
                .decodingFailed, "response body exceeds \(maxBufferedBytes) bytes; use a streaming request",
                request: request.redactedSummary)
            return false
        }
        body.append(contentsOf: chunk)
        return true
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
        continuation.resume(returning: HTTPStreamingResponse(status: status, headers: headers, body: HTTPBody(stream)))
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
