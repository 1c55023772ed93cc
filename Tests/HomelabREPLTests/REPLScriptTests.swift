import Foundation
import HomelabTestSupport
import Testing

/// `homelab-repl` with a script on standard input (not a terminal).
@Suite("homelab-repl reading a script")
struct REPLScriptTests {
    @Test("A piped script runs every line; the status is the last failing command's, output is plain", .enabled(if: REPLHarness.built))
    func pipedScript() async throws {
        let harness = try await REPLHarness.start()
        defer { Task { await harness.stop() } }
        let script = """
            # comments and blank lines are skipped

            node ls
            no-such-command
            use node
            activate no-such-node
            ls
            """
        let (status, output) = try await harness.runScript(script + "\n")
        #expect(status == 1, "the last failing line (6, exit 1), not the usage error of line 4 (64): \(output)")
        #expect(output.contains("line 4:"), "\(output)")
        #expect(output.contains("the swarm has no node no-such-node"), "\(output)")
        #expect(output.components(separatedBy: "barbary").count >= 3, "node ls ran twice (the second inside `use node`): \(output)")
        #expect(!output.contains("\u{1B}["), "no escape sequences")
        #expect(!output.contains("homelab>"), "no prompt")
    }

    @Test("A script that succeeds exits 0; a quoted argument stays one word", .enabled(if: REPLHarness.built))
    func quotedArguments() async throws {
        let harness = try await REPLHarness.start()
        defer { Task { await harness.stop() } }
        let (status, output) = try await harness.runScript("inventory validate '\(harness.config)'\nhelp\n")
        #expect(status == 0, "\(output)")
        #expect(output.contains("REPL words"), "\(output)")
    }
}
