import Foundation
import Logging

/// The files of a PXE component where it runs: matchbox's data directory, dnsmasq's configuration file, the TFTP
/// root. matchbox re-reads its files on every request and has no write API without gRPC, so the SDK manages them
/// as files: ``LocalPXEFileStore`` on this machine, ``SSHPXEFileStore`` on the component's node.
///
/// Paths are absolute paths on the machine holding the files.
public protocol PXEFileStore: Sendable {
    /// Where the files are, for messages: `/var/lib/matchbox` or `ssh barbary`.
    var place: String { get }
    /// The names of the entries in `directory` (files and directories, sorted); empty when it does not exist.
    /// - Throws: ``HomelabError``: `.commandFailed` or `.invalidConfiguration` when it cannot be read; SSH errors.
    func list(_ directory: String) async throws -> [String]
    /// The bytes of the file at `path`; `nil` when there is no such file.
    /// - Throws: ``HomelabError`` when it exists but cannot be read; SSH errors.
    func read(_ path: String) async throws -> [UInt8]?
    /// Every regular file directly in each of `directories`, by path (one round trip over SSH).
    /// - Throws: as ``read(_:)``.
    func readAll(in directories: [String]) async throws -> [String: [UInt8]]
    /// Replaces the file at `path` atomically (a temporary file renamed over it), creating its directory.
    /// - Throws: ``HomelabError`` when it cannot be written; SSH errors.
    func write(_ path: String, _ bytes: [UInt8]) async throws
    /// Removes the file at `path` (nothing when it does not exist).
    /// - Throws: ``HomelabError`` when it cannot be removed; SSH errors.
    func remove(_ path: String) async throws
}

extension PXEFileStore {
    /// Every regular file in each directory, read one by one.
    public func readAll(in directories: [String]) async throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for directory in directories {
            for name in try await list(directory) {
                let path = PXEPath.join(directory, name)
                if let bytes = try await read(path) { files[path] = bytes }
            }
        }
        return files
    }
}

/// Joining and checking paths of PXE files.
public enum PXEPath {
    /// `directory/name` with one slash.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The directory part of `path` (`/` for a top-level file).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// Whether `name` is usable as one file name of a profile, group or template ID (no slash, not `.`/`..`, no NUL).
    public static func isFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }
}

/// PXE files in a directory on this machine (a matchbox data directory mounted here, the simulator's, tests').
public struct LocalPXEFileStore: PXEFileStore {
    /// A store on this machine.
    public init() {}

    public var place: String { "this machine" }

    public func list(_ directory: String) async throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot list \(Redaction.redactText(directory))", component: "pxe")
        }
    }

    public func read(_ path: String) async throws -> [UInt8]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HomelabError(.invalidConfiguration, "cannot read \(Redaction.redactText(path))", component: "pxe")
        }
        return [UInt8](data)
    }

    public func write(_ path: String, _ bytes: [UInt8]) async throws {
        do {
            try FileManager.default.createDirectory(atPath: PXEPath.directory(of: path), withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot write \(Redaction.redactText(path))", component: "pxe")
        }
    }

    public func remove(_ path: String) async throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw HomelabError(.invalidConfiguration, "cannot remove \(Redaction.redactText(path))", component: "pxe")
        }
    }
}

/// PXE files on a node, through one SSH command per operation (``NodeMaintenanceShell``: the nodes' SSH logins and
/// host-key checks). File contents travel base64-encoded inside the command or its output, so nothing depends on
/// SFTP or on the remote shell's handling of binary data; a write is a temporary file renamed over the old one.
///
/// The node needs a POSIX shell, `base64`, `mkdir`, `mv`, `rm` and `ls` (busybox has them all).
public struct SSHPXEFileStore: PXEFileStore {
    /// Files larger than this are refused for writing (the command line carries them; Linux allows 128 KiB per
    /// argument).
    public static let maximumWriteSize = 96 << 10

    let shell: any NodeMaintenanceShell
    /// The node holding the files.
    public let node: Homelab.Node
    let timeout: Duration

    /// A store on `node`, reached through `shell`.
    public init(shell: any NodeMaintenanceShell, node: Homelab.Node, timeout: Duration = .seconds(60)) {
        self.shell = shell
        self.node = node
        self.timeout = timeout
    }

    public var place: String { "ssh \(node.name)" }

    /// `text` as one single-quoted shell word.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    private func run(_ command: String, what: String, allowed: Set<Int32> = [0]) async throws -> SSHCommandResult {
        let result = try await shell.run(command, on: node, timeout: timeout)
        guard let status = result.exitStatus, allowed.contains(status) else {
            let detail = String(decoding: result.stderr.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw HomelabError(
                .commandFailed,
                "\(what) on \(node.name) failed (exit \(result.exitStatus.map(String.init) ?? "?"))\(detail.isEmpty ? "" : ": " + Redaction.redactText(detail))",
                component: "pxe")
        }
        return result
    }

    public func list(_ directory: String) async throws -> [String] {
        let q = Self.quoted(directory)
        let result = try await run("if [ -d \(q) ]; then ls -1A -- \(q); fi", what: "listing \(Redaction.redactText(directory))")
        return String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }.sorted()
    }

    public func read(_ path: String) async throws -> [UInt8]? {
        let q = Self.quoted(path)
        let result = try await run(
            "if [ -f \(q) ]; then base64 < \(q); else exit 3; fi", what: "reading \(Redaction.redactText(path))", allowed: [0, 3])
        if result.exitStatus == 3 { return nil }
        return try decode(result.stdout, path: path)
    }

    public func readAll(in directories: [String]) async throws -> [String: [UInt8]] {
        guard !directories.isEmpty else { return [:] }
        let script = directories.map { directory in
            "for f in \(Self.quoted(directory))/*; do if [ -f \"$f\" ]; then printf '==> %s\\n' \"$f\"; base64 < \"$f\"; fi; done"
        }.joined(separator: "; ")
        let result = try await run(script, what: "reading \(directories.count) directories")
        var files: [String: [UInt8]] = [:]
        var current: String?
        var body: [UInt8] = []
        func flush() throws {
            if let current { files[current] = try decode(body, path: current) }
            body = []
        }
        for line in result.stdout.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: Array("==> ".utf8)) {
                try flush()
                current = String(decoding: line.dropFirst(4), as: UTF8.self)
            } else {
                body += line
            }
        }
        try flush()
        return files
    }

    public func write(_ path: String, _ bytes: [UInt8]) async throws {
        guard bytes.count <= Self.maximumWriteSize else {
            throw HomelabError(
                .invalidArgument, "\(Redaction.redactText(path)) is \(bytes.count) bytes; files over SSH are limited to \(Self.maximumWriteSize)",
                component: "pxe")
        }
        let q = Self.quoted(path)
        let temporary = Self.quoted(path + ".homelab-tmp")
        let encoded = Data(bytes).base64EncodedString()
        _ = try await run(
            "mkdir -p -- \(Self.quoted(PXEPath.directory(of: path))) && printf '%s' '\(encoded)' | base64 -d > \(temporary) && mv -f -- \(temporary) \(q)",
            what: "writing \(Redaction.redactText(path))")
    }

    public func remove(_ path: String) async throws {
        _ = try await run("rm -f -- \(Self.quoted(path))", what: "removing \(Redaction.redactText(path))")
    }

    private func decode(_ output: some Collection<UInt8>, path: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: Data(output), options: .ignoreUnknownCharacters) else {
            throw HomelabError(.decodingFailed, "the contents of \(Redaction.redactText(path)) on \(node.name) came back garbled", component: "pxe")
        }
        return [UInt8](data)
    }
}
