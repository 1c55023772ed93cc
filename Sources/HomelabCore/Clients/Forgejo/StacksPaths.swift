/// Where the homelab keeps its stack files in Forgejo: one compose file per stack, `stacks/<stack>/compose.yaml`
/// in `homelab/stacks` (the simulator's forge follows it; `homelab trace` starts from it).
public enum StacksPaths {
    /// The stack repository.
    public static let repository = Forgejo.RepositoryName(owner: "homelab", name: "stacks")

    /// The folder holding one folder per stack (Komodo's `run_directory`).
    public static let directory = "stacks"

    /// The compose file of stack `name`.
    public static func composeFile(for stack: String) -> String { "\(directory)/\(stack)/compose.yaml" }
}
