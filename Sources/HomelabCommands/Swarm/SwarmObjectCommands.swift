import ArgumentParser
import Foundation
import HomelabCore

/// One secret or config in `homelab swarm secrets|configs -o json` (a row of the README's table). A secret's
/// value is never shown: the Engine API does not return it.
struct SwarmObjectRow: Encodable {
    var id: String
    var name: String
    var driver: String?
    var stack: String?
    var used_by: [String]
    var created_at: Date?
    var updated_at: Date?

    static let table = Table<SwarmObjectRow>([
        .init("ID", wide: true) { .text(String($0.id.prefix(12))) },
        .init("NAME") { .text($0.name) },
        .init("DRIVER", wide: true) { .text($0.driver ?? "") },
        .init("STACK") { .text($0.stack ?? "") },
        .init("USED BY") { .text($0.used_by.joined(separator: ",")) },
        .init("CREATED") { .time($0.created_at) },
        .init("UPDATED", wide: true) { .time($0.updated_at) },
    ])
}

/// One network in `homelab swarm networks -o json` (a row of the README's table).
struct SwarmNetworkRow: Encodable {
    var id: String
    var name: String
    var driver: String
    var scope: String
    var attachable: Bool
    var ingress: Bool
    var `internal`: Bool
    var subnets: [String]
    var stack: String?
    var created_at: Date?

    init(_ network: Swarm.Network) {
        id = network.id ?? ""
        name = network.name ?? id
        driver = network.driver ?? ""
        scope = network.scope ?? ""
        attachable = network.attachable ?? false
        ingress = network.ingress ?? false
        `internal` = network.isInternal ?? false
        subnets = (network.ipam?.config ?? []).compactMap(\.subnet)
        stack = network.labels?["com.docker.stack.namespace"]
        created_at = SwarmText.date(network.created)
    }

    static let table = Table<SwarmNetworkRow>([
        .init("ID", wide: true) { .text(String($0.id.prefix(12))) },
        .init("NAME") { .text($0.name) },
        .init("DRIVER") { .text($0.driver) },
        .init("SCOPE") { .text($0.scope) },
        .init("ATTACHABLE") { .text($0.attachable ? "yes" : "no") },
        .init("SUBNETS") { .text($0.subnets.joined(separator: ",")) },
        .init("STACK") { .text($0.stack ?? "") },
        .init("CREATED", wide: true) { .time($0.created_at) },
    ])
}

extension SwarmCommand {
    struct Secrets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "secrets",
            abstract: "List swarm secrets (names and who uses them; never a value).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let services = try await context.swarm.services.list(status: false, logger: context.logger)
                let users = Self.users(services) { $0.taskTemplate?.containerSpec?.secrets?.compactMap(\.secretName) ?? [] }
                let rows = try await context.swarm.secrets.list(logger: context.logger).map { secret in
                    SwarmObjectRow(
                        id: secret.id ?? "", name: secret.spec?.name ?? "", driver: secret.spec?.driver?.name,
                        stack: secret.spec?.labels?["com.docker.stack.namespace"], used_by: users[secret.spec?.name ?? ""] ?? [],
                        created_at: SwarmText.date(secret.createdAt), updated_at: SwarmText.date(secret.updatedAt))
                }.sorted { $0.name < $1.name }
                try output.list(rows, table: SwarmObjectRow.table, id: \.name)
            }
        }

        /// Which services name each object (by `names` of their spec), sorted.
        static func users(_ services: [Swarm.Service], names: (Swarm.ServiceSpec) -> [String]) -> [String: [String]] {
            var users: [String: [String]] = [:]
            for service in services {
                guard let spec = service.spec, let name = spec.name else { continue }
                for object in Set(names(spec)) { users[object, default: []].append(name) }
            }
            return users.mapValues { $0.sorted() }
        }
    }

    struct Configs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "configs", abstract: "List swarm configs and who uses them.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let services = try await context.swarm.services.list(status: false, logger: context.logger)
                let users = Secrets.users(services) { $0.taskTemplate?.containerSpec?.configs?.compactMap(\.configName) ?? [] }
                let rows = try await context.swarm.configs.list(logger: context.logger).map { config in
                    SwarmObjectRow(
                        id: config.id ?? "", name: config.spec?.name ?? "", driver: config.spec?.templating?.name,
                        stack: config.spec?.labels?["com.docker.stack.namespace"], used_by: users[config.spec?.name ?? ""] ?? [],
                        created_at: SwarmText.date(config.createdAt), updated_at: SwarmText.date(config.updatedAt))
                }.sorted { $0.name < $1.name }
                try output.list(rows, table: SwarmObjectRow.table, id: \.name)
            }
        }
    }

    struct Networks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "networks", abstract: "List networks (swarm scope first).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await HomelabContext.with(config) { context in
                let rows = try await context.swarm.networks.list(logger: context.logger).map(SwarmNetworkRow.init)
                    .sorted { ($0.scope == "swarm" ? 0 : 1, $0.name) < ($1.scope == "swarm" ? 0 : 1, $1.name) }
                try output.list(rows, table: SwarmNetworkRow.table, id: \.name)
            }
        }
    }
}
