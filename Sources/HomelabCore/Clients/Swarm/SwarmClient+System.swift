import Logging

extension SwarmClient {
    /// Engine-wide calls: ping, version, info, and this engine's swarm role.
    public struct System: Sendable {
        let client: SwarmClient

        /// Pings the engine (`HEAD /_ping`, falling back to `GET`) and reads its headers. Not versioned.
        /// - Throws: ``HomelabError`` when the engine cannot be reached or answers with an error.
        public func ping(logger: Logger? = nil) async throws -> Swarm.Ping {
            let ping = try await client.rawPing(logger: logger)
            if let current = await client.negotiation.current {
                await client.negotiation.remember(EngineVersionNegotiator.Outcome(version: current.version, ping: ping))
            }
            return ping
        }

        /// The engine's versions (`GET /version`).
        /// - Throws: ``HomelabError`` for transport, status or decoding failures.
        public func version(logger: Logger? = nil) async throws -> Swarm.SystemVersion {
            try await client.rest.get(Swarm.SystemVersion.self, "/version", logger: logger)
        }

        /// The engine's state (`GET /info`), including its swarm membership.
        /// - Throws: ``HomelabError`` for transport, status or decoding failures.
        public func info(logger: Logger? = nil) async throws -> Swarm.SystemInfo {
            try await client.rest.get(Swarm.SystemInfo.self, "/info", logger: logger)
        }

        /// This engine's swarm membership and role: from the ping's `Swarm` header, or, for engines that do
        /// not send it (before API 1.42), from `GET /info`.
        /// - Throws: ``HomelabError`` for transport, status or decoding failures.
        public func swarmRole(logger: Logger? = nil) async throws -> Swarm.SwarmPingState {
            let ping = try await ping(logger: logger)
            if let swarm = ping.swarm { return swarm }
            let swarm = try await info(logger: logger).swarm
            switch swarm?.localNodeState {
            case .active?: return swarm?.controlAvailable == true ? .activeManager : .activeWorker
            case .inactive?, nil: return .inactive
            case .pending?: return .pending
            case .error?: return .error
            case .locked?: return .locked
            case .unknown(let value)?: return value.isEmpty ? .inactive : .unknown(value)
            }
        }

        /// Throws unless this engine is a swarm manager, with a message that says what it is instead.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm.
        public func requireManager(logger: Logger? = nil) async throws {
            let role = try await swarmRole(logger: logger)
            switch role {
            case .activeManager:
                return
            case .activeWorker:
                throw HomelabError(
                    .notSwarmManager,
                    "the engine at \(client.endpointDescription) is a swarm worker; swarm calls need a manager node",
                    component: "docker")
            default:
                throw HomelabError(
                    .notSwarmManager,
                    "the engine at \(client.endpointDescription) is not an active swarm manager (swarm state: \(role))",
                    component: "docker")
            }
        }
    }

    /// Engine-wide calls: ping, version, info, swarm role.
    public var system: System { System(client: self) }
}
