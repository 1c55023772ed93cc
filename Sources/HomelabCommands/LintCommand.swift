import ArgumentParser
import Foundation
import HomelabCore

/// `homelab lint [STACK...]`: offline checks of the stack files against the inventory (no server call), with
/// located findings and a `--fix` for the safe ones. See ``StackLint`` for the rules.
public struct LintCommand: AsyncParsableCommand {
    /// `lint`'s name and help. The rules are written out, not joined from `StackLint.Rule.allCases`: every command's
    /// configuration is built on every start (ArgumentParser's command tree), and that generic call cost a scan of
    /// all conformance records there. LintCommandTests holds the list to the enum.
    public static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check the stack files offline: pinned images, update_config, placement, labels, secrets and configs.",
        discussion: """
            Reads the inventory (--config) and one compose file per stack, STACKS/<stack>/compose.yaml (or compose.yml,
            docker-compose.yml, docker-compose.yaml), where STACKS is --stacks or the folder `stacks` beside the
            inventory: the layout of the stack repository (stacks/<stack>/compose.yaml). Folders there that the
            inventory does not name are linted too.

            Rules: image-pinned, update-config, stateful-pinned, labels, undeclared-secret, undeclared-config; choose
            with --rule, leave out with --skip.
            --fix prints the unified diff of the safe rewrites (a missing deploy.update_config gets failure_action:
            rollback) and writes them atomically; --fix --dry-run (or --diff) only prints it. Image tags and anything
            else lint cannot be sure of are never rewritten.

            Exits 0 when clean, 5 with findings (after --fix: with findings left), 1 when a file cannot be read.
            """
    )

    /// Only these stacks.
    @Argument(help: "Stacks to lint (default: every stack file).")
    public var stacks: [String] = []

    /// The stacks directory.
    @Option(help: "The folder holding <stack>/compose.yaml (default: `stacks` beside the inventory).", completion: .directory)
    public var stacksDirectory: String?

    /// Rules to run.
    @Option(
        name: .customLong("rule"), parsing: .singleValue, help: "Run only this rule (repeatable, or comma-separated).",
        completion: .list(StackLint.Rule.allCases.map(\.rawValue)))
    public var rule: [String] = []

    /// Rules to skip.
    @Option(
        name: .customLong("skip"), parsing: .singleValue, help: "Skip this rule (repeatable, or comma-separated).",
        completion: .list(StackLint.Rule.allCases.map(\.rawValue)))
    public var skip: [String] = []

    /// Rewrite the safe findings.
    @Flag(help: "Rewrite what is safe to rewrite, after printing the unified diff.")
    public var fix = false

    /// Show the diff only.
    @Flag(name: [.customLong("dry-run"), .customLong("diff")], help: "With --fix (or alone): print the diff, write nothing.")
    public var dryRun = false

    /// `--config`, `--context`, `--verbose`.
    @OptionGroup public var config: ConfigOptions
    /// `-o`, `-q`.
    @OptionGroup public var output: OutputOptions

    /// Parsed from arguments by ArgumentParser.
    public init() {}

    /// The rules in force.
    /// - Throws: `ValidationError` for an unknown rule ID.
    public func selectedRules() throws -> Set<StackLint.Rule> {
        func parse(_ values: [String]) throws -> Set<StackLint.Rule> {
            var rules: Set<StackLint.Rule> = []
            for value in values.flatMap({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }) where !value.isEmpty {
                guard let rule = StackLint.Rule(rawValue: value) else {
                    throw ValidationError(
                        "unknown rule '\(value)'; rules are \(StackLint.Rule.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                rules.insert(rule)
            }
            return rules
        }
        let chosen = try parse(rule)
        return (chosen.isEmpty ? Set(StackLint.Rule.allCases) : chosen).subtracting(try parse(skip))
    }

    /// The stack files to lint.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the folder or a file cannot be read.
    public func stackFiles(homelab: Homelab, inventoryPath: String) throws -> [StackLint.StackFile] {
        let directory =
            stacksDirectory
            ?? URL(fileURLWithPath: inventoryPath).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("stacks").path
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw HomelabError(
                .invalidConfiguration, "no stacks folder at \(directory); point --stacks-directory at the folder holding <stack>/compose.yaml",
                component: "lint")
        }
        let folders = ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        var names = homelab.stacks.map(\.name)
        for folder in folders where !names.contains(folder) {
            let path = (directory as NSString).appendingPathComponent(folder)
            if Self.composeFile(in: path) != nil { names.append(folder) }
        }
        if !stacks.isEmpty {
            for stack in stacks where !names.contains(stack) {
                throw HomelabError(.invalidConfiguration, "no stack \(stack) in the inventory or \(directory)", component: "lint")
            }
            names = names.filter { stacks.contains($0) }
        }
        var files: [StackLint.StackFile] = []
        for name in names {
            guard let path = Self.composeFile(in: (directory as NSString).appendingPathComponent(name)) else {
                if !stacks.isEmpty {
                    throw HomelabError(.invalidConfiguration, "no compose file for stack \(name) in \(directory)/\(name)", component: "lint")
                }
                output.writer.warn("note: no stack file for \(name) in \(directory)/\(name); not linted")
                continue
            }
            guard let data = manager.contents(atPath: path) else {
                throw HomelabError(.invalidConfiguration, "cannot read stack file \(path)", component: "lint")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw HomelabError(.invalidConfiguration, "stack file \(path) is not UTF-8 text", component: "lint")
            }
            files.append(StackLint.StackFile(stack: name, path: path, text: text))
        }
        return files
    }

    static func composeFile(in folder: String) -> String? {
        for name in ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"] {
            let path = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    /// Lints, fixes when asked, shows the findings.
    /// - Throws: exit 5 with findings, 1 for an unreadable file (its located problems on standard error).
    public func run() async throws {
        let rules = try selectedRules()
        let source = try config.source()
        let homelab = try source.load()
        let files = try stackFiles(homelab: homelab, inventoryPath: source.path)
        let report = StackLint.run(homelab: homelab, files: files, rules: rules, environment: Terminal.active.environment)
        guard report.errors.isEmpty else {
            for issue in report.errors { output.writer.warn(issue.description) }
            throw HomelabError(
                .invalidConfiguration, "\(report.errors.count) problem\(report.errors.count == 1 ? "" : "s") reading the stack files (listed above); lint checks files that load",
                component: "lint")
        }
        var findings = report.findings
        if fix || dryRun {
            for fix in report.fixes { output.line(fix.diff) }
            if report.fixes.isEmpty { output.line("nothing to fix") }
            if fix && !dryRun {
                for fix in report.fixes { try AtomicFile.write(Array(fix.after.utf8), to: fix.path, mode: Self.mode(of: fix.path)) }
                let fixed = Set(report.fixes.flatMap(\.resolves))
                findings.removeAll { fixed.contains($0) }
                if !report.fixes.isEmpty {
                    output.line("fixed \(fixed.count) finding\(fixed.count == 1 ? "" : "s") in \(report.fixes.count) file\(report.fixes.count == 1 ? "" : "s")")
                }
            }
        }
        try output.list(findings.map(LintRow.init), table: LintRow.table, id: { "\($0.file):\($0.line):\($0.column)" })
        if !findings.isEmpty { throw ExitStatus.degraded.code }
    }

    /// Keeps a rewritten file's permissions.
    static func mode(of path: String) -> mode_t {
        let permissions = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.uint16Value
        return permissions.map { mode_t($0) } ?? 0o644
    }
}

/// One finding in `homelab lint -o json`.
struct LintRow: Encodable {
    var file: String
    var line: Int
    var column: Int
    var rule: String
    var stack: String
    var service: String
    var message: String
    var fixable: Bool

    init(_ finding: StackLint.Finding) {
        file = finding.file
        line = finding.line
        column = finding.column
        rule = finding.rule.rawValue
        stack = finding.stack
        service = finding.service
        message = finding.message
        fixable = finding.fixable
    }

    static let table = Table<LintRow>([
        .init("LOCATION") { .text("\($0.file):\($0.line):\($0.column)") },
        .init("RULE") { .state($0.rule, .warning) },
        .init("SERVICE") { .text($0.service.isEmpty ? $0.stack : $0.service) },
        .init("MESSAGE") { .text($0.message) },
        .init("FIXABLE", wide: true) { .text($0.fixable ? "yes" : "no") },
    ])
}
