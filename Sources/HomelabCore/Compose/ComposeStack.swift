/// A compose file converted for one stack: the Swarm spec of every service and the start-order edges.
public struct ComposeStack: Sendable, Hashable {
    /// The stack name (`media`).
    public var name: String
    /// Each service's spec, by compose name (`sonarr`; the spec's own name is `media_sonarr`).
    public var services: [String: Swarm.ServiceSpec]
    /// The compose names in file order.
    public var serviceOrder: [String]
    /// Start-order edges between compose names, from `depends_on` and the `homelab.depends-on` label.
    public var dependencies: [ServiceDependency]

    /// A stack value.
    public init(name: String, services: [String: Swarm.ServiceSpec], serviceOrder: [String], dependencies: [ServiceDependency]) {
        self.name = name
        self.services = services
        self.serviceOrder = serviceOrder
        self.dependencies = dependencies
    }

    /// The Swarm service name of a compose service: `<stack>_<service>`.
    public func swarmName(of service: String) -> String { "\(name)_\(service)" }

    /// The compose names a service waits for.
    public func dependencies(of service: String) -> [String] {
        dependencies.filter { $0.service == service }.map(\.dependsOn)
    }
}
