import Logging

/// The Swarm calls node maintenance needs; ``SwarmClient`` provides them, tests fake them.
public protocol NodeMaintenanceSwarm: Sendable {
    /// Every node of the swarm.
    /// - Throws: ``HomelabError``.
    func maintenanceNodes() async throws -> [Swarm.Node]
    /// One node by ID.
    /// - Throws: ``HomelabError`` (`.notFound` for an unknown node).
    func maintenanceNode(_ id: String) async throws -> Swarm.Node
    /// Drains, pauses or activates the node.
    /// - Throws: ``HomelabError``.
    func setAvailability(ofNode id: String, to availability: Swarm.NodeAvailability) async throws
    /// The tasks assigned to the node, whatever their state.
    /// - Throws: ``HomelabError``.
    func tasks(onNode id: String) async throws -> [Swarm.Task]
}

extension SwarmClient: NodeMaintenanceSwarm {
    /// ``Nodes/list(filters:logger:)`` without filters.
    /// - Throws: ``HomelabError``.
    public func maintenanceNodes() async throws -> [Swarm.Node] {
        try await nodes.list()
    }

    /// ``Nodes/inspect(_:logger:)``.
    /// - Throws: ``HomelabError``.
    public func maintenanceNode(_ id: String) async throws -> Swarm.Node {
        try await nodes.inspect(id)
    }

    /// ``Nodes/setAvailability(_:_:logger:)`` (read, change, submit; retried when out of sequence).
    /// - Throws: ``HomelabError``.
    public func setAvailability(ofNode id: String, to availability: Swarm.NodeAvailability) async throws {
        try await nodes.setAvailability(id, availability)
    }

    /// ``Tasks/list(filters:logger:)`` filtered by node.
    /// - Throws: ``HomelabError``.
    public func tasks(onNode id: String) async throws -> [Swarm.Task] {
        try await tasks.list(filters: .node(id))
    }
}
