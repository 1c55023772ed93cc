import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// `homelab-repl` on a pseudo-terminal (tmux) against the simulated homelab: what a person at the keyboard sees.
@Suite("homelab-repl on a terminal", .serialized)
struct REPLTerminalTests {
    static let usable = REPLHarness.built && TmuxTerminal.tmux != nil

    @Test("The binary and tmux are there where tests run under CI")
    func requirements() throws {
        #expect(try RealServer.require("the homelab-repl binary", available: REPLHarness.built, hint: "swift build --build-tests"))
        #expect(try RealServer.require("tmux", available: TmuxTerminal.tmux != nil, hint: "scripts/install-deps.sh test"))
    }

    @Test("Tab completes a live service name from the background cache", .enabled(if: usable))
    func completesServiceName() async throws {
        let harness = try await REPLHarness.start()
        let terminal = try await harness.terminal()
        defer { Task { await terminal.close(); await harness.stop() } }
        // The cache fills in the background (every second here); until then Tab has nothing to offer.
        let deadline = ContinuousClock.now + .seconds(30)
        var line = ""
        repeat {
            try await terminal.press("C-u")
            try await terminal.type("rollout plan --restart komodo_komodo-c")
            try await terminal.press("Tab")
            try await Task.sleep(for: .milliseconds(300))
            line = try await terminal.lastLine()
        } while !line.contains("komodo_komodo-core") && ContinuousClock.now < deadline
        #expect(line.hasSuffix("homelab> rollout plan --restart komodo_komodo-core"), "\(line)")
        // Commands, groups and options complete from the command tree.
        try await terminal.press("C-u")
        try await terminal.type("rollout pl")
        try await terminal.press("Tab")
        try await terminal.type("--bud")
        try await terminal.press("Tab")
        let completed = try await terminal.waitFor("the option") { $0.hasSuffix("rollout plan --budget") }
        #expect(completed.hasSuffix("homelab> rollout plan --budget"))
    }

    @Test("History: a line is recalled with Up and kept in repl_history, mode 0600; a secret line is not", .enabled(if: usable))
    func history() async throws {
        let harness = try await REPLHarness.start()
        let terminal = try await harness.terminal()
        defer { Task { await terminal.close(); await harness.stop() } }
        try await terminal.type("node ls")
        try await terminal.press("Enter")
        try await terminal.waitFor("the node listing") { $0.contains("barbary") && $0.hasSuffix("homelab>") }
        try await terminal.type("inventory show --reveal op://vault/item/password")
        try await terminal.press("Enter")
        try await terminal.waitFor("the prompt after the error") { $0.hasSuffix("homelab>") && $0.contains("--reveal") }
        try await terminal.type("swarm secrets")
        try await terminal.press("Enter")
        try await Task.sleep(for: .milliseconds(500))
        try await terminal.press("Up")
        let recalled = try await terminal.waitFor("the recalled line") { $0.hasSuffix("homelab> node ls") }
        #expect(recalled.hasSuffix("homelab> node ls"), "the secret lines are not in the in-memory history either")
        try await terminal.press("C-u", "C-d")
        let text = try String(contentsOfFile: harness.historyFile, encoding: .utf8)
        #expect(text == "node ls\n", "\(text)")
        let mode = try FileManager.default.attributesOfItem(atPath: harness.historyFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("Contexts: `use rollout` shows in the prompt, lines run inside it, `..` goes back up", .enabled(if: usable))
    func contextPrompt() async throws {
        let harness = try await REPLHarness.start()
        let terminal = try await harness.terminal()
        defer { Task { await terminal.close(); await harness.stop() } }
        try await terminal.type("use rollout")
        try await terminal.press("Enter")
        try await terminal.waitFor("the rollout prompt") { $0.hasSuffix("homelab rollout>") }
        try await terminal.type("ls")
        try await terminal.press("Enter")
        let listing = try await terminal.waitFor("the listing") { $0.contains("resume") && $0.hasSuffix("homelab rollout>") }
        #expect(listing.contains("plan") && listing.contains("show"))
        try await terminal.type("use nowhere")
        try await terminal.press("Enter")
        // The refusal is printed before the prompt is drawn again: wait for a prompt after it, whichever it is.
        let refused = try await terminal.waitFor("the refusal and a prompt") {
            $0.contains("no command group 'nowhere'") && ($0.hasSuffix("homelab rollout>") || $0.hasSuffix("homelab>"))
        }
        #expect(refused.hasSuffix("homelab rollout>"), "a refused `use` keeps the context")
        try await terminal.type("..")
        try await terminal.press("Enter")
        try await terminal.waitFor("the root prompt") { $0.hasSuffix("homelab>") }
        try await terminal.type("cd node")
        try await terminal.press("Enter")
        try await terminal.type("ls")
        try await terminal.press("Enter")
        // Inside `node`, `ls` is the group's own command: the swarm's nodes, over the session's connection.
        let nodes = try await terminal.waitFor("the nodes") { $0.contains("barbary") && $0.hasSuffix("homelab node>") }
        #expect(nodes.contains("managers:"))
    }

    @Test("Ctrl-C cancels a long command and the prompt comes back; the session still works", .enabled(if: usable))
    func interruptLongCommand() async throws {
        let harness = try await REPLHarness.start()
        let terminal = try await harness.terminal()
        defer { Task { await terminal.close(); await harness.stop() } }
        try await terminal.type("node ls")
        try await terminal.press("Enter")
        try await terminal.waitFor("the first listing") { $0.contains("barbary") && $0.hasSuffix("homelab>") }
        harness.simulation.faults.set(FaultPlan(latency: .seconds(120)), for: .docker)
        try await terminal.type("node ls")
        try await terminal.press("Enter")
        try await Task.sleep(for: .seconds(1))
        let started = ContinuousClock.now
        try await terminal.press("C-c")
        let screen = try await terminal.waitFor("the cancelled command", timeout: .seconds(10)) {
            $0.contains("cancelled") && $0.hasSuffix("homelab>")
        }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await terminal.isRunning(), "\(screen)")
        harness.simulation.faults.clear()
        try await terminal.type("clear-screen-marker")
        try await terminal.press("C-u")
        try await terminal.type("node activate lorcha")
        try await terminal.press("Enter")
        try await terminal.waitFor("the next command") { $0.contains("lorcha: active") && $0.hasSuffix("homelab>") }
    }
}
