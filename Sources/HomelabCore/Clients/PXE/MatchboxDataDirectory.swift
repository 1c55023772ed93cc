import Foundation

/// matchbox's data directory (`-data-path`, `/var/lib/matchbox`): `profiles/*.json`, `groups/*.json`, the templates
/// under `ignition/`, `cloud/` and `generic/`, and `assets/`, read and written through a ``PXEFileStore``.
///
/// matchbox reads these files on every request, so a write takes effect at once; nothing needs a restart.
public struct MatchboxDataDirectory: Sendable {
    /// Where the files are.
    public let store: any PXEFileStore
    /// The data directory's path on the store's machine.
    public let root: String

    /// The template directories, as matchbox names them.
    public static let templateDirectories = ["ignition", "cloud", "generic"]

    /// A data directory at `root` in `store`.
    public init(store: any PXEFileStore, root: String) {
        self.store = store
        self.root = root
    }

    /// Where it is, for messages: `ssh barbary:/mnt/tank/apps/matchbox`.
    public var place: String { store is LocalPXEFileStore ? root : "\(store.place):\(root)" }

    /// Reads every profile, group and template, and lists the assets (one round trip over SSH, plus one listing).
    /// Files that do not parse are kept as problems in ``MatchboxData/unreadable``.
    /// - Throws: the store's errors.
    public func load() async throws -> MatchboxData {
        let directories = ["profiles", "groups"] + Self.templateDirectories
        let files = try await store.readAll(in: directories.map { PXEPath.join(root, $0) })
        let assets = try await store.list(PXEPath.join(root, "assets"))
        var relative: [String: [UInt8]] = [:]
        let prefix = root.hasSuffix("/") ? root : root + "/"
        for (path, bytes) in files where path.hasPrefix(prefix) { relative[String(path.dropFirst(prefix.count))] = bytes }
        return MatchboxData(files: relative, assets: assets)
    }

    /// Writes `profile` to `profiles/<id>.json`.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for an ID that is not a file name; the store's errors.
    public func write(_ profile: Matchbox.Profile) async throws {
        try await store.write(try path(for: "profiles", profile.id + ".json"), MatchboxData.encode(profile))
    }

    /// Writes `group` to `groups/<id>.json`.
    /// - Throws: as ``write(_:)-(Matchbox.Profile)``.
    public func write(_ group: Matchbox.Group) async throws {
        try await store.write(try path(for: "groups", group.id + ".json"), MatchboxData.encode(group))
    }

    /// Writes a template: `directory` is `ignition`, `cloud` or `generic`.
    /// - Throws: as ``write(_:)-(Matchbox.Profile)``.
    public func writeTemplate(_ directory: String, id: String, text: String) async throws {
        guard Self.templateDirectories.contains(directory) else {
            throw HomelabError(.invalidArgument, "'\(directory)' is not a matchbox template directory", component: "matchbox")
        }
        try await store.write(try path(for: directory, id), Array(text.utf8))
    }

    /// Writes a file given by its path relative to the data directory (`groups/lorcha.json`).
    /// - Throws: as ``write(_:)-(Matchbox.Profile)``.
    public func writeFile(_ relativePath: String, _ bytes: [UInt8]) async throws {
        let parts = relativePath.split(separator: "/").map(String.init)
        guard parts.count == 2 else {
            throw HomelabError(.invalidArgument, "'\(relativePath)' is not DIRECTORY/FILE in the data directory", component: "matchbox")
        }
        try await store.write(try path(for: parts[0], parts[1]), bytes)
    }

    /// Removes `groups/<id>.json`.
    /// - Throws: the store's errors.
    public func removeGroup(_ id: String) async throws {
        try await store.remove(try path(for: "groups", id + ".json"))
    }

    private func path(for directory: String, _ name: String) throws -> String {
        guard PXEPath.isFileName(name) else {
            throw HomelabError(.invalidArgument, "'\(name)' cannot be a file name in \(directory)/", component: "matchbox")
        }
        return PXEPath.join(PXEPath.join(root, directory), name)
    }
}

/// What one reading of a matchbox data directory found.
public struct MatchboxData: Sendable {
    /// The profiles that parsed, by file name order (the file name without `.json` is matchbox's lookup key).
    public var profiles: [Matchbox.Profile]
    /// The groups that parsed, by file name order.
    public var groups: [Matchbox.Group]
    /// Template texts by path relative to the data directory (`generic/debian-preseed.cfg`).
    public var templates: [String: String]
    /// The entries directly under `assets/`.
    public var assets: [String]
    /// Profile and group files that could not be read, and why (matchbox skips them).
    public var unreadable: [MatchboxIssue]
    /// Profiles by file name without `.json` (matchbox's lookup key).
    public var profileFiles: [String: Matchbox.Profile]
    /// Groups by file name without `.json`.
    public var groupFiles: [String: Matchbox.Group]

    /// An empty data directory.
    public init() {
        profiles = []
        groups = []
        templates = [:]
        assets = []
        unreadable = []
        profileFiles = [:]
        groupFiles = [:]
    }

    /// Parses files given by relative path (`profiles/x.json`, `groups/y.json`, `generic/z`).
    public init(files: [String: [UInt8]], assets: [String] = []) {
        self.init()
        self.assets = assets
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
            let parts = path.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let (directory, name) = (parts[0], parts[1])
            switch directory {
            case "profiles", "groups":
                let key = name.hasSuffix(".json") ? String(name.dropLast(5)) : (name as NSString).deletingPathExtension
                do {
                    if directory == "profiles" {
                        let profile = try JSONDecoder().decode(Matchbox.Profile.self, from: Data(bytes))
                        profiles.append(profile)
                        profileFiles[key] = profile
                    } else {
                        var group = try JSONDecoder().decode(Matchbox.Group.self, from: Data(bytes))
                        group.normalize()
                        groups.append(group)
                        groupFiles[key] = group
                    }
                } catch {
                    unreadable.append(MatchboxIssue(file: path, message: "not a valid \(directory.dropLast()) file: \(Self.describe(error))"))
                }
            case "ignition", "cloud", "generic":
                templates[path] = String(decoding: bytes, as: UTF8.self)
            default: break
            }
        }
    }

    /// The profile matchbox finds for `id`: the one in `profiles/<id>.json`, when its own `id` is set (matchbox
    /// refuses a profile without one).
    public func profile(_ id: String) -> Matchbox.Profile? {
        guard let profile = profileFiles[id], !profile.id.isEmpty else { return nil }
        return profile
    }

    /// Which group a machine with `labels` gets, as matchbox chooses (groups matchbox cannot load are left out).
    public func which(_ labels: [String: String]) -> Matchbox.Selection {
        Matchbox.Selection(groups: loadableGroups, labels: labels)
    }

    /// The groups matchbox loads (a `mac` selector that does not parse makes matchbox skip the group).
    public var loadableGroups: [Matchbox.Group] {
        groups.filter { group in group.selector.allSatisfy { $0.key.lowercased() != "mac" || Matchbox.MAC($0.value) != nil } }
    }

    /// A profile as JSON the way this SDK writes it (sorted keys, two-space indent, final newline).
    public static func encode(_ profile: Matchbox.Profile) throws -> [UInt8] { try encodeJSON(profile) }

    /// A group as JSON the way this SDK writes it.
    public static func encode(_ group: Matchbox.Group) throws -> [UInt8] { try encodeJSON(group) }

    private static func encodeJSON(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
        } catch {
            throw HomelabError(.invalidArgument, "a matchbox file could not be encoded", component: "matchbox")
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        case DecodingError.keyNotFound(let key, _): return "missing \(key.stringValue)"
        default: return "malformed JSON"
        }
    }
}

/// A problem in a matchbox data directory, with the file it is in (relative to the data directory) and, for
/// templates, the line and column.
public struct MatchboxIssue: Sendable, Hashable, CustomStringConvertible {
    /// Whether matchbox would misbehave (error) or a person should look (warning).
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    /// The file (`groups/lorcha.json`, `generic/debian-preseed.cfg`).
    public var file: String
    /// 1-based line in the file, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// What is wrong.
    public var message: String
    /// Error or warning.
    public var severity: Severity

    /// An issue value.
    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }

    /// `groups/lorcha.json: error: ...` or `generic/x.cfg:3:14: error: ...`.
    public var description: String {
        let location = [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return "\(location): \(severity.rawValue): \(message)"
    }
}
