import Foundation
import Logging

extension KomodoClient {
    /// Servers (Periphery agents) and their state.
    public var servers: Servers { Servers(client: self) }
    /// Stacks: listing, services, and the executes that deploy them.
    public var stacks: Stacks { Stacks(client: self) }
    /// Deployments (single containers or swarm services).
    public var deployments: Deployments { Deployments(client: self) }

    /// `client.servers`.
    public struct Servers: Sendable {
        let client: KomodoClient

        /// Every server, every page read (`ListServers`).
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Komodo.ServerListItem] {
            try await client.list("ListServers", as: Komodo.ServerListItem.self, logger: logger).collect()
        }

        /// One server, whole (`GetServer`).
        /// - Throws: ``HomelabError`` (`.notFound` for an unknown name).
        public func get(_ server: String, logger: Logger? = nil) async throws -> Komodo.Resource {
            try await client.read("GetServer", ["server": try client.name(server, "server")], as: Komodo.Resource.self, logger: logger)
        }
    }

    /// `client.stacks`.
    public struct Stacks: Sendable {
        let client: KomodoClient

        /// Every stack with its state and services, every page read (`ListStacks`).
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Komodo.StackListItem] {
            try await client.list("ListStacks", as: Komodo.StackListItem.self, logger: logger).collect()
        }

        /// One stack, whole: configuration and info (`GetStack`).
        /// - Throws: ``HomelabError`` (`.notFound` for an unknown name).
        public func get(_ stack: String, logger: Logger? = nil) async throws -> Komodo.Resource {
            try await client.read("GetStack", ["stack": try client.name(stack, "stack")], as: Komodo.Resource.self, logger: logger)
        }

        /// A stack's services with their state (`ListStackServices`).
        /// - Throws: ``HomelabError``.
        public func services(_ stack: String, logger: Logger? = nil) async throws -> [Komodo.StackService] {
            try await client.read("ListStackServices", ["stack": try client.name(stack, "stack")], as: [Komodo.StackService].self, logger: logger)
        }

        /// Starts `docker compose up` / `docker stack deploy` (`DeployStack`); returns the update at once.
        /// - Throws: ``HomelabError``.
        public func deploy(_ stack: String, services: [String] = [], logger: Logger? = nil) async throws -> Komodo.Update {
            var params: [String: JSONValue] = ["stack": try client.name(stack, "stack")]
            if !services.isEmpty { params["services"] = .array(services.map(JSONValue.string)) }
            return try await client.execute("DeployStack", params, logger: logger)
        }

        /// Deploys only when the files changed since the last deploy (`DeployStackIfChanged`).
        /// - Throws: ``HomelabError``.
        public func deployIfChanged(_ stack: String, logger: Logger? = nil) async throws -> Komodo.Update {
            try await client.execute("DeployStackIfChanged", ["stack": try client.name(stack, "stack")], logger: logger)
        }

        /// Restarts the stack's services (`RestartStack`).
        /// - Throws: ``HomelabError``.
        public func restart(_ stack: String, logger: Logger? = nil) async throws -> Komodo.Update {
            try await client.execute("RestartStack", ["stack": try client.name(stack, "stack")], logger: logger)
        }

        /// Pulls the stack's images (`PullStack`).
        /// - Throws: ``HomelabError``.
        public func pull(_ stack: String, logger: Logger? = nil) async throws -> Komodo.Update {
            try await client.execute("PullStack", ["stack": try client.name(stack, "stack")], logger: logger)
        }
    }

    /// `client.deployments`.
    public struct Deployments: Sendable {
        let client: KomodoClient

        /// Every deployment with its state, every page read (`ListDeployments`).
        /// - Throws: ``HomelabError``.
        public func list(logger: Logger? = nil) async throws -> [Komodo.DeploymentListItem] {
            try await client.list("ListDeployments", as: Komodo.DeploymentListItem.self, logger: logger).collect()
        }
    }
}
