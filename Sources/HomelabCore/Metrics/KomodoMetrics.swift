import Logging

/// Komodo's state as metric families: each server's state and each stack's state (one-hot over Komodo's states, so
/// an alert can say `state="down"`), each resource sync's state, and Core's version.
///
/// ``families(_:)`` is a pure function of what Komodo answered; ``read(_:logger:)`` does the I/O.
public enum KomodoMetrics {
    /// What one collection read.
    public struct Reading: Sendable {
        /// `GetVersion`.
        public var version: String
        /// `ListServers`, every page.
        public var servers: [Komodo.ServerListItem]
        /// `ListStacks`, every page.
        public var stacks: [Komodo.StackListItem]
        /// `ListResourceSyncs`, every page.
        public var syncs: [Komodo.SyncListItem]

        /// A reading.
        public init(version: String, servers: [Komodo.ServerListItem], stacks: [Komodo.StackListItem], syncs: [Komodo.SyncListItem]) {
            self.version = version
            self.servers = servers
            self.stacks = stacks
            self.syncs = syncs
        }
    }

    /// Reads the version, servers, stacks and syncs concurrently.
    /// - Throws: the first failed call's error.
    public static func read(_ client: KomodoClient, logger: Logger? = nil) async throws -> Reading {
        async let version = client.version(logger: logger)
        async let servers = client.servers.list(logger: logger)
        async let stacks = client.stacks.list(logger: logger)
        async let syncs = client.syncs.list(logger: logger)
        return Reading(version: try await version, servers: try await servers, stacks: try await stacks, syncs: try await syncs)
    }

    /// The families for one reading.
    public static func families(_ reading: Reading) -> [MetricFamily] {
        var info = MetricFamily("homelab_komodo_info", help: "Komodo Core's version (always 1).")
        info.add(1, ["version": reading.version])

        var serverState = MetricFamily(
            "homelab_komodo_server_state", help: "Komodo's view of each server (one-hot: 1 for the current state: Ok, NotOk, Disabled).")
        var serverUp = MetricFamily("homelab_komodo_server_up", help: "1 when Komodo reaches the server's Periphery (state Ok), else 0.")
        let serverStates = Komodo.ServerState.knownCases.map(\.rawValue)
        for server in reading.servers.sorted(by: { $0.name < $1.name }) {
            let current = server.info.state.rawValue
            for state in serverStates + (serverStates.contains(current) ? [] : [current]) {
                serverState.add(state == current ? 1 : 0, ["server": server.name, "state": state])
            }
            serverUp.add(server.info.state == .ok ? 1 : 0, ["server": server.name])
        }

        var stackState = MetricFamily(
            "homelab_komodo_stack_state", help: "Each stack's state as Komodo reports it (one-hot: 1 for the current state).")
        var stackRunning = MetricFamily("homelab_komodo_stack_running", help: "1 when the stack's state is running, else 0.")
        var stackBehind = MetricFamily(
            "homelab_komodo_stack_behind_repo", help: "1 when the stack's deployed commit differs from its branch's latest, else 0.")
        let stackStates = Komodo.StackState.knownCases.map(\.rawValue)
        for stack in reading.stacks.sorted(by: { $0.name < $1.name }) {
            let current = stack.info.state.rawValue
            for state in stackStates + (stackStates.contains(current) ? [] : [current]) {
                stackState.add(state == current ? 1 : 0, ["stack": stack.name, "state": state])
            }
            stackRunning.add(stack.info.state == .running ? 1 : 0, ["stack": stack.name])
            if let deployed = stack.info.deployedHash, let latest = stack.info.latestHash {
                stackBehind.add(deployed == latest ? 0 : 1, ["stack": stack.name])
            }
        }

        var syncState = MetricFamily(
            "homelab_komodo_sync_state", help: "Each resource sync's state (one-hot: Ok, Pending, Syncing, Failed, Unknown).")
        let syncStates = Komodo.SyncState.knownCases.map(\.rawValue)
        for sync in reading.syncs.sorted(by: { $0.name < $1.name }) {
            let current = sync.info.state.rawValue
            for state in syncStates + (syncStates.contains(current) ? [] : [current]) {
                syncState.add(state == current ? 1 : 0, ["sync": sync.name, "state": state])
            }
        }
        return [info, serverState, serverUp, stackState, stackRunning, stackBehind, syncState]
    }
}
