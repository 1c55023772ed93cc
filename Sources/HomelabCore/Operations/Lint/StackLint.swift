import Foundation
import Yams

/// `homelab lint`: offline checks of the stack files against themselves and the inventory, with no server call.
///
/// Pure: the inputs are the loaded inventory and the compose files' texts, the output is located findings and the
/// safe fixes. Every rule has an ID (``Rule``), selectable with `--rule`/`--skip`:
///
/// | Rule | What it wants |
/// |---|---|
/// | `image-pinned` | every `image:` has a tag or a digest, and the tag is not `latest` (no tag counts as `latest`) |
/// | `update-config` | every service has `deploy.update_config.failure_action` (fixable: adds `failure_action: rollback`) |
/// | `stateful-pinned` | a service the inventory marks `stateful: true` or `pinned_node:` has a `node.hostname == NODE` placement constraint |
/// | `labels` | the inventory's labels of a service are in its `deploy.labels`; a routed service (a `caddy` label) carries the inventory's `required_labels:` prefixes |
/// | `undeclared-secret` | every secret a service uses is declared in the top-level `secrets:` |
/// | `undeclared-config` | every config a service uses is declared in the top-level `configs:` |
///
/// A compose file that does not load (``ComposeLoader``'s located issues) is an error, not a finding.
public enum StackLint {
    /// A rule's ID.
    public enum Rule: String, CaseIterable, Sendable, Codable, Comparable {
        case imagePinned = "image-pinned"
        case updateConfig = "update-config"
        case statefulPinned = "stateful-pinned"
        case labels = "labels"
        case undeclaredSecret = "undeclared-secret"
        case undeclaredConfig = "undeclared-config"

        /// One line for help and completion.
        public var summary: String {
            switch self {
            case .imagePinned: return "images pinned to a tag or digest, never latest"
            case .updateConfig: return "every service has deploy.update_config with a failure_action"
            case .statefulPinned: return "stateful and pinned services constrained to the inventory's node"
            case .labels: return "the inventory's labels, and required_labels on routed services"
            case .undeclaredSecret: return "secrets used by a service are declared at the top level"
            case .undeclaredConfig: return "configs used by a service are declared at the top level"
            }
        }

        public static func < (lhs: Rule, rhs: Rule) -> Bool {
            (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
        }
    }

    /// One stack file to lint.
    public struct StackFile: Sendable, Hashable {
        /// The stack's name (its folder under the stacks directory), matched against the inventory's stacks.
        public var stack: String
        /// The path, as findings name it.
        public var path: String
        /// The file's text.
        public var text: String

        public init(stack: String, path: String, text: String) {
            self.stack = stack
            self.path = path
            self.text = text
        }
    }

    /// One located finding.
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public var rule: Rule
        public var file: String
        /// 1-based.
        public var line: Int
        /// 1-based.
        public var column: Int
        public var stack: String
        /// Empty for a finding about the file itself.
        public var service: String
        public var message: String
        /// Whether `--fix` rewrites it.
        public var fixable: Bool

        public init(rule: Rule, file: String, line: Int, column: Int, stack: String, service: String, message: String, fixable: Bool = false) {
            self.rule = rule
            self.file = file
            self.line = line
            self.column = column
            self.stack = stack
            self.service = service
            self.message = message
            self.fixable = fixable
        }

        /// `file:line:column [rule] service: message`.
        public var description: String {
            "\(file):\(line):\(column) [\(rule.rawValue)] \(service.isEmpty ? stack : service): \(message)"
        }
    }

    /// The rewritten text of one file (only safe edits), and its diff.
    public struct Fix: Sendable, Hashable {
        public var path: String
        public var before: String
        public var after: String
        /// The findings it resolves.
        public var resolves: [Finding]
        /// A unified diff of `before` to `after`.
        public var diff: String { FileDiff.unified(before, after, path: path) }
    }

    /// What one lint run found.
    public struct Report: Sendable {
        /// In file, line, column order.
        public var findings: [Finding] = []
        /// Files that could not be read as compose files (located); the run is an error when not empty.
        public var errors: [InventoryIssue] = []
        /// One per file with a fixable finding.
        public var fixes: [Fix] = []
    }

    /// The failure action `--fix` writes: Swarm rolls back an update whose tasks fail.
    public static let fixFailureAction = "rollback"

    /// Lints `files` against `homelab`, keeping findings of `rules` only.
    public static func run(homelab: Homelab, files: [StackFile], rules: Set<Rule> = Set(Rule.allCases), environment: [String: String] = [:]) -> Report {
        var report = Report()
        for file in files {
            let folder = URL(fileURLWithPath: file.path).standardizedFileURL.deletingLastPathComponent().path
            // An undefined secret or config is a finding of its own rule here, not a reason the file cannot be read.
            let issues = ComposeLoader.issues(in: file.text, file: file.path, environment: environment, workingDirectory: folder)
                .filter { !$0.message.hasPrefix("undefined secret '") && !$0.message.hasPrefix("undefined config '") }
            guard issues.isEmpty else {
                report.errors += issues
                continue
            }
            let root: Yams.Node
            do {
                guard let node = try Yams.compose(yaml: file.text) else { continue }
                root = node
            } catch {
                report.errors.append(InventoryIssue(file: file.path, line: 1, column: 1, keyPath: "", message: "not YAML: \(error)"))
                continue
            }
            var linter = FileLinter(homelab: homelab, file: file, rules: rules)
            linter.lint(root)
            report.findings += linter.findings
            if !linter.edits.isEmpty {
                let after = TextEdits.apply(linter.edits, to: file.text)
                if after != file.text {
                    report.fixes.append(Fix(path: file.path, before: file.text, after: after, resolves: linter.findings.filter(\.fixable)))
                }
            }
        }
        report.findings.sort { ($0.file, $0.line, $0.column, $0.rule) < ($1.file, $1.line, $1.column, $1.rule) }
        return report
    }

    /// Whether `image` names a tag other than `latest`, or a digest. A reference built from a variable
    /// (`${TAG}`) is taken as pinned: lint cannot know the value.
    public static func isPinned(image: String) -> Bool {
        if image.contains("@sha256:") || image.contains("@") { return true }
        let lastComponent = image.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? image
        guard let colon = lastComponent.lastIndex(of: ":") else { return image.contains("${") }
        let tag = lastComponent[lastComponent.index(after: colon)...]
        return !tag.isEmpty && tag != "latest"
    }
}
