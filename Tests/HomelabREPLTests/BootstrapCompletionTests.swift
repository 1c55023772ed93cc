import Foundation
import Testing

@testable import HomelabREPL

/// `bootstrap` is in the command tree: the REPL completes it and its options.
@Suite("REPL completion of bootstrap")
struct BootstrapCompletionTests {
    func complete(_ line: String) throws -> [String] {
        let tree = try CommandTree.homelab()
        return Completion(tree: tree).complete(line, path: [], names: ResourceNames().snapshot).candidates
    }

    @Test("the command and its options complete; an unknown prefix offers nothing")
    func options() throws {
        #expect(try complete("boots") == ["bootstrap"])
        #expect(try complete("bootstrap --dry") == ["--dry-run"])
        #expect(try complete("bootstrap --no-h") == ["--no-health-check"])
        #expect(try complete("bootstrap --stacks-d") == ["--stacks-directory"])
        #expect(try complete("bootstrap --zz") == [])
    }
}
