import Foundation
import HomelabCore

/// The faults one simulated component shows: added latency, error answers, dropped connections, requests
/// that never answer, rejected credentials. Rates are probabilities per request; counts fault the next
/// requests for sure (deterministic tests).
///
/// Set with `homelab-sim --fault docker:error-rate=0.2` or at run time with `POST /_sim/faults` on the admin
/// port (JSON keys as in ``CodingKeys``).
public struct FaultPlan: Sendable, Hashable, Codable {
    /// Real time added before every answer.
    public var latency: Duration
    /// Probability of answering with one of ``errorStatuses``.
    public var errorRate: Double
    /// The next this-many requests get an error answer.
    public var errorCount: Int
    /// The statuses an error answer picks from (default 500, 502, 503).
    public var errorStatuses: [Int]
    /// Probability of closing the connection without an answer.
    public var resetRate: Double
    /// The next this-many connections are closed without an answer.
    public var resetCount: Int
    /// Probability of never answering (until the client gives up or the simulation stops).
    public var hangRate: Double
    /// The next this-many requests never answer.
    public var hangCount: Int
    /// Answer every request 401, as for a revoked token.
    public var rejectCredentials: Bool

    /// No faults.
    public init(
        latency: Duration = .zero, errorRate: Double = 0, errorCount: Int = 0, errorStatuses: [Int] = [500, 502, 503],
        resetRate: Double = 0, resetCount: Int = 0, hangRate: Double = 0, hangCount: Int = 0, rejectCredentials: Bool = false
    ) {
        self.latency = latency
        self.errorRate = errorRate
        self.errorCount = errorCount
        self.errorStatuses = errorStatuses
        self.resetRate = resetRate
        self.resetCount = resetCount
        self.hangRate = hangRate
        self.hangCount = hangCount
        self.rejectCredentials = rejectCredentials
    }

    /// Whether the plan injects nothing.
    public var isEmpty: Bool { self == FaultPlan() }

    /// JSON keys of the admin endpoint.
    enum CodingKeys: String, CodingKey {
        case latency = "latency_ms"
        case errorRate = "error_rate"
        case errorCount = "errors"
        case errorStatuses = "error_statuses"
        case resetRate = "reset_rate"
        case resetCount = "resets"
        case hangRate = "hang_rate"
        case hangCount = "hangs"
        case rejectCredentials = "reject_credentials"
    }

    /// Decodes the admin endpoint's JSON; absent keys mean no such fault.
    /// - Throws: `DecodingError` for wrong types; ``HomelabError`` for values out of range.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let milliseconds = try container.decodeIfPresent(Double.self, forKey: .latency) ?? 0
        self.init(
            latency: .milliseconds(Int64(max(0, milliseconds))),
            errorRate: try container.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0,
            errorCount: try container.decodeIfPresent(Int.self, forKey: .errorCount) ?? 0,
            errorStatuses: try container.decodeIfPresent([Int].self, forKey: .errorStatuses) ?? [500, 502, 503],
            resetRate: try container.decodeIfPresent(Double.self, forKey: .resetRate) ?? 0,
            resetCount: try container.decodeIfPresent(Int.self, forKey: .resetCount) ?? 0,
            hangRate: try container.decodeIfPresent(Double.self, forKey: .hangRate) ?? 0,
            hangCount: try container.decodeIfPresent(Int.self, forKey: .hangCount) ?? 0,
            rejectCredentials: try container.decodeIfPresent(Bool.self, forKey: .rejectCredentials) ?? false)
        try validate()
    }

    /// Encodes the admin endpoint's JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let (seconds, attoseconds) = latency.components
        try container.encode(Double(seconds) * 1000 + Double(attoseconds) / 1e15, forKey: .latency)
        try container.encode(errorRate, forKey: .errorRate)
        try container.encode(errorCount, forKey: .errorCount)
        try container.encode(errorStatuses, forKey: .errorStatuses)
        try container.encode(resetRate, forKey: .resetRate)
        try container.encode(resetCount, forKey: .resetCount)
        try container.encode(hangRate, forKey: .hangRate)
        try container.encode(hangCount, forKey: .hangCount)
        try container.encode(rejectCredentials, forKey: .rejectCredentials)
    }

    /// Checks rates are probabilities, counts are not negative and statuses are HTTP error statuses.
    /// - Throws: ``HomelabError/Code/invalidArgument`` naming the bad value.
    public func validate() throws {
        for (name, rate) in [("error-rate", errorRate), ("reset-rate", resetRate), ("hang-rate", hangRate)]
        where !(rate >= 0 && rate <= 1) {
            throw HomelabError(.invalidArgument, "\(name) \(rate) is not a probability between 0 and 1", component: "simulator")
        }
        for (name, count) in [("errors", errorCount), ("resets", resetCount), ("hangs", hangCount)] where count < 0 {
            throw HomelabError(.invalidArgument, "\(name) \(count) cannot be negative", component: "simulator")
        }
        guard !errorStatuses.isEmpty, errorStatuses.allSatisfy({ (400...599).contains($0) }) else {
            throw HomelabError(
                .invalidArgument, "error statuses \(errorStatuses) must be HTTP error statuses (400-599)", component: "simulator")
        }
    }

    /// Applies one `kind=value` setting of `--fault component:kind=value`.
    ///
    /// Kinds: `latency=250ms|1.5s`, `error-rate=0.2`, `errors=3`, `status=503` (repeatable: `status=502,503`),
    /// `reset-rate=0.1`, `resets=1`, `hang-rate=0.05`, `hangs=1`, `reject-credentials[=true|false]`.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for an unknown kind or a malformed value.
    public mutating func apply(kind: String, value: String) throws {
        func number() throws -> Double {
            guard let number = Double(value), number.isFinite else {
                throw HomelabError(.invalidArgument, "fault \(kind)=\(value): '\(value)' is not a number", component: "simulator")
            }
            return number
        }
        func count() throws -> Int {
            guard let count = Int(value), count >= 0 else {
                throw HomelabError(.invalidArgument, "fault \(kind)=\(value): expected a count (0, 1, 2, ...)", component: "simulator")
            }
            return count
        }
        switch kind {
        case "latency": latency = try Self.duration(value)
        case "error-rate": errorRate = try number()
        case "errors": errorCount = try count()
        case "status", "statuses":
            let statuses = value.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard statuses.count == value.split(separator: ",").count else {
                throw HomelabError(.invalidArgument, "fault status=\(value): expected statuses such as 502,503", component: "simulator")
            }
            errorStatuses = statuses
        case "reset-rate": resetRate = try number()
        case "resets": resetCount = try count()
        case "hang-rate": hangRate = try number()
        case "hangs": hangCount = try count()
        case "reject-credentials":
            guard let flag = ["", "true", "yes", "1", "false", "no", "0"].firstIndex(of: value.lowercased()) else {
                throw HomelabError(.invalidArgument, "fault reject-credentials=\(value): expected true or false", component: "simulator")
            }
            rejectCredentials = flag < 4
        default:
            throw HomelabError(
                .invalidArgument,
                "unknown fault '\(kind)' (expected latency, error-rate, errors, status, reset-rate, resets, hang-rate, hangs or reject-credentials)",
                component: "simulator")
        }
        try validate()
    }

    /// Parses `250ms`, `1.5s` or a bare number of milliseconds.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for anything else.
    static func duration(_ text: String) throws -> Duration {
        let (digits, scale): (Substring, Double) =
            text.hasSuffix("ms") ? (text.dropLast(2), 1) : text.hasSuffix("s") ? (text.dropLast(), 1000) : (Substring(text), 1)
        guard let value = Double(digits), value.isFinite, value >= 0 else {
            throw HomelabError(.invalidArgument, "'\(text)' is not a duration such as 250ms or 1.5s", component: "simulator")
        }
        return .milliseconds(Int64(value * scale))
    }
}
