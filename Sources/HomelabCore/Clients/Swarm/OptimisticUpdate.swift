import Foundation
import Logging

/// Docker's optimistic concurrency, handled once: re-read, re-apply, re-submit when the engine answers
/// "update out of sequence", a bounded number of times with a short jittered pause.
enum OptimisticUpdate {
    /// Attempts in all, the first included.
    static let defaultMaxAttempts = 5

    /// Runs `attempt` until it does not fail with ``HomelabError/Code/outOfSequence``, at most `maxAttempts` times.
    /// - Throws: the last ``HomelabError/Code/outOfSequence`` (saying how many attempts were made), or any other
    ///   error at once.
    static func retrying<T>(
        what: String, maxAttempts: Int = defaultMaxAttempts, logger: Logger?,
        _ attempt: () async throws -> T
    ) async throws -> T {
        let attempts = max(1, maxAttempts)
        var number = 1
        while true {
            do {
                return try await attempt()
            } catch var error as HomelabError where error.code == .outOfSequence {
                guard number < attempts else {
                    error.message = "\(what) kept changing while it was being updated: still out of sequence after \(attempts) attempts"
                    throw error
                }
                let ceiling = min(400, 20 << (number - 1))
                let wait = Duration.milliseconds(Int.random(in: 5...ceiling))
                logger?.debug(
                    "update out of sequence; re-reading and retrying",
                    metadata: ["component": "docker", "object": "\(what)", "attempt": "\(number)"])
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    throw HomelabError(.cancelled, "cancelled while retrying an update of \(what)", component: "docker")
                }
                number += 1
            }
        }
    }
}

/// Keeps the fields this SDK's models do not know when a spec read from the engine is written back.
///
/// `POST /services/{id}/update` and `/nodes/{id}/update` replace the whole spec, so a field the typed model
/// dropped on decoding (one added by a newer engine) would be erased by a read-modify-write. The merge
/// puts back every object key that the raw answer had, that the model's own round trip lost, and that the
/// caller's modified spec does not set. Keys the model knows follow the caller's spec exactly (setting one to
/// `nil` removes it). Arrays are taken from the caller's spec as they are.
enum UnknownFields {
    /// The caller's `modified` spec as JSON, with the unknown fields of `raw` (the spec as the engine sent it) kept.
    static func preserving<Spec: Codable>(_ modified: Spec, raw: Any?, path: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let modifiedData = try encoder.encode(modified)
            guard let raw, JSONSerialization.isValidJSONObject(raw) else { return [UInt8](modifiedData) }
            let rawData = try JSONSerialization.data(withJSONObject: raw)
            let roundTrip = try JSONSerialization.jsonObject(with: encoder.encode(JSONDecoder().decode(Spec.self, from: rawData)))
            let merged = merge(raw: raw, roundTrip: roundTrip, modified: try JSONSerialization.jsonObject(with: modifiedData))
            return [UInt8](try JSONSerialization.data(withJSONObject: merged, options: [.sortedKeys]))
        } catch {
            throw HomelabError(
                .invalidArgument,
                "the spec for \(path) could not be encoded: \(Redaction.redactText(String(describing: error)))",
                component: "docker")
        }
    }

    static func merge(raw: Any, roundTrip: Any?, modified: Any) -> Any {
        guard let modifiedObject = modified as? [String: Any], let rawObject = raw as? [String: Any] else { return modified }
        let known = roundTrip as? [String: Any] ?? [:]
        var result = modifiedObject
        for (key, rawValue) in rawObject {
            if let knownValue = known[key] {
                if let value = modifiedObject[key] {
                    result[key] = merge(raw: rawValue, roundTrip: knownValue, modified: value)
                }
            } else if modifiedObject[key] == nil {
                result[key] = rawValue
            }
        }
        return result
    }
}
