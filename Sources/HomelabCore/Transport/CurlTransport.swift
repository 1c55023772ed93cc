import Logging

/// The shared HTTP transport: one libcurl multi handle driven by one thread, used by every client.
///
/// Requests are `async`; cancelling the calling task removes the transfer; connections are kept alive
/// and reused across requests and clients. Create one per process and pass it to every component client.
public final class CurlTransport: Sendable {
    /// Limits and defaults for every request on this transport.
    public struct Configuration: Sendable, Hashable {
        /// How long establishing a connection (TCP + TLS) may take.
        public var connectTimeout: Duration
        /// How long a whole request may take unless the request overrides it.
        public var totalTimeout: Duration
        /// Connections kept open per host at most (0: no limit).
        public var maxConnectionsPerHost: Int
        /// Largest buffered response body; larger answers fail (stream them instead).
        public var maxBufferedResponseBytes: Int
        /// Idle keep-alive connections kept for reuse, across all hosts.
        public var maxCachedConnections: Int
        /// Bytes of a streamed body received but not yet read by its consumer before the transfer pauses
        /// (libcurl stops reading the socket, so the server slows down); it resumes once half is read.
        public var streamBufferBytes: Int
        /// How long the transport's thread stays awake after completing a request, looking for the next one before
        /// it sleeps (yielding the core meanwhile). A caller sending requests one after the other hands each over
        /// without waking the thread (`Benchmarks/Transport/compare.sh`: about 10% more sequential requests per
        /// second on a 2-core machine). It only lingers with nothing else in flight, so concurrent transfers are
        /// never held up, and it spends at most this much CPU per idle moment. `.zero` sleeps at once.
        public var linger: Duration

        public init(
            connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(60),
            maxConnectionsPerHost: Int = 0, maxBufferedResponseBytes: Int = 64 << 20, maxCachedConnections: Int = 128,
            streamBufferBytes: Int = 4 << 20, linger: Duration = .microseconds(200)
        ) {
            self.linger = max(.zero, linger)
            self.maxCachedConnections = maxCachedConnections
            self.streamBufferBytes = max(1, streamBufferBytes)
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxBufferedResponseBytes = maxBufferedResponseBytes
        }
    }

    /// The configuration in force.
    public let configuration: Configuration
    private let driver: CurlMultiDriver
    /// Certificate fingerprints turned into public-key pins, one look per endpoint.
    private let fingerprints = FingerprintPins()
    private static let warnedInsecure = Locked<Set<String>>([])

    /// Starts the driver thread.
    /// - Throws: ``HomelabError/Code/internalFailure`` if libcurl cannot be loaded or initialised.
    public init(configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        self.driver = try CurlMultiDriver(
            maxConnectionsPerHost: configuration.maxConnectionsPerHost,
            maxCachedConnections: configuration.maxCachedConnections, linger: configuration.linger)
    }

    deinit { driver.shutdown() }

    /// Stops the driver thread; requests still in flight fail with ``HomelabError/Code/cancelled``.
    public func shutdown() { driver.shutdown() }

    /// The transport's own thread as a task executor. Code that sends requests one after the other can run there:
    ///
    /// ```swift
    /// let services = try await withTaskExecutorPreference(transport.executor) {
    ///     try await swarm.services.summaries(status: true)
    /// }
    /// ```
    ///
    /// Each request is then submitted on the thread that performs it, and the caller resumes there when the answer
    /// is in, with no hand-off between threads (on a busy 2-core machine each hand-off costs a wake-up of the
    /// other core). While that code runs, the thread serves no other transfer, so keep it to requests and decoding
    /// their answers; do not block it. Actor-isolated code still runs on its actor. After ``shutdown()`` the
    /// executor runs its jobs on global threads.
    public var executor: any TaskExecutor { driver }

    /// Whether the caller runs on the transport's thread (for tests).
    var onTransportThread: Bool { driver.onDriverThread }

    /// libcurl's version line, for `--version` output and bug reports.
    public static var libraryVersion: String { CurlGlobal.versionString }

    /// Starts opening libcurl (and the thirty-odd libraries it links) on a background thread, so that the first
    /// transport finds it loaded. libcurl is opened on first use, not when the process starts; a command-line tool
    /// that will send requests calls this before it parses its arguments and reads its configuration, so the two
    /// overlap. Returns at once; calling it again, or after a transport exists, does nothing.
    public static func preloadLibrary() { CurlGlobal.preload() }

    /// Sends a request and receives the whole response, whatever its status.
    /// - Throws: ``HomelabError`` for connection, TLS, timeout and cancellation failures.
    public func execute(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger? = nil) async throws -> HTTPResponse {
        let endpoint = try await fingerprints.resolve(endpoint)
        let transfer = try makeTransfer(request, endpoint, logger: logger)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                transfer.delivery = .buffered(continuation)
                driver.submit(transfer)
            }
        } onCancel: {
            driver.cancel(transfer)
        }
    }

    /// Sends a request and returns as soon as the head arrives; the body streams.
    /// - Throws: ``HomelabError`` for failures before the head; later failures end the body stream.
    public func stream(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger? = nil) async throws -> HTTPStreamingResponse {
        let endpoint = try await fingerprints.resolve(endpoint)
        let transfer = try makeTransfer(request, endpoint, logger: logger)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPStreamingResponse, any Error>) in
                transfer.delivery = .streaming(continuation)
                driver.submit(transfer)
            }
        } onCancel: {
            driver.cancel(transfer)
        }
    }

    private func makeTransfer(_ request: HTTPRequest, _ endpoint: Endpoint, logger: Logger?) throws -> CurlTransfer {
        if Task.isCancelled {
            throw HomelabError(.cancelled, "request cancelled", request: request.redactedSummary)
        }
        if endpoint.usesTLS {
            try endpoint.tls.validate()
            if endpoint.tls.trust == .insecure {
                let key = endpoint.description
                let first = Self.warnedInsecure.withLock { $0.insert(key).inserted }
                if first {
                    logger?.warning(
                        "TLS verification is disabled for this endpoint (explicitly configured as insecure)",
                        metadata: ["endpoint": "\(key)"])
                }
            }
        }
        let total: Double?
        switch request.timeout {
        case .default: total = configuration.totalTimeout.seconds
        case .none: total = nil
        case .seconds(let s): total = s
        }
        return CurlTransfer(
            request: request, endpoint: endpoint,
            connectTimeoutMilliseconds: max(1, Int(configuration.connectTimeout.seconds * 1000)),
            totalTimeoutSeconds: total, maxBufferedBytes: configuration.maxBufferedResponseBytes,
            streamBufferBytes: configuration.streamBufferBytes)
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// `250 ms`, `5 s`, `1.5 s`: a timeout for people, in error messages.
    var spoken: String {
        let ms = LibSSHHandle.milliseconds(self)
        if ms < 1000 { return "\(ms) ms" }
        if ms % 1000 == 0 { return "\(ms / 1000) s" }
        return "\(ms / 1000).\((ms % 1000) / 100) s"
    }
}
