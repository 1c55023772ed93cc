/// The one error type HomelabCore throws.
///
/// A struct wrapping a private code enum (the async-http-client pattern), so new codes can be added
/// without breaking callers. Its ``description`` tells a person in one line what failed and why;
/// it never contains a secret: request paths are redacted before they are stored here.
public struct HomelabError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Compare with the static members, e.g. `error.code == .timedOut`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration = "invalid configuration"
            case invalidArgument = "invalid argument"
            case connectionFailed = "connection failed"
            case tlsFailure = "TLS failure"
            case timedOut = "timed out"
            case cancelled = "cancelled"
            case httpStatus = "HTTP error"
            case unauthorized = "unauthorized"
            case notFound = "not found"
            case conflict = "conflict"
            case outOfSequence = "update out of sequence"
            case unavailable = "unavailable"
            case decodingFailed = "unexpected response"
            case unsupportedVersion = "unsupported API version"
            case notSwarmManager = "not a swarm manager"
            case hostKeyMismatch = "SSH host key mismatch"
            case hostKeyUnknown = "SSH host key unknown"
            case authenticationFailed = "authentication failed"
            case commandFailed = "command failed"
            case storeFailure = "state store failure"
            case secretUnavailable = "secret unavailable"
            case internalFailure = "internal failure"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A configuration file or value is malformed (inventory, TLS options, endpoint).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// A caller passed a value the operation cannot use.
        public static let invalidArgument = Code(.invalidArgument)
        /// The connection could not be made or was lost (refused, reset, DNS, socket missing).
        public static let connectionFailed = Code(.connectionFailed)
        /// The TLS handshake failed: untrusted certificate, pin mismatch, bad client certificate.
        public static let tlsFailure = Code(.tlsFailure)
        /// A connect timeout, total timeout or deadline passed.
        public static let timedOut = Code(.timedOut)
        /// The calling task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The server answered with an error status not covered by a more precise code.
        public static let httpStatus = Code(.httpStatus)
        /// The server rejected the credentials (401/403).
        public static let unauthorized = Code(.unauthorized)
        /// The resource does not exist (404).
        public static let notFound = Code(.notFound)
        /// The resource already exists or is in a conflicting state (409).
        public static let conflict = Code(.conflict)
        /// An optimistic-concurrency write used a stale version (Docker "update out of sequence").
        public static let outOfSequence = Code(.outOfSequence)
        /// The server is up but cannot serve the request now (503, swarm not active).
        public static let unavailable = Code(.unavailable)
        /// The answer could not be decoded into the expected shape.
        public static let decodingFailed = Code(.decodingFailed)
        /// The server's API version is outside what this SDK supports.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A swarm operation was sent to a worker or a node outside any swarm.
        public static let notSwarmManager = Code(.notSwarmManager)
        /// The SSH server's host key differs from the one in known_hosts.
        public static let hostKeyMismatch = Code(.hostKeyMismatch)
        /// The SSH server's host key is not in known_hosts and accept-new was not chosen.
        public static let hostKeyUnknown = Code(.hostKeyUnknown)
        /// SSH or API authentication failed.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// A remote or local command exited unsuccessfully.
        public static let commandFailed = Code(.commandFailed)
        /// The SQLite state store failed (open, migrate, read or write).
        public static let storeFailure = Code(.storeFailure)
        /// A credential reference could not be resolved.
        public static let secretUnavailable = Code(.secretUnavailable)
        /// A bug in HomelabCore: an invariant did not hold. Please report it.
        public static let internalFailure = Code(.internalFailure)

        public var description: String { base.rawValue }
    }

    /// The request an error belongs to, with secrets already redacted.
    public struct Request: Hashable, Sendable, CustomStringConvertible {
        /// The HTTP method or a verb such as `ssh exec`.
        public var method: String
        /// The redacted path (and query) or target.
        public var path: String
        public init(method: String, redactedPath: String) {
            self.method = method
            self.path = redactedPath
        }
        public var description: String { "\(method) \(path)" }
    }

    /// What failed.
    public var code: Code
    /// The homelab component the failure belongs to (`docker`, `truenas`, `inventory`, `ssh`, ...).
    public var component: String?
    /// The request that failed, redacted.
    public var request: Request?
    /// The HTTP status the server answered with, when there was one.
    public var status: Int?
    /// The server's own error message (Docker `message`, Caddy `error`, ...), redacted.
    public var serverMessage: String?
    /// A sentence saying what failed, from our side.
    public var message: String
    /// The error that caused this one, if any (never shown with secrets: its description is redacted too).
    public var underlying: (any Error & Sendable)?

    public init(
        _ code: Code,
        _ message: String,
        component: String? = nil,
        request: Request? = nil,
        status: Int? = nil,
        serverMessage: String? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.component = component
        self.request = request
        self.status = status
        self.serverMessage = serverMessage.map { Redaction.redactText($0) }
        self.underlying = underlying
    }

    /// One line: `[component] METHOD /path: message (HTTP 404: server message)`.
    public var description: String {
        var line = ""
        if let component { line += "[\(component)] " }
        if let request { line += "\(request): " }
        line += message
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let serverMessage, !serverMessage.isEmpty { details.append(serverMessage) }
        if let underlying {
            let text = Redaction.redactText(String(describing: underlying))
            if !text.isEmpty, text != message { details.append(text) }
        }
        if !details.isEmpty { line += " (" + details.joined(separator: ": ") + ")" }
        return line
    }

    /// Whether retrying the same idempotent request may succeed.
    public var isTransient: Bool {
        switch code {
        case .connectionFailed, .timedOut, .unavailable: return true
        case .httpStatus: return status.map { [429, 502, 503, 504].contains($0) } ?? false
        default: return false
        }
    }
}

extension HomelabError {
    /// Maps an HTTP status to the most precise code.
    public static func code(forStatus status: Int) -> Code {
        switch status {
        case 401, 403: return .unauthorized
        case 404: return .notFound
        case 409: return .conflict
        case 503: return .unavailable
        default: return .httpStatus
        }
    }
}
