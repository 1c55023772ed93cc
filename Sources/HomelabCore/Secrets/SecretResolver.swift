import Foundation

/// Turns a ``CredentialReference`` into the ``Secret`` it points to.
///
/// Implementations never log or put the secret's value in an error.
public protocol SecretResolver: Sendable {
    /// The secret `reference` points to.
    /// - Throws: ``HomelabError/Code/secretUnavailable`` when it cannot be found or read.
    func resolve(_ reference: CredentialReference) async throws -> Secret
}

/// Resolves `env:` references from an explicit environment dictionary and `file:` references from disk.
///
/// It never reads the process environment itself: pass `ProcessInfo.processInfo.environment` (a frontend's
/// choice) or a dictionary of your own. `op://` references are not resolved here; they need a
/// 1Password Connect client, and this resolver throws ``HomelabError/Code/secretUnavailable`` saying so.
public struct EnvironmentSecretResolver: SecretResolver {
    /// The variables `env:` references are looked up in; `HOME` also expands `file:~/...`.
    public var environment: [String: String]
    /// Files larger than this are refused (a secret file is small; a large one is probably the wrong file).
    public var maximumFileSize: Int

    /// A resolver over `environment`.
    public init(environment: [String: String], maximumFileSize: Int = 1 << 20) {
        self.environment = environment
        self.maximumFileSize = maximumFileSize
    }

    /// The secret `reference` points to.
    /// - Throws: ``HomelabError/Code/secretUnavailable`` when the variable is unset or empty, the file is
    ///   missing, unreadable, empty or too large, or the reference is an `op://` reference.
    public func resolve(_ reference: CredentialReference) async throws -> Secret {
        try resolveNow(reference)
    }

    /// The synchronous form of ``resolve(_:)`` (nothing here waits on the network).
    /// - Throws: as ``resolve(_:)``.
    public func resolveNow(_ reference: CredentialReference) throws -> Secret {
        switch reference {
        case .env(let name):
            guard let value = environment[name] else {
                throw unavailable("environment variable \(name) is not set")
            }
            guard !value.isEmpty else { throw unavailable("environment variable \(name) is empty") }
            return Secret(value)
        case .file(let path):
            return try readFile(path)
        case .onePassword:
            throw unavailable(
                "\(reference) is resolved through 1Password Connect, which this resolver does not reach; "
                    + "use a 1Password Connect resolver")
        }
    }

    private func readFile(_ path: String) throws -> Secret {
        var expanded = path
        if path.hasPrefix("~/") {
            guard let home = environment["HOME"], !home.isEmpty else {
                throw unavailable("secret file \(Redaction.redactText(path)) starts with ~/ but HOME is not set")
            }
            expanded = (home.hasSuffix("/") ? String(home.dropLast()) : home) + path.dropFirst()
        }
        let shown = Redaction.redactText(expanded)
        let url = URL(fileURLWithPath: expanded)
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: expanded)
            guard (attributes[.type] as? FileAttributeType) != .typeDirectory else {
                throw unavailable("secret file \(shown) is a directory")
            }
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch let error as HomelabError {
            throw error
        } catch {
            throw unavailable("secret file \(shown) cannot be read: it does not exist or is not accessible")
        }
        guard size <= maximumFileSize else {
            throw unavailable("secret file \(shown) is \(size) bytes, more than the \(maximumFileSize) allowed")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw unavailable("secret file \(shown) cannot be read (permission denied or I/O error)")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw unavailable("secret file \(shown) is not UTF-8 text")
        }
        if text.last == "\n" || text.last == "\r\n" {  // "\r\n" is a single Character
            text.removeLast()
        }
        guard !text.isEmpty else { throw unavailable("secret file \(shown) is empty") }
        return Secret(text)
    }

    private func unavailable(_ message: String) -> HomelabError {
        HomelabError(.secretUnavailable, message, component: "secrets")
    }
}
