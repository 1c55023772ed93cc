import ArgumentParser

/// `homelab completion bash|zsh|fish`: the shell completion script, live names included (services, nodes, rollout
/// IDs are asked of the binary itself as you press Tab; see ``LiveNames``).
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            bash:  source <(homelab completion bash)        (or save it in /etc/bash_completion.d/homelab)
            zsh:   homelab completion zsh > "${fpath[1]}/_homelab"
            fish:  homelab completion fish > ~/.config/fish/completions/homelab.fish
            Names of live services, nodes and rollouts come from the homelab of --config (else $HOMELAB_CONFIG, else
            ./homelab.yaml) on the command line being completed.
            """)

    @Argument(help: "bash, zsh or fish.", completion: .list(CompletionShell.allCases.map(\.rawValue)))
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("no completion for shell \(shell): choose bash, zsh or fish")
        }
    }

    func run() throws {
        guard let shell = CompletionShell(rawValue: shell) else { return }
        print(HomelabCommand.completionScript(for: shell))
    }
}
