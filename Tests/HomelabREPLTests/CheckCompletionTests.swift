import Foundation
import Testing

@testable import HomelabREPL

/// `homelab check --rule/--skip` complete the rule names.
@Suite("REPL completion of check rules")
struct CheckCompletionTests {
    func complete(_ line: String) throws -> [String] {
        let tree = try CommandTree.homelab()
        return Completion(tree: tree).complete(line, path: [], names: ResourceNames().snapshot).candidates
    }

    @Test("check is a command; --rule and --skip offer the rule names")
    func rules() throws {
        #expect(try complete("chec") == ["check"])
        #expect(try complete("check --rule fo") == ["forward-auth"])
        #expect(try complete("check --skip p") == ["placement"])
        #expect(try complete("check --rule ") == ["backups", "forward-auth", "monitoring", "placement", "secrets"])
    }
}
