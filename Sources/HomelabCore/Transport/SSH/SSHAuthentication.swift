import CLibSSH
import Logging

/// Answers libssh's passphrase prompt with "none". Without it, an encrypted PEM key loaded without a
/// passphrase makes OpenSSL prompt on the terminal. File scope and non-capturing: a C function pointer.
private let refusePassphrasePrompt: ssh_auth_callback = { _, _, _, _, _, _ in -1 }

/// Public-key authentication with a key file or an ssh-agent (queue-only, like all of LibSSHHandle).
/// The passphrase is revealed only into libssh's key import and never appears in a message or log line.
extension LibSSHHandle {
    /// Authenticates with the configured method.
    /// - Throws: ``HomelabError/Code/authenticationFailed`` when the key cannot be loaded or the server refuses it;
    ///   ``HomelabError/Code/invalidConfiguration`` when the key file is missing.
    func authenticate(_ s: OpaquePointer) throws {
        switch configuration.authentication {
        case .keyFile(let path, let passphrase):
            try authenticate(s, keyFile: path, passphrase: passphrase)
        case .agent(let socket):
            let agent = socket.map { "the ssh-agent at \(Redaction.redactText($0))" } ?? "the ssh-agent in SSH_AUTH_SOCK"
            let result = ssh_userauth_agent(s, nil)
            try check(
                result, method: "keys offered by \(agent)",
                hint: "is the agent running with the key loaded (ssh-add -l)?")
        }
    }

    private func authenticate(_ s: OpaquePointer, keyFile path: String, passphrase: Secret?) throws {
        let file = Redaction.redactText(path)
        var key: OpaquePointer?
        let rc: Int32
        if let passphrase {
            rc = ssh_pki_import_privkey_file(path, passphrase.reveal(), refusePassphrasePrompt, nil, &key)
        } else {
            rc = ssh_pki_import_privkey_file(path, nil, refusePassphrasePrompt, nil, &key)
        }
        guard rc == SSH_OK, let privateKey = key else {
            if rc == SSH_EOF {
                throw HomelabError(
                    .invalidConfiguration, "SSH key file \(file) does not exist or cannot be read", component: "ssh")
            }
            let reason =
                passphrase == nil
                ? "it is encrypted and no passphrase was given, or it is not a private key libssh can read"
                : "the passphrase is wrong, or it is not a private key libssh can read"
            throw HomelabError(
                .authenticationFailed, "could not load SSH key file \(file): \(reason)", component: "ssh")
        }
        defer { ssh_key_free(privateKey) }
        try check(
            ssh_userauth_publickey(s, nil, privateKey), method: "key \(file)",
            hint: "is its public key in ~/.ssh/authorized_keys of \(configuration.user)?")
    }

    private func check(_ result: Int32, method: String, hint: String) throws {
        let c = configuration
        switch result {
        case Int32(SSH_AUTH_SUCCESS.rawValue):
            logger.debug("ssh authenticated", metadata: ["ssh.target": "\(c.target)", "ssh.method": "\(method)"])
        case Int32(SSH_AUTH_DENIED.rawValue):
            throw HomelabError(
                .authenticationFailed, "\(c.target) refused \(method) for user \(c.user); \(hint)",
                component: "ssh", serverMessage: errorText())
        case Int32(SSH_AUTH_PARTIAL.rawValue):
            throw HomelabError(
                .authenticationFailed,
                "\(c.target) accepted \(method) but requires another authentication method as well",
                component: "ssh")
        default:
            throw HomelabError(
                .connectionFailed, "SSH authentication to \(c.target) failed", component: "ssh",
                serverMessage: errorText())
        }
    }
}
