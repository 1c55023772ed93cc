import Foundation
import Testing

@testable import HomelabREPL

/// Completion, the history rule and contexts, without a terminal.
@Suite("REPL completion, history rule and output setting")
struct CompletionTests {
    static let tree = try? CommandTree.homelab()

    static func names() -> ResourceNames.Snapshot {
        let names = ResourceNames()
        names.store(.services, ["media_sonarr", "media_radarr", "komodo_komodo-core", "komodo_komodo-mongo"])
        names.store(.nodes, ["barbary", "ching", "angre"])
        names.store(.rollouts, ["r-2026-1", "r-2026-2"])
        return names.snapshot
    }

    func complete(_ line: String, path: [String] = []) throws -> Completion.Answer {
        Completion(tree: try #require(Self.tree)).complete(line, path: path, names: Self.names())
    }

    @Test("The command tree is ArgumentParser's: groups and commands of the root")
    func tree() throws {
        let tree = try #require(Self.tree)
        #expect(tree.command(at: ["rollout"])?.isGroup == true)
        #expect(tree.command(at: ["rollout", "plan"])?.option(named: "--output") != nil)
        #expect(tree.command(at: ["nothing"]) == nil)
    }

    @Test(
        "Completion offers commands, options and live names",
        arguments: [
            ("rol", [], ["rollout"]),
            ("", ["rollout"], ["..", "apply", "cd", "exit", "help", "list", "ls", "plan", "quit", "resume", "set", "show", "use", "watch"]),
            ("rollout pl", [], ["plan"]),
            ("rollout plan --bud", [], ["--budget"]),
            ("rollout plan --restart media_", [], ["media_radarr", "media_sonarr"]),
            ("plan --restart komodo_komodo-c", ["rollout"], ["komodo_komodo-core"]),
            ("rollout plan --image med", [], ["media_radarr=", "media_sonarr="]),
            ("node maintain b", [], ["barbary"]),
            ("node activate ", [], ["angre", "barbary", "ching"]),
            ("rollout show r-2026-", [], ["r-2026-1", "r-2026-2"]),
            ("use ro", [], ["rollout"]),
            ("set output j", [], ["json"]),
            ("watch -n 5 node l", [], ["ls"]),
            ("he", [], ["help"]),
            ("swarm ps media_s", [], ["media_sonarr"]),
            ("ps media_s", ["swarm"], ["media_sonarr"]),
            ("swarm scale media_r", [], ["media_radarr="]),
        ] as [(String, [String], [String])])
    func completes(_ line: String, path: [String], expected: [String]) throws {
        #expect(try complete(line, path: path).candidates == expected)
    }

    @Test("After SERVICE= no blank follows; a file argument falls back to file names")
    func appendAndFiles() throws {
        #expect(try complete("rollout plan --image media_s").appendBlank == false)
        #expect(try complete("inventory show ").filesAllowed == true)
    }

    @Test(
        "Lines that name or reveal secrets never reach the history",
        arguments: [
            ("swarm secrets", false), ("inventory show --reveal x", false), ("rollout plan --image 'a=op://v/i/f'", false),
            ("set token=abc", false), ("node ls", true), ("rollout plan --restart media_sonarr", true),
        ])
    func historyRule(_ line: String, keep: Bool) {
        #expect(REPLHistory.mayKeep(line, path: []) == keep)
    }

    @Test("Inside a secrets context every line stays out of the history")
    func secretsContext() {
        #expect(REPLHistory.mayKeep("ls", path: ["swarm", "secrets"]) == false)
    }

    @Test("The history lives under XDG_STATE_HOME, else ~/.local/state")
    func historyPath() {
        #expect(REPLHistory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]).path == "/s/homelab/repl_history")
        #expect(REPLHistory(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]).path == "/h/.local/state/homelab/repl_history")
    }

    @Test("Words split with shell quoting; the word being typed is apart")
    func split() {
        #expect(Completion.split("rollout plan --stack 'a b.yml' --re").words == ["rollout", "plan", "--stack", "a b.yml"])
        #expect(Completion.split("rollout plan --stack 'a b").partial == "a b")
        #expect(Completion.split("node ").partial == "")
    }
}
