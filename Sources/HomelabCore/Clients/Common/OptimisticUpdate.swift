import Foundation
import Logging

/// Optimistic concurrency, handled once for every component: re-read, re-apply, re-submit when the server says
/// the object changed since it was read, a bounded number of times with a short jittered pause.
///
/// Components differ only in how they say "changed meanwhile": Docker answers "update out of sequence" for a
/// stale `version` index, Caddy answers 412 to a stale `If-Match` ETag, Proxmox refuses a stale `digest`.
/// ``isConflict`` recognises that answer; the attempt closure does the whole read-modify-write.
public struct OptimisticUpdate: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// Whether an error means "the object changed since it was read".
    public var isConflict: @Sendable (HomelabError) -> Bool

    /// A policy recognising conflicts with `isConflict`.
    public init(maxAttempts: Int = 5, isConflict: @escaping @Sendable (HomelabError) -> Bool) {
        self.maxAttempts = max(1, maxAttempts)
        self.isConflict = isConflict
    }

    /// Docker: ``HomelabError/Code/outOfSequence`` (a stale `version` index).
    public static func docker(maxAttempts: Int = 5) -> OptimisticUpdate {
        OptimisticUpdate(maxAttempts: maxAttempts) { $0.code == .outOfSequence }
    }

    /// Caddy: 412 Precondition Failed to a stale `If-Match` ETag.
    public static func ifMatch(maxAttempts: Int = 5) -> OptimisticUpdate {
        OptimisticUpdate(maxAttempts: maxAttempts) { $0.status == 412 || $0.code == .outOfSequence }
    }

    /// Proxmox: a write with a stale `digest` is refused with a message naming the digest.
    public static func digest(maxAttempts: Int = 5) -> OptimisticUpdate {
        OptimisticUpdate(maxAttempts: maxAttempts) { error in
            error.code == .outOfSequence || (error.serverMessage?.lowercased().contains("digest") ?? false)
        }
    }

    /// Runs `attempt` (a whole read-modify-write) until it does not fail with a conflict, at most ``maxAttempts``
    /// times.
    /// - Throws: the last conflict as ``HomelabError/Code/outOfSequence`` saying how many attempts were made;
    ///   any other error at once; ``HomelabError/Code/cancelled`` when cancelled while pausing.
    public func run<T>(
        _ what: String, component: String, logger: Logger?, _ attempt: () async throws -> T
    ) async throws -> T {
        var number = 1
        while true {
            do {
                return try await attempt()
            } catch var error as HomelabError where isConflict(error) {
                guard number < maxAttempts else {
                    error.code = .outOfSequence
                    error.message = "\(what) kept changing while it was being updated: still out of sequence after \(maxAttempts) attempts"
                    throw error
                }
                let ceiling = min(400, 20 << (number - 1))
                logger?.debug(
                    "changed since read; re-reading and retrying",
                    metadata: ["component": "\(component)", "object": "\(what)", "attempt": "\(number)"])
                do {
                    try await Task.sleep(for: .milliseconds(Int.random(in: 5...ceiling)))
                } catch {
                    throw HomelabError(.cancelled, "cancelled while retrying an update of \(what)", component: component)
                }
                number += 1
            }
        }
    }
}
