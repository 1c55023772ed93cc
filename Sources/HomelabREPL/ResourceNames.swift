import Foundation
import HomelabCommands
import HomelabCore

/// The live names completion offers (services, nodes, rollout IDs, Forgejo and Woodpecker repositories), kept in memory and refreshed in the
/// background, so that a completion only reads memory and answers at once whatever the homelab's size.
final class ResourceNames: Sendable {
    /// A kind of live name.
    enum Kind: Sendable, CaseIterable {
        case services, nodes, rollouts, stacks, repositories
        /// The inventory's node names (`provision NODE`: a node not in the swarm yet).
        case inventoryNodes
        /// Hosts the live Caddy serves (`caddy routes --host`).
        case caddyHosts

        /// The kind of name `argument` of the command at `commandPath` takes, from its value name and help
        /// (`service`, `nodes`, `SERVICE=IMAGE`, `Maintain NODE`; a rollout command's `id`), or `nil`.
        static func of(_ argument: CommandTree.Argument, commandPath: [String]) -> Kind? {
            let name = (argument.valueName ?? "").lowercased()
            let help = argument.abstract ?? ""
            if commandPath.first == "komodo" || commandPath.first == "drift", name.hasPrefix("stack") || help.contains("STACK") { return .stacks }
            if name.hasPrefix("repo") || help.contains("OWNER/NAME") { return .repositories }
            if name.hasPrefix("service") || help.contains("SERVICE") { return .services }
            if commandPath.first == "provision", name.hasPrefix("node") || help.contains("NODE") { return .inventoryNodes }
            if name.hasPrefix("node") || help.contains("NODE") { return .nodes }
            if commandPath.first == "rollout", argument.kind == .positional, name == "id" || name == "run-id" {
                return .rollouts
            }
            if commandPath.first == "caddy", name == "host" { return .caddyHosts }
            return nil
        }

        /// Whether the value is `NAME=SOMETHING` (`--image SERVICE=IMAGE`, `swarm scale SERVICE=N`).
        static func assigns(_ argument: CommandTree.Argument) -> Bool {
            (argument.valueName ?? "").contains("=") || (argument.abstract ?? "").contains("SERVICE=")
        }
    }

    /// The names at one moment, each kind sorted for prefix search.
    struct Snapshot: Sendable {
        var names: [Kind: [String]] = [:]
        /// When each kind was last read.
        var refreshed: [Kind: ContinuousClock.Instant] = [:]

        /// The names of `kind` that begin with `prefix`, in order (a binary search, then a scan of the matches).
        func matching(_ kind: Kind, prefix: String) -> [String] {
            let sorted = names[kind] ?? []
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < prefix { low = middle + 1 } else { high = middle }
            }
            var found: [String] = []
            while low < sorted.count, sorted[low].hasPrefix(prefix) {
                found.append(sorted[low])
                low += 1
            }
            return found
        }
    }

    private let state = Locked(Snapshot())

    /// The names now.
    var snapshot: Snapshot { state.withLock { $0 } }

    /// Replaces the names of `kind`.
    func store(_ kind: Kind, _ names: [String]) {
        let sorted = Array(Set(names)).sorted()
        state.withLock {
            $0.names[kind] = sorted
            $0.refreshed[kind] = .now
        }
    }

    /// Reads every kind once: services and nodes through the session's swarm client, rollout IDs from the
    /// journal when the state store exists. A kind that cannot be read keeps its previous names.
    func refresh(session: HomelabSession?, environment: [String: String]) async {
        if let session {
            store(.inventoryNodes, session.connections.homelab.nodes.map(\.name))
            async let services: Void = refreshServices(session)
            async let nodes: Void = refreshNodes(session)
            async let stacks: Void = refreshStacks(session)
            async let hosts: Void = refreshCaddyHosts(session)
            async let repositories: Void = refreshRepositories(session)
            _ = await (services, nodes, stacks, hosts, repositories)
        }
        if let path = try? StateStore.defaultPath(environment: environment), FileManager.default.fileExists(atPath: path),
            let runs = try? await StateStore(path: path).rolloutJournal.runs(limit: 200)
        {
            store(.rollouts, runs.map(\.id))
        }
    }

    private func refreshServices(_ session: HomelabSession) async {
        guard let swarm = try? await session.connections.swarm(),
            let services = try? await swarm.services.summaries(status: false)
        else { return }
        store(.services, services.compactMap(\.name))
    }

    private func refreshNodes(_ session: HomelabSession) async {
        guard let swarm = try? await session.connections.swarm(), let nodes = try? await swarm.nodes.list() else { return }
        store(.nodes, nodes.map(\.nodeName))
    }

    /// Komodo's stack names, when the inventory has Komodo.
    private func refreshStacks(_ session: HomelabSession) async {
        guard session.connections.homelab.components[.komodo] != nil, let komodo = try? await session.connections.komodo(),
            let stacks = try? await komodo.stacks.list()
        else { return }
        store(.stacks, stacks.map(\.name))
    }

    private func refreshCaddyHosts(_ session: HomelabSession) async {
        guard session.connections.homelab.components[.caddy] != nil, let caddy = try? await session.connections.caddy(),
            let config = try? await caddy.config()
        else { return }
        store(.caddyHosts, Caddy.siteRoutes(in: config.value).map(\.host))
    }

    private func refreshRepositories(_ session: HomelabSession) async {
        let homelab = session.connections.homelab
        guard homelab.components[.forgejo] != nil || homelab.components[.woodpecker] != nil else { return }
        let names = await LiveNames.repositoryNames(session.connections)
        if !names.isEmpty { store(.repositories, names) }
    }

    /// Refreshes now and then every `interval` until cancelled.
    func keepFresh(session: HomelabSession?, environment: [String: String], interval: Duration) -> Task<Void, Never> {
        Task.detached(priority: .utility) {
            while !Task.isCancelled {
                await self.refresh(session: session, environment: environment)
                try? await Task.sleep(for: interval)
            }
        }
    }
}
