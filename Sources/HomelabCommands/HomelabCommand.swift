import ArgumentParser
import HomelabCore

/// The root of the shared command grammar: the `homelab` CLI runs it, the REPL parses each line with it.
public struct HomelabCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "homelab",
        abstract: "Manage a self-hosted homelab on Docker Swarm.",
        version: HomelabVersion.string,
        subcommands: HomelabCommand.subcommandTypes
    )

    /// Every top-level subcommand, in help order.
    public static let subcommandTypes: [any ParsableCommand.Type] = [
        DemoCommand.self, StatusCommand.self, RolloutCommand.self, InventoryCommand.self, NodeCommand.self,
        ContextCommand.self, SwarmCommand.self, TrueNASCommand.self, ProxmoxCommand.self, ProvisionCommand.self,
        CompletionCommand.self,
        KomodoCommand.self,
        CaddyCommand.self,
        PXECommand.self,
        AuthCommand.self, SecretsCommand.self,
        ForgejoCommand.self,
        WoodpeckerCommand.self,
        LintCommand.self,
        TraceCommand.self,
        CheckCommand.self,
        DriftCommand.self,
        BootstrapCommand.self,
    ]

    public init() {}
}
