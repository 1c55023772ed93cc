import ArgumentParser
import Foundation
import HomelabCore

extension SwarmCommand {
    struct Services: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "services",
            abstract: "List services: name, mode, replicas running/desired, image, update state, tier (from the inventory).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let tiers = SwarmCommand.tiers(context.homelab)
                let services = try await context.swarm.services.summaries(status: true, logger: context.logger)
                let rows = services.map { SwarmServiceRow($0, tiers: tiers) }.sorted { $0.name < $1.name }
                try output.list(rows, table: SwarmServiceRow.table, id: \.name)
            }
        }
    }

    struct Tasks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ps", abstract: "List a service's tasks: slot, image, node, desired and current state, error.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The service: stack_service, stack/service, its inventory name, or an ID.", completion: LiveNames.services)
        var service: String
        @Flag(name: .long, help: "Only tasks the orchestrator still wants running (hide shut-down history).")
        var running = false

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let found = try await SwarmCommand.service(service, context: context)
                let name = found.spec?.name ?? service
                var filters = Swarm.Filters.service(found.id ?? name)
                if running { filters = filters.merging(.desiredState(.running)) }
                async let tasks = context.swarm.tasks.list(filters: filters, logger: context.logger)
                async let nodes = context.swarm.nodes.list(logger: context.logger)
                let names = Dictionary(
                    try await nodes.compactMap { node in node.id.map { ($0, node.nodeName) } }, uniquingKeysWith: { first, _ in first })
                // By slot (or node, in global mode), the newest task of each first, as docker service ps.
                let rows = try await tasks.map { SwarmTaskRow($0, service: name, nodes: names) }.sorted { a, b in
                    if a.name != b.name { return (a.slot ?? 0, a.name) < (b.slot ?? 0, b.name) }
                    return (a.state_since ?? .distantPast) > (b.state_since ?? .distantPast)
                }
                try output.list(rows, table: SwarmTaskRow.table, id: \.id)
            }
        }
    }
}
