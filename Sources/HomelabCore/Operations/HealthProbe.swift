import Foundation
import Logging

/// Checks a service's health URL after its update converged: healthy when a GET answers 2xx, tried a few
/// times (a service can take a moment to answer after its tasks report running).
///
/// TLS is verified against the system trust store; the URL's credentials and secret-looking query values are
/// redacted wherever the URL is logged.
public struct HealthProbe: Sendable {
    /// The shared transport.
    public let transport: CurlTransport
    /// Tries before giving up.
    public var attempts: Int
    /// Wait between tries.
    public var interval: Duration
    /// Seconds each try may take.
    public var requestTimeoutSeconds: Double
    /// Where failed tries are logged (at debug level).
    public var logger: Logger?

    /// A probe: 5 tries, 2 s apart, 5 s each, unless said otherwise.
    public init(
        transport: CurlTransport, attempts: Int = 5, interval: Duration = .seconds(2), requestTimeoutSeconds: Double = 5,
        logger: Logger? = nil
    ) {
        self.transport = transport
        self.attempts = max(1, attempts)
        self.interval = interval
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.logger = logger
    }

    /// Whether `url` answers 2xx within the tries; `false` for a URL that is not http(s).
    public func check(_ url: String) async -> Bool {
        guard let (base, path) = Self.split(url) else { return false }
        let client = HTTPClient(transport: transport, endpoint: .url(base), component: "health", middleware: [])
        for attempt in 1...attempts {
            do {
                let response = try await client.send(HTTPRequest(path: path, timeout: .seconds(requestTimeoutSeconds)))
                if (200..<300).contains(response.status) { return true }
                logger?.debug(
                    "health check answered \(response.status)",
                    metadata: ["url": "\(Redaction.redactURL(url))", "attempt": "\(attempt)"])
            } catch {
                logger?.debug(
                    "health check failed", metadata: ["url": "\(Redaction.redactURL(url))", "error": "\(error)"])
            }
            if Task.isCancelled { return false }
            if attempt < attempts { try? await Task.sleep(for: interval) }
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
