import Foundation
import Testing

@testable import HomelabREPL

/// `homelab lint --rule/--skip` complete the rule IDs.
@Suite("REPL completion of lint rules")
struct LintCompletionTests {
    func complete(_ line: String) throws -> [String] {
        let tree = try CommandTree.homelab()
        return Completion(tree: tree).complete(line, path: [], names: ResourceNames().snapshot).candidates
    }

    @Test("--rule and --skip offer the rule IDs")
    func rules() throws {
        #expect(try complete("lint --rule st") == ["stateful-pinned"])
        #expect(try complete("lint --skip undeclared-") == ["undeclared-config", "undeclared-secret"])
        #expect(try complete("lint --rule ").count == 6)
    }
}
