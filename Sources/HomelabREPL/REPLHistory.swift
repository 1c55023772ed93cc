import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The REPL's history file, `$XDG_STATE_HOME/homelab/repl_history` (else `~/.local/state/homelab/repl_history`),
/// mode 0600 in a 0700 folder, one line per command. A line that contains or reveals a secret is never kept.
struct REPLHistory: Sendable {
    /// Where the history lives; `nil` without an absolute `XDG_STATE_HOME` or a `HOME`.
    let path: String?
    /// How many lines are kept (older ones are dropped when the file is read).
    static let limit = 1000

    init(environment: [String: String]) {
        let base: String?
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            base = home + "/.local/state"
        } else {
            base = nil
        }
        path = base.map { $0 + "/homelab/repl_history" }
    }

    /// Whether `line`, typed in context `path`, may be kept: not when it names secrets (`secrets ...`, any word
    /// `secret`/`secrets`), asks to reveal one (`--reveal`), holds a credential reference's value (`op://`), or
    /// sets something that looks like a password or token (`password=...`, `--token ...`).
    static func mayKeep(_ line: String, path: [String]) -> Bool {
        let lowered = line.lowercased()
        if lowered.contains("op://") || lowered.contains("--reveal") { return false }
        let words = Completion.split(lowered + " ").words + path.map { $0.lowercased() }
        for word in words {
            if word == "secret" || word == "secrets" { return false }
            let key = word.split(separator: "=", maxSplits: 1).first.map(String.init) ?? word
            for sensitive in ["password", "passphrase", "token", "secret", "api-key", "apikey"] where key.contains(sensitive) {
                return false
            }
        }
        return true
    }

    /// The kept lines, oldest first (at most ``limit``); none when the file is missing or unreadable.
    func load() -> [String] {
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return Array(text.split(separator: "\n").map(String.init).suffix(Self.limit))
    }

    /// Appends `line` to the file, creating its folder (0700) and the file (0600) when missing, and setting the
    /// file back to 0600 if someone widened it. Failures are silent: history is a convenience.
    func append(_ line: String) {
        guard let path else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = fchmod(fd, 0o600)
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
