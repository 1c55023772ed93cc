import Foundation
import HomelabCore

/// The git history of the homelab's stack repository (`homelab/stacks`), shared by the simulated Forgejo (which
/// serves its commits and files) and the simulated Woodpecker (which built each commit), so that a commit can be
/// followed from one to the other.
///
/// One file per inventory stack at ``path(for:)`` (`stacks/<stack>/compose.yaml`, a compose file that converts to
/// what the simulated swarm runs, see ``SimulatedStackFile``), plus `README.md` and `.woodpecker.yaml`. The first commit adds them all; then
/// each stack gets one commit of its own, three hours apart in inventory order, the last a little before `now`;
/// a last commit touches only the README.
public struct StacksRepositoryHistory: Sendable {
    /// One commit.
    public struct Commit: Sendable, Hashable {
        /// 40 hex digits, derived from the content so that runs agree.
        public var sha: String
        public var message: String
        public var author: String
        public var email: String
        public var date: Date
        /// Files this commit sets (path → content); the files of a commit are those of its parents plus these.
        public var changes: [String: String]
    }

    /// Owner and name in Forgejo.
    public static let repository = StacksPaths.repository

    /// Oldest first.
    public let commits: [Commit]

    /// Where stack `name`'s compose file lives in the repository.
    public static func path(for stack: String) -> String { StacksPaths.composeFile(for: stack) }

    /// The history for `homelab`'s stacks, ending shortly before `now`.
    public init(homelab: Homelab, now: Date = Date()) {
        let stacks = homelab.stacks
        let step: TimeInterval = 3 * 3600
        let start = now.addingTimeInterval(-Double(stacks.count + 2) * step - 7 * 86_400)
        var commits: [Commit] = []
        var parent = "0000000000000000000000000000000000000000"
        func add(_ message: String, _ author: (String, String), _ date: Date, _ changes: [String: String]) {
            let digest = Self.digest(parent + message + changes.keys.sorted().joined() + changes.values.sorted().joined())
            commits.append(Commit(sha: digest, message: message, author: author.0, email: author.1, date: date, changes: changes))
            parent = digest
        }
        var initial: [String: String] = [
            "README.md": "# homelab stacks\n\nOne compose file per stack; Komodo deploys them, Woodpecker checks them.\n",
            ".woodpecker.yaml": Self.pipelineFile,
        ]
        for stack in stacks { initial[Self.path(for: stack.name)] = SimulatedStackFile.compose(stack, in: homelab, revision: 1) }
        add("Import the homelab's stacks", ("ops", "ops@home.arpa"), start, initial)
        for (index, stack) in stacks.enumerated() {
            let date = now.addingTimeInterval(-Double(stacks.count - index + 1) * step)
            let who = index.isMultiple(of: 3) ? ("renovate", "renovate@home.arpa") : ("ops", "ops@home.arpa")
            add("\(stack.name): update images", who, date, [Self.path(for: stack.name): SimulatedStackFile.compose(stack, in: homelab, revision: 2)])
        }
        add("README: how the stacks are deployed", ("ops", "ops@home.arpa"), now.addingTimeInterval(-step / 2), [
            "README.md": "# homelab stacks\n\nOne compose file per stack under stacks/; Komodo's resource sync deploys them on\npush once Woodpecker's checks pass.\n"
        ])
        self.commits = commits
    }

    /// The commit whose push pipeline failed its checks in the simulated Woodpecker (the third: the second stack's
    /// own commit), so that Komodo, which deploys only what passed, has not deployed it.
    public static let failedCheckIndex = 2

    /// The index of the newest commit that changed stack `stack`'s compose file; `nil` for a stack it does not hold.
    public func lastChange(ofStack stack: String) -> Int? {
        let path = Self.path(for: stack)
        return commits.indices.last { commits[$0].changes[path] != nil }
    }

    /// The files at commit `index` (the union of every change up to it).
    public func files(at index: Int) -> [String: String] {
        var files: [String: String] = [:]
        for commit in commits.prefix(index + 1) { files.merge(commit.changes) { $1 } }
        return files
    }

    static let pipelineFile = """
        when:
          - event: [push, pull_request]
        steps:
          - name: validate
            image: alpine:3.20
            commands:
              - for f in stacks/*/compose.yaml; do echo "checking $f"; done
          - name: lint
            image: alpine:3.20
            commands:
              - echo "yamllint stacks/"

        """

    /// 40 hex digits from `text` (FNV-1a, widened): stable across runs, not cryptographic.
    static func digest(_ text: String) -> String {
        var out = ""
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for round in 0..<3 {
            var hash = seed ^ UInt64(round)
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            out += String(hash, radix: 16).leftPadded(to: 16)
            seed = hash
        }
        return String(out.prefix(40))
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
