import Foundation
import Logging

/// When and how long to wait before retrying a request.
///
/// Only idempotent methods (and POSTs a client marks as reads) are retried, only on connection failures, timeouts,
/// answers a rule in ``retryableAnswers`` recognises and the statuses in
/// ``retryableStatuses``; waits grow exponentially with full jitter, honour `Retry-After`, and are bounded
/// both in count and in length.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1: never retry).
    public var maxAttempts: Int
    /// The wait before the first retry, before jitter.
    public var baseDelay: Duration
    /// No single wait is longer than this.
    public var maxDelay: Duration
    /// A `Retry-After` longer than this is not waited for: the response is returned as is.
    public var maxRetryAfter: Duration
    /// Statuses worth retrying.
    public var retryableStatuses: Set<Int>
    /// Answers worth retrying whatever their status, recognised by what they say (Proxmox's "VM is locked" is a
    /// 500 with a message).
    public var retryableAnswers: [AnswerRule]

    /// A policy; see each property.
    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5),
        maxRetryAfter: Duration = .seconds(30), retryableStatuses: Set<Int> = [429, 502, 503, 504],
        retryableAnswers: [AnswerRule] = []
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.retryableStatuses = retryableStatuses
        self.retryableAnswers = retryableAnswers
    }

    /// Whether an answer is worth another attempt: its status is retryable, or a rule recognises it.
    public func isRetryable(_ response: some HTTPResponseHead) -> Bool {
        retryableStatuses.contains(response.status)
            || retryableAnswers.contains { $0.matches(response.status, response.headers, response.bufferedBody) }
    }

    /// A named test on an answer (status, headers and, for buffered answers, the body). Rules compare by name.
    public struct AnswerRule: Sendable, Hashable, CustomStringConvertible {
        /// What the rule recognises, for logs and equality (`proxmox: VM is locked`).
        public let name: String
        /// The test; the body is `nil` for streamed answers.
        public let matches: @Sendable (_ status: Int, _ headers: HTTPHeaders, _ body: [UInt8]?) -> Bool
        /// The answer says the server refused before doing anything (Proxmox's "VM is locked"), so a request of
        /// any method, a POST included, may be sent again when it matches.
        public let refusedBeforeActing: Bool

        /// A rule named `name` testing answers with `matches`; `refusedBeforeActing` lets it retry any method.
        public init(
            _ name: String, refusedBeforeActing: Bool = false, matches: @escaping @Sendable (Int, HTTPHeaders, [UInt8]?) -> Bool
        ) {
            self.name = name
            self.refusedBeforeActing = refusedBeforeActing
            self.matches = matches
        }

        /// Answers with `status` whose server message contains `text` (case-insensitive).
        public static func status(_ status: Int, messageContains text: String) -> AnswerRule {
            let needle = text.lowercased()
            return AnswerRule("\(status) '\(text)'") { answerStatus, _, body in
                guard answerStatus == status, let body else { return false }
                return String(decoding: body, as: UTF8.self).lowercased().contains(needle)
            }
        }

        /// Every answer that is not 2xx (health checks that wait for a service to come up).
        public static let anyFailure = AnswerRule("any non-2xx") { status, _, _ in !(200..<300).contains(status) }

        public var description: String { name }
        public static func == (a: AnswerRule, b: AnswerRule) -> Bool { a.name == b.name }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    /// The default: 4 attempts, 200 ms doubling up to 5 s, Retry-After up to 30 s.
    public static let standard = RetryPolicy()
    /// Never retry.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The jittered exponential wait after failed attempt number `attempt` (1-based), in [0, min(max, base·2^(attempt-1))].
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let exponent = Double(min(attempt - 1, 30))
        let ceiling = min(maxDelay.seconds, baseDelay.seconds * pow(2, exponent))
        return .milliseconds(Int((ceiling * min(max(random, 0), 1)) * 1000))
    }

    /// Parses `Retry-After` (delta-seconds or an HTTP-date) relative to `now`.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Int(value) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
    }
}

/// Retries idempotent requests, and requests marked ``HTTPRequest/retryAsRead``, according to a ``RetryPolicy``.
public struct RetryMiddleware: HTTPMiddleware {
    /// The policy in force.
    public var policy: RetryPolicy
    private let sleep: @Sendable (Duration) async throws -> Void
    private let random: @Sendable () -> Double

    /// - Parameters:
    ///   - sleep: how to wait (tests pass a recorder); defaults to `Task.sleep`, so waits are cancellable.
    ///   - random: jitter source in [0, 1].
    public init(
        policy: RetryPolicy = .standard,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.policy = policy
        self.sleep = sleep
        self.random = random
    }

    public func intercept<Response: HTTPResponseHead>(
        _ request: HTTPRequest, context: HTTPRequestContext,
        next: @Sendable (HTTPRequest, HTTPRequestContext) async throws -> Response
    ) async throws -> Response {
        let repeatable = request.method.isIdempotent || request.retryAsRead
        let refusals = policy.retryableAnswers.filter(\.refusedBeforeActing)
        guard repeatable || !refusals.isEmpty, policy.maxAttempts > 1 else {
            return try await next(request, context)
        }
        var attempt = 1
        while true {
            let wait: Duration
            do {
                let response = try await next(request, context)
                let retryable =
                    repeatable
                    ? policy.isRetryable(response)
                    : refusals.contains { $0.matches(response.status, response.headers, response.bufferedBody) }
                guard retryable, attempt < policy.maxAttempts else {
                    return response
                }
                if let retryAfter = RetryPolicy.retryAfter(response.headers["Retry-After"]) {
                    guard retryAfter <= policy.maxRetryAfter else { return response }
                    wait = retryAfter
                } else {
                    wait = policy.backoff(afterAttempt: attempt, random: random())
                }
                context.logger?.debug(
                    "retrying", metadata: [
                        "component": "\(context.component)", "path": "\(request.redactedSummary.path)",
                        "status": "\(response.status)", "attempt": "\(attempt)", "wait_ms": "\(Int(wait.seconds * 1000))",
                    ])
            } catch let error as HomelabError where error.code == .connectionFailed || error.code == .timedOut {
                guard repeatable, attempt < policy.maxAttempts else { throw error }
                wait = policy.backoff(afterAttempt: attempt, random: random())
                context.logger?.debug(
                    "retrying", metadata: [
                        "component": "\(context.component)", "path": "\(request.redactedSummary.path)",
                        "error": "\(error.code)", "attempt": "\(attempt)", "wait_ms": "\(Int(wait.seconds * 1000))",
                    ])
            }
            do {
                try await sleep(wait)
            } catch {
                throw HomelabError(.cancelled, "request cancelled while waiting to retry", request: request.redactedSummary)
            }
            attempt += 1
        }
    }
}
