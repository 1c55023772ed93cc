import ArgumentParser
import Foundation
import HomelabCore

/// A failure as a person reads it: one line saying what failed and where (component, endpoint, request,
/// file:line), with a hint when there is a known fix; `--verbose` adds the redacted trace below it. Never a Swift
/// type name, a stack trace or a secret.
public struct ErrorReport: Sendable {
    /// The first line, and any issue lines (an inventory with several problems has one line each).
    public var lines: [String]
    /// The redacted trace `--verbose` adds: the request, the status, the server's message, the cause.
    public var trace: [String]

    /// The report for `error`. `inventory` (when it could be read) names endpoints and credential references.
    public init(_ error: any Error, source: ConfigSource? = nil, inventory: Homelab? = nil) {
        guard let error = error as? HomelabError else {
            lines = ["error: unexpected failure (run again with --verbose for its details)"]
            trace = ["  cause: " + Redaction.redactText(String(describing: error))]
            return
        }
        let issues = error.inventoryIssues
        if !issues.isEmpty {
            lines = issues.map { "error: \($0)" } + ["error: \(error.message)"]
            trace = []
            return
        }
        var line = "error: "
        if let component = error.component { line += "\(component): " }
        if let request = error.request { line += "\(request): " }
        line += error.message
        var details: [String] = []
        if let status = error.status { details.append("HTTP \(status)") }
        if let server = error.serverMessage, !server.isEmpty, server != error.message { details.append(server) }
        if !details.isEmpty { line += " (" + details.joined(separator: ": ") + ")" }
        let kind = error.component.flatMap(ComponentKind.init(rawValue:))
        let entry = kind.flatMap { inventory?.components[$0] }
        if let endpoint = entry?.endpoint, !line.contains(endpoint.description) {
            line += " [at \(endpoint.description)\(entry?.sshTunnel.map { " through ssh to \($0)" } ?? "")]"
        }
        if let hint = Self.hint(error, kind: kind, entry: entry, source: source) { line += "; hint: \(hint)" }
        lines = [Redaction.maskRegisteredSecrets(line)]
        var trace: [String] = []
        if let request = error.request { trace.append("  request: \(request)") }
        if let status = error.status { trace.append("  status: \(status)") }
        if let server = error.serverMessage, !server.isEmpty { trace.append("  server: \(server)") }
        if let underlying = error.underlying {
            trace.append("  cause: " + Redaction.redactText(String(describing: underlying)))
        }
        if let source { trace.append("  inventory: \(source.path) (chosen by \(source.rule))") }
        self.trace = trace
    }

    /// The known fix for `error`, if any.
    static func hint(_ error: HomelabError, kind: ComponentKind?, entry: ComponentEndpoint?, source: ConfigSource?) -> String? {
        let file = source.map { " in \($0.path)" } ?? ""
        let key = kind.map { "components.\($0.rawValue)" } ?? "the component"
        switch error.code {
        case .unauthorized, .authenticationFailed:
            if error.component == "ssh" {
                return "check the node's ssh user and identity_file in the inventory, or that ssh-agent holds its key"
            }
            guard let entry, !entry.credentials.isEmpty else {
                return "\(key) has no credentials\(file): add the reference the server expects (env:, file: or op://)"
            }
            let references = entry.credentials.keys.sorted().map { "\(key).credentials.\($0) (\(entry.credentials[$0]?.schemeOnly ?? "?"))" }
            return "the server rejected the credentials: check \(references.joined(separator: ", "))\(file) and what it resolves to"
        case .tlsFailure:
            return "trust the server's CA with \(key).tls.ca_file, or pin its key with \(key).tls.pinned_public_keys "
                + "(sha256//BASE64, see openssl x509 -pubkey)\(file)"
        case .hostKeyMismatch:
            if error.message.contains("ssh-keygen") { return nil }
            return "check the node's new key on its console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) before "
                + "removing the old line with ssh-keygen -R HOST -f KNOWN_HOSTS"
        case .hostKeyUnknown:
            if error.message.contains("ssh-keygen") { return nil }
            return "check the node's key fingerprint on its console, then add it to known_hosts ($HOMELAB_KNOWN_HOSTS)"
        case .connectionFailed, .timedOut:
            return kind.map { "is \($0.rawValue) running and reachable? (homelab status; \(key)\(file))" }
        case .notSwarmManager:
            return "point components.docker\(file) at a swarm manager"
        case .secretUnavailable:
            return "set the environment variable or file the reference names, or sign in to 1Password (op://)"
        case .unsupportedVersion:
            return "upgrade the server or this tool (homelab --version)"
        default:
            return nil
        }
    }
}
