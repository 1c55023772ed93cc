import CLibSSH
import Logging
import Foundation

/// A server's public host key as people compare it: `SHA256:...` (what `ssh-keygen -lf` prints) and its type.
struct SSHHostKey: Sendable, Hashable, CustomStringConvertible {
    /// The key type, such as `ssh-ed25519`.
    var type: String
    /// The SHA-256 fingerprint, `SHA256:` followed by unpadded base64.
    var fingerprint: String

    var description: String { "\(fingerprint) (\(type))" }

    /// Describes a libssh key, or nil when libssh cannot hash it.
    init?(_ key: OpaquePointer) {
        var hash: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &length) == SSH_OK, let digest = hash
        else { return nil }
        defer { ssh_clean_pubkey_hash(&hash) }
        guard let text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, digest, length) else { return nil }
        defer { ssh_string_free_char(text) }
        self.fingerprint = String(cString: text)
        self.type = ssh_key_type_to_char(ssh_key_type(key)).map { String(cString: $0) } ?? "unknown key type"
    }
}

/// Host-key verification against the configured known_hosts file (queue-only, like all of LibSSHHandle).
extension LibSSHHandle {
    /// The key the server presented during the key exchange.
    func serverHostKey(_ s: OpaquePointer) throws -> SSHHostKey {
        var key: OpaquePointer?
        guard ssh_get_server_publickey(s, &key) == SSH_OK, let serverKey = key else {
            throw HomelabError(
                .connectionFailed, "SSH server \(configuration.target) presented no host key", component: "ssh",
                serverMessage: errorText())
        }
        defer { ssh_key_free(serverKey) }
        guard let described = SSHHostKey(serverKey) else {
            throw HomelabError(
                .connectionFailed, "could not fingerprint the host key of \(configuration.target)", component: "ssh")
        }
        return described
    }

    /// Accepts a recorded key, records an unknown one under `.acceptNew`, and refuses everything else.
    /// - Throws: ``HomelabError/Code/hostKeyMismatch`` when known_hosts records another key for this host (under
    ///   both policies); ``HomelabError/Code/hostKeyUnknown`` for an unknown host under `.strict`.
    func verifyHostKey(_ s: OpaquePointer, presented: SSHHostKey) throws {
        let c = configuration
        let file = Redaction.redactText(c.knownHostsFile)
        let state = ssh_session_is_known_server(s)
        switch state {
        case SSH_KNOWN_HOSTS_OK:
            return
        case SSH_KNOWN_HOSTS_CHANGED, SSH_KNOWN_HOSTS_OTHER:
            let recorded = recordedHostKeys()
            let expected = recorded.isEmpty ? "another key" : recorded.map(\.description).joined(separator: " or ")
            throw HomelabError(
                .hostKeyMismatch,
                "host key of \(c.knownHostsName) does not match known_hosts \(file): the server presented "
                    + "\(presented), known_hosts expects \(expected). Someone may be intercepting the connection; "
                    + "if the host was reinstalled, remove its old line (ssh-keygen -R '\(c.knownHostsName)' -f \(file))",
                component: "ssh")
        case SSH_KNOWN_HOSTS_UNKNOWN, SSH_KNOWN_HOSTS_NOT_FOUND:
            guard c.hostKeyPolicy == .acceptNew else {
                throw HomelabError(
                    .hostKeyUnknown,
                    "host key of \(c.knownHostsName) (\(presented)) is not in known_hosts \(file). Check the "
                        + "fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then add it, "
                        + "or connect once with hostKeyPolicy .acceptNew to record it",
                    component: "ssh")
            }
            guard ssh_session_update_known_hosts(s) == SSH_OK else {
                throw HomelabError(
                    .invalidConfiguration,
                    "could not record the host key of \(c.knownHostsName) in known_hosts \(file)",
                    component: "ssh", serverMessage: errorText())
            }
            logger.notice(
                "ssh recorded a new host key (accept-new)",
                metadata: [
                    "ssh.host": "\(c.knownHostsName)", "ssh.fingerprint": "\(presented.fingerprint)",
                    "ssh.keyType": "\(presented.type)", "ssh.knownHosts": "\(file)",
                ])
        default:
            throw HomelabError(
                .connectionFailed,
                "could not check the host key of \(c.knownHostsName) against known_hosts \(file)",
                component: "ssh", serverMessage: errorText())
        }
    }

    /// The keys known_hosts records for this host (hashed names included), for the mismatch message.
    func recordedHostKeys() -> [SSHHostKey] {
        guard let text = try? String(contentsOfFile: configuration.knownHostsFile, encoding: .utf8) else { return [] }
        var keys: [SSHHostKey] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmingSSHWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            var entry: UnsafeMutablePointer<ssh_knownhosts_entry>?
            let rc = ssh_known_hosts_parse_line(configuration.knownHostsName, line, &entry)
            guard rc == SSH_OK, let parsed = entry else { continue }
            defer { ssh_knownhosts_entry_free(parsed) }
            if let key = parsed.pointee.publickey, let described = SSHHostKey(key), !keys.contains(described) {
                keys.append(described)
            }
        }
        return keys
    }
}
