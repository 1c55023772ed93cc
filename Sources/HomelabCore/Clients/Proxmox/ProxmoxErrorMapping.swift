import Foundation

extension ErrorMapping {
    /// Proxmox VE's errors: `{"data": null, "message": "...", "errors": {"param": "why"}}` (the message is also the
    /// status line's reason). "VM is locked", a stale `digest`, a missing guest and the 595–599 proxy statuses are
    /// recognised.
    public static let proxmox = ErrorMapping(
        message: { body in ProxmoxErrorMessage.extract(body) },
        classify: { answer in
            let text = answer.message?.lowercased() ?? ""
            if text.contains("is locked") {
                return (.conflict, "the guest is locked by another operation (backup, clone, migration); it was retried until the retries ran out")
            }
            if text.contains("detected modified configuration") || text.contains("digest") {
                return (.outOfSequence, "the configuration changed since it was read (stale digest); re-read it and retry")
            }
            if text.contains("does not exist") || text.contains("no such") {
                return (.notFound, "no such object")
            }
            switch answer.status {
            case 401:
                return (.unauthorized, "authentication failed (check the token ID USER@REALM!TOKENID, its secret, and that the token has permissions)")
            case 403:
                return (.unauthorized, "permission denied (a token with privilege separation needs ACLs of its own)")
            case 596:
                return (.tlsFailure, "a Proxmox node could not reach another over TLS (HTTP 596)")
            case 595, 597, 598, 599:
                return (.connectionFailed, "a Proxmox node could not reach another (HTTP \(answer.status))")
            case 400:
                return (.invalidArgument, "the server refused the parameters")
            default:
                return nil
            }
        })
}

/// Where Proxmox puts the reason of an error.
enum ProxmoxErrorMessage {
    /// `message`, trimmed, followed by the per-parameter `errors` (`vmid: value must be at least 100`).
    static func extract(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return ErrorMapping.standardMessage(body)
        }
        var parts: [String] = []
        if let message = object["message"] as? String {
            parts.append(message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        if let errors = object["errors"] as? [String: Any] {
            let listed = errors.keys.sorted().map { "\($0): \(String(describing: errors[$0] ?? "").trimmingCharacters(in: .whitespacesAndNewlines))" }
            parts.append(listed.joined(separator: "; "))
        }
        let text = parts.filter { !$0.isEmpty }.joined(separator: " — ")
        return text.isEmpty ? ErrorMapping.standardMessage(body) : String(text.prefix(400))
    }
}

extension RetryPolicy {
    /// Proxmox's: the standard retries plus "VM is locked" (a 500 the server answers before doing anything, so
    /// POSTs such as start and stop are retried too), waiting up to 4 s between 6 attempts.
    public static let proxmox = RetryPolicy(
        maxAttempts: 6, baseDelay: .milliseconds(250), maxDelay: .seconds(4), retryableStatuses: [429, 502, 503, 504],
        retryableAnswers: [
            AnswerRule("proxmox: VM is locked", refusedBeforeActing: true) { status, _, body in
                guard status == 500, let body else { return false }
                let text = String(decoding: body, as: UTF8.self).lowercased()
                return text.contains("is locked") && !text.contains("is locked (create)")
            }
        ])
}
