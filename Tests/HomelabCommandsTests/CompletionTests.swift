import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@testable import HomelabCommands

/// `homelab completion bash|zsh|fish` and the live names the scripts ask the binary for.
@Suite("Shell completion", .serialized)
struct CompletionTests {
    @Test("the inventory of a completion is the command line's --config or --context, then the CLI's own rules")
    func configOptions() {
        let options = LiveNames.configOptions(words: ["homelab", "node", "activate", "--config", "/a.yaml", "--context=lab"])
        #expect(options.config == "/a.yaml" && options.context == "lab")
        #expect(LiveNames.configOptions(words: ["homelab", "node", "--config='/b c.yaml'"]).config == "/b c.yaml")
        let none = LiveNames.configOptions(words: ["homelab", "node"])
        #expect(none.config == nil && none.context == nil)
    }

    @Test("a lookup that fails completes nothing")
    func failedLookup() async {
        #expect(await LiveNames.matching("") { throw HomelabError(.notFound, "no inventory") } == [])
        #expect(await LiveNames.matching("ba") { ["barbary", "angre"] } == ["barbary"])
    }

    /// Writes `homelab completion SHELL` into a file and returns its path.
    static func script(_ shell: String, in folder: TemporaryFolder) async throws -> String {
        let text = try await ChildProcess.check(SimulatedHomelabProcess.homelab, ["completion", shell])
        let path = folder.file("homelab.\(shell)")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the bash script loads and registers a completion for homelab")
    func bashLoads() async throws {
        guard try SimulatedHomelabProcess.requireBinaries() else { return }
        let folder = try TemporaryFolder()
        let script = try await Self.script("bash", in: folder)
        let output = try await ChildProcess.check("/bin/bash", ["-c", "source \"$1\" && complete -p homelab", "bash", script])
        #expect(output.contains("-F _homelab homelab"), "\(output)")
    }

    @Test("the zsh script loads under compinit and defines its completion function")
    func zshLoads() async throws {
        guard try SimulatedHomelabProcess.requireBinaries(),
            try RealServer.require("zsh", available: RealServer.executable(["zsh"]) != nil, hint: "scripts/install-deps.sh test")
        else { return }
        let folder = try TemporaryFolder()
        let script = try await Self.script("zsh", in: folder)
        let output = try await ChildProcess.check(
            "zsh", ["-f", "-c", "autoload -Uz compinit && compinit -u -D && source \"$1\" && whence -w _homelab", "zsh", script],
            environment: ["HOME": folder.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        #expect(output.contains("_homelab: function"), "\(output)")
    }

    @Test("the fish script loads and completes the subcommands")
    func fishLoads() async throws {
        guard try SimulatedHomelabProcess.requireBinaries(),
            try RealServer.require("fish", available: RealServer.executable(["fish"]) != nil, hint: "scripts/install-deps.sh test")
        else { return }
        let folder = try TemporaryFolder()
        let script = try await Self.script("fish", in: folder)
        let output = try await ChildProcess.check(
            "fish", ["--no-config", "-c", "source $argv[1]; complete -C 'homelab comp'", script],
            environment: ["HOME": folder.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        #expect(output.contains("completion"), "\(output)")
    }

    @Test("Tab in bash after `homelab node activate --config SIM` offers the simulated swarm's nodes, asked of the binary")
    func bashLiveNodes() async throws {
        guard try SimulatedHomelabProcess.requireBinaries() else { return }
        let folder = try TemporaryFolder()
        let script = try await Self.script("bash", in: folder)
        try await SimulatedHomelabProcess.with { config, _ in
            let driver = """
                source "$1"
                COMP_WORDS=("$2" node activate --config "$3" "")
                COMP_CWORD=5
                COMP_LINE="${COMP_WORDS[*]}"
                COMP_POINT=${#COMP_LINE}
                _homelab
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            let output = try await ChildProcess.check(
                "/bin/bash", ["-c", driver, "bash", script, SimulatedHomelabProcess.homelab, config])
            let names = Set(output.split(separator: "\n").map(String.init))
            #expect(names.isSuperset(of: ["barbary", "ching", "angre", "lorcha", "dhow"]), "\(output)")
        }
    }

    @Test("the binary's completion callback answers with live services, nodes and rollout IDs")
    func liveNames() async throws {
        guard try SimulatedHomelabProcess.requireBinaries() else { return }
        try await SimulatedHomelabProcess.with { config, folder in
            let services = try await LiveNames.swarmServices(words: ["homelab", "--config", config])
            #expect(services.contains("monitoring_grafana"), "\(services)")
            #expect(services.count > 20)

            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = folder
            let journal = try StateStore(path: folder + "/homelab/state.sqlite").rolloutJournal
            try await journal.create(
                runID: "rollout-live1", request: Data("{}".utf8), steps: [.init(stepID: "a", position: 0, payload: Data())])
            try await journal.setStatus(runID: "rollout-live1", .completed)
            try await journal.create(
                runID: "rollout-live2", request: Data("{}".utf8), steps: [.init(stepID: "a", position: 0, payload: Data())])
            let show = try await ChildProcess.check(
                SimulatedHomelabProcess.homelab,
                ["---completion", "rollout", "show", "--", "positional@0", "3", "0", "homelab", "rollout", "show", "rollout-"],
                environment: environment)
            #expect(Set(show.split(separator: "\n").map(String.init)) == ["rollout-live1", "rollout-live2"], "\(show)")
            let resume = try await ChildProcess.check(
                SimulatedHomelabProcess.homelab,
                ["---completion", "rollout", "resume", "--", "positional@0", "3", "0", "homelab", "rollout", "resume", ""],
                environment: environment)
            #expect(resume.split(separator: "\n").map(String.init) == ["rollout-live2"], "\(resume)")
            let maintain = try await ChildProcess.check(
                SimulatedHomelabProcess.homelab,
                ["---completion", "rollout", "apply", "--", "--maintain", "5", "1", "homelab", "rollout", "apply", "--config", config,
                 "--maintain", "b"],
                environment: environment)
            #expect(maintain.split(separator: "\n").map(String.init) == ["barbary"], "\(maintain)")
            let ps = try await ChildProcess.check(
                SimulatedHomelabProcess.homelab,
                ["---completion", "swarm", "ps", "--", "positional@0", "5", "15", "homelab", "swarm", "ps", "--config", config,
                 "monitoring_graf"],
                environment: environment)
            #expect(ps.split(separator: "\n").map(String.init) == ["monitoring_grafana"], "\(ps)")
        }
    }
}
