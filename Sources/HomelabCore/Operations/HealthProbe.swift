import Foundation
import Logging

/// Checks a service's health URL after its update converged: healthy when a GET answers 2xx. Other answers and
/// connection failures are retried through the shared ``RetryMiddleware`` (a service can take a moment to answer
/// after its tasks report running).
///
/// TLS is verified against the system trust store; the URL's credentials and secret-looking query values are
/// redacted wherever the URL is logged.
public struct HealthProbe: Sendable {
    /// The shared transport.
    public let transport: CurlTransport
    /// How the probe retries: every non-2xx status counts as retryable.
    public var policy: RetryPolicy
    /// Seconds each try may take.
    public var requestTimeoutSeconds: Double
    /// Where failed probes are logged (at debug level).
    public var logger: Logger?

    /// A probe: 5 tries, waits from 1 s growing to 5 s at most, 5 s each, unless said otherwise.
    public init(
        transport: CurlTransport, attempts: Int = 5, interval: Duration = .seconds(1), requestTimeoutSeconds: Double = 5,
        logger: Logger? = nil
    ) {
        self.transport = transport
        self.policy = RetryPolicy(
            maxAttempts: attempts, baseDelay: interval, maxDelay: max(interval, .seconds(5)),
            retryableStatuses: Set(100..<200).union(300..<600))
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.logger = logger
    }

    /// Whether `url` answers 2xx within the tries; `false` for a URL that is not http(s).
    public func check(_ url: String) async -> Bool {
        guard let (base, path) = Self.split(url) else { return false }
        let client = HTTPClient(
            transport: transport, endpoint: .url(base), component: "health", middleware: [RetryMiddleware(policy: policy)])
        do {
            let response = try await client.send(HTTPRequest(path: path, timeout: .seconds(requestTimeoutSeconds)))
            if (200..<300).contains(response.status) { return true }
            logger?.debug("health check answered \(response.status)", metadata: ["url": "\(Redaction.redactURL(url))"])
        } catch {
            logger?.debug("health check failed", metadata: ["url": "\(Redaction.redactURL(url))", "error": "\(error)"])
        }
        return false
    }
    /// `scheme://authority` and the path with its query, or `nil` for anything but an http(s) URL with a host.
    static func split(_ url: String) -> (base: String, path: String)? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false,
            let range = components.rangeOfPath
        else { return nil }
        let base = String(url[..<range.lowerBound])
        let rest = String(url[range.lowerBound...])
        return (base, rest.isEmpty ? "/" : rest)
    }
}
