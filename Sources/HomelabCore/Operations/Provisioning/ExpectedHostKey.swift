import Foundation

/// An "expected key" host-key policy for a machine that was just given its SSH host key: a private known_hosts
/// file holding that one key for the machine's `[address]:port`, checked strictly. Any other key is a
/// ``HomelabError/Code/hostKeyMismatch``, never recorded.
public struct ExpectedHostKey: Sendable, Hashable {
    /// The key type (`ssh-ed25519`).
    public let type: String
    /// The base64 key blob.
    public let blob: String

    /// Parses an OpenSSH public key line (`ssh-ed25519 AAAA... comment`), as in `ssh_host_ed25519_key.pub`.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when it is not one.
    public init(publicKeyLine: String) throws {
        let parts = publicKeyLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("ssh-") || parts[0].hasPrefix("ecdsa-"),
            Data(base64Encoded: String(parts[1])) != nil
        else {
            throw HomelabError(.invalidArgument, "not an OpenSSH public key line (expected 'ssh-ed25519 AAAA...')", component: "ssh")
        }
        type = String(parts[0])
        blob = String(parts[1])
    }

    /// Writes the one-line known_hosts file into a new private directory and returns its path; the caller removes
    /// the directory (``remove(_:)``).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the file cannot be written.
    public func knownHostsFile(host: String, port: Int) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-hostkey-\(UUID().uuidString)")
        let name = port == 22 ? host : "[\(host)]:\(port)"
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let file = directory.appendingPathComponent("known_hosts")
            try Data("\(name) \(type) \(blob)\n".utf8).write(to: file)
            return file.path
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot write a known_hosts file for the expected host key", component: "ssh")
        }
    }

    /// Removes the directory of a file made by ``knownHostsFile(host:port:)``.
    public static func remove(_ file: String) {
        try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent)
    }
}
