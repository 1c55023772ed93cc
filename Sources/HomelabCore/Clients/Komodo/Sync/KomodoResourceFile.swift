import Foundation
import TOMLKit

/// A Komodo resource file (the TOML a ResourceSync applies): its resources, and what is wrong with it, each finding
/// located at `file:line`.
///
/// ```swift
/// let file = try KomodoResourceFile.load(path: "stacks/komodo.toml")
/// for issue in file.issues { print(issue) }      // stacks/komodo.toml:12: error: stack 'plex': config.server: ...
/// ```
///
/// Checked: TOML syntax (line and column from the parser); every `[[server]]`, `[[stack]]`, `[[resource_sync]]` and
/// `[[procedure]]` against the resources schema (required `name`, field types, enumerations, unknown fields with a
/// suggestion, procedure executions and their required params); names unique per kind; a stack's host (`server` or
/// `swarm`, not neither) and source (`repo`, `linked_repo`, `files_on_host` or `file_contents`); `after` naming a
/// stack or deployment of the file. Other kinds (`[[deployment]]`, `[[variable]]`, ...) are read for their names.
public struct KomodoResourceFile: Sendable {
    /// One finding.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        /// How bad it is: an error means Komodo would refuse the file or the resource; a warning, that it would
        /// accept it but probably not do what was meant.
        public enum Severity: String, Sendable, Hashable, Codable {
            case error, warning
        }

        /// How bad.
        public var severity: Severity
        /// The file.
        public var file: String
        /// The line (1-based), when it could be told.
        public var line: Int?
        /// The column, for syntax errors.
        public var column: Int?
        /// What is wrong, naming the resource and field.
        public var message: String

        /// `file:line: error: message`.
        public var description: String {
            let place = [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
            return "\(place): \(severity.rawValue): \(message)"
        }
    }

    /// One resource declared in the file.
    public struct Resource: Sendable, Hashable {
        /// Its kind, singular (`stack`, `server`, `resource_sync`, `procedure`, ...).
        public var kind: String
        /// Its name (empty when the file gives none: an error).
        public var name: String
        /// Its description.
        public var description: String?
        /// Its tags.
        public var tags: [String]
        /// Whether the sync should deploy it (stacks, deployments).
        public var deploy: Bool
        /// The resources it deploys after.
        public var after: [String]
        /// Its `config` table, as written.
        public var config: [String: Komodo.ConfigValue]
        /// The line its `[[kind]]` header is on.
        public var line: Int?
    }

    /// The file's path, as given.
    public var file: String
    /// The resources, in file order per kind.
    public var resources: [Resource]
    /// What is wrong, errors and warnings, in line order.
    public var issues: [Issue]

    /// Whether an error was found (warnings do not count).
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// The resources of `kind`.
    public func resources(_ kind: String) -> [Resource] { resources.filter { $0.kind == kind } }

    /// Reads and checks the file at `path`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when it cannot be read; problems in its content are
    ///   ``issues``, never thrown.
    public static func load(path: String) throws -> KomodoResourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HomelabError(.invalidConfiguration, "cannot read \(path): check the path and its permissions", component: "komodo")
        }
        return parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Checks `text`, naming it `file` in findings. Never throws: a syntax error is an issue.
    public static func parse(_ text: String, file: String = "<toml>") -> KomodoResourceFile {
        var result = KomodoResourceFile(file: file, resources: [], issues: [])
        let document: [String: Komodo.ConfigValue]
        do {
            document = try KomodoTOMLSource.parse(text)
        } catch let error as TOMLParseError {
            result.issues.append(Issue(
                severity: .error, file: file, line: error.source.begin.line, column: error.source.begin.column,
                message: "not valid TOML: \(error.description)"))
            return result
        } catch let error as KomodoTOMLSource.HeaderError {
            result.issues.append(Issue(
                severity: .error, file: file, line: error.line, column: error.column,
                message: "not valid TOML: \(error.description)"))
            return result
        } catch {
            result.issues.append(Issue(severity: .error, file: file, line: nil, message: "not valid TOML: \(error)"))
            return result
        }
        let lines = KomodoTOMLSource.lines(of: text)
        var findings: [(path: [KomodoTOMLSource.Step], severity: Issue.Severity, message: String)] = []
        for key in document.keys.sorted() {
            guard let value = document[key] else { continue }
            guard let kind = KomodoResourceSchema.kind(key) else {
                findings.append(([.key(key)], .warning, "'\(key)' is not a Komodo resource kind; it is ignored"
                    + KomodoResourceSchema.suggestion(key, among: KomodoResourceSchema.allKinds)))
                continue
            }
            guard case .array(let items) = value else {
                findings.append(([.key(key)], .error, "'\(key)' must be an array of tables: write [[\(key)]] for each one"))
                continue
            }
            for (index, item) in items.enumerated() {
                let path: [KomodoTOMLSource.Step] = [.key(key), .index(index)]
                guard case .table(let fields) = item else {
                    findings.append((path, .error, "\(kind) #\(index + 1) is not a table"))
                    continue
                }
                let resource = Resource(
                    kind: kind, name: fields["name"]?.text ?? "", description: fields["description"]?.text,
                    tags: stringList(fields["tags"]), deploy: fields["deploy"] == .bool(true), after: stringList(fields["after"]),
                    config: fields["config"]?.fields ?? [:], line: KomodoTOMLSource.line(of: path, in: lines))
                result.resources.append(resource)
                let label = resource.name.isEmpty ? "\(kind) #\(index + 1)" : "\(kind) '\(resource.name)'"
                var local: [KomodoResourceSchema.Finding] = []
                if let type = KomodoResourceSchema.generatedKinds[kind] {
                    KomodoResourceSchema.check(item, against: type, at: path, field: "", into: &local)
                } else if fields["name"]?.text == nil {
                    local.append(.init(path: path, severity: .error, message: "'name' is required"))
                }
                if kind == "stack" { checkStack(fields, at: path, into: &local) }
                if kind == "resource_sync" { checkSync(fields, at: path, into: &local) }
                for finding in local {
                    let message = finding.message.hasPrefix(": ") ? String(finding.message.dropFirst(2)) : finding.message
                    findings.append((path: finding.path, severity: finding.severity, message: "\(label): " + message))
                }
            }
        }
        findings += crossChecks(result.resources, document: document)
        result.issues += findings.map { finding in
            Issue(severity: finding.severity, file: file, line: KomodoTOMLSource.line(of: finding.path, in: lines), message: finding.message)
        }
        result.issues.sort { ($0.line ?? 0, $0.severity == .error ? 0 : 1) < ($1.line ?? 0, $1.severity == .error ? 0 : 1) }
        return result
    }

    /// A list of strings written as an array or as one comma- or newline-separated string (Komodo accepts both).
    static func stringList(_ value: Komodo.ConfigValue?) -> [String] {
        switch value {
        case .array(let items)?: return items.compactMap(\.text)
        case .string(let text)?:
            return text.split(whereSeparator: { $0 == "," || $0 == "\n" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        default: return []
        }
    }

    private static func checkStack(
        _ fields: [String: Komodo.ConfigValue], at path: [KomodoTOMLSource.Step], into findings: inout [KomodoResourceSchema.Finding]
    ) {
        let config = fields["config"]?.fields ?? [:]
        let configPath = config.isEmpty ? path : path + [.key("config")]
        let server = config["server"]?.text ?? ""
        let swarm = config["swarm"]?.text ?? ""
        if server.isEmpty && swarm.isEmpty {
            findings.append(.init(path: configPath, severity: .warning, message: "config has neither server nor swarm: Komodo cannot deploy it"))
        } else if !server.isEmpty && !swarm.isEmpty {
            findings.append(.init(path: configPath + [.key("swarm")], severity: .warning, message: "config has both server and swarm: swarm mode wins, server is ignored"))
        }
        let sources = ["repo", "linked_repo", "file_contents"].filter { !(config[$0]?.text ?? "").isEmpty }
        if sources.isEmpty && config["files_on_host"] != .bool(true) {
            findings.append(.init(
                path: configPath, severity: .warning,
                message: "config has no compose source: set repo (or linked_repo), files_on_host = true, or file_contents"))
        }
    }

    private static func checkSync(
        _ fields: [String: Komodo.ConfigValue], at path: [KomodoTOMLSource.Step], into findings: inout [KomodoResourceSchema.Finding]
    ) {
        let config = fields["config"]?.fields ?? [:]
        let hasSource = !(config["repo"]?.text ?? "").isEmpty || !(config["linked_repo"]?.text ?? "").isEmpty
            || config["files_on_host"] == .bool(true) || !(config["file_contents"]?.text ?? "").isEmpty
        if !hasSource {
            findings.append(.init(
                path: config.isEmpty ? path : path + [.key("config")], severity: .warning,
                message: "config has no source: set repo (or linked_repo), files_on_host = true, or file_contents"))
        }
    }

    /// Duplicate names per kind, and `after` naming nothing in the file.
    private static func crossChecks(
        _ resources: [Resource], document: [String: Komodo.ConfigValue]
    ) -> [(path: [KomodoTOMLSource.Step], severity: Issue.Severity, message: String)] {
        var findings: [(path: [KomodoTOMLSource.Step], severity: Issue.Severity, message: String)] = []
        var firstLine: [String: Int?] = [:]
        var positions: [String: Int] = [:]
        let deployable = Set(resources.filter { $0.kind == "stack" || $0.kind == "deployment" }.map(\.name))
        for resource in resources {
            let position = positions[resource.kind, default: 0]
            positions[resource.kind] = position + 1
            let key = document.keys.first { KomodoResourceSchema.kind($0) == resource.kind } ?? resource.kind
            let path: [KomodoTOMLSource.Step] = [.key(key), .index(position)]
            guard !resource.name.isEmpty else { continue }
            let id = resource.kind + "/" + resource.name
            if let first = firstLine[id] {
                findings.append((path, .error, "\(resource.kind) '\(resource.name)' is declared twice"
                    + (first.flatMap { $0 }.map { " (first at line \($0))" } ?? "")))
            } else {
                firstLine[id] = .some(resource.line)
            }
            for name in resource.after where !deployable.contains(name) {
                findings.append((path + [.key("after")], .warning, "\(resource.kind) '\(resource.name)': after names '\(name)', which this file does not declare as a stack or deployment"))
            }
        }
        return findings
    }
}
