import Foundation
import Testing

@testable import HomelabREPL

/// The REPL completes Komodo's live stack names where a `homelab komodo` command takes a stack.
@Suite("REPL completion of Komodo stacks")
struct KomodoCompletionTests {
    static let tree = try? CommandTree.homelab()

    func complete(_ line: String) throws -> [String] {
        let names = ResourceNames()
        names.store(.stacks, ["media-core", "media-enrichment", "monitoring"])
        names.store(.services, ["media-core_plex"])
        return Completion(tree: try #require(Self.tree)).complete(line, path: [], names: names.snapshot).candidates
    }

    @Test(
        "komodo subcommands, deploy STACK and --stack complete from the stack names",
        arguments: [
            ("komodo dep", ["deploy"]),
            ("komodo sync ", ["..", "diff", "run"]),
            ("komodo deploy med", ["media-core", "media-enrichment"]),
            ("komodo updates --stack mon", ["monitoring"]),
        ] as [(String, [String])])
    func completes(_ line: String, expected: [String]) throws {
        let candidates = try complete(line)
        if expected.first == ".." {
            #expect(Set(expected.dropFirst()).isSubset(of: Set(candidates)), "\(candidates)")
        } else {
            #expect(candidates == expected)
        }
    }
}
