/// What a stack rollout reads from the swarm: the live specs and the IDs of the objects specs refer to.
public protocol StackLiveState: Sendable {
    /// Every service's spec as the engine stores it, by service name.
    /// - Throws: ``HomelabError``.
    func liveSpecs() async throws -> [String: Swarm.ServiceSpec]
    /// Secret name → ID.
    /// - Throws: ``HomelabError``.
    func secretIDs() async throws -> [String: String]
    /// Config name → ID.
    /// - Throws: ``HomelabError``.
    func configIDs() async throws -> [String: String]
    /// Network ID → name (to compare live attachments, which Docker stores by ID, with the file's names).
    /// - Throws: ``HomelabError``.
    func networkNames() async throws -> [String: String]
}

extension SwarmClient: StackLiveState {
    /// `GET /services` (without task counts), by name: one request for every service of the files.
    /// - Throws: ``HomelabError``.
    public func liveSpecs() async throws -> [String: Swarm.ServiceSpec] {
        var specs: [String: Swarm.ServiceSpec] = [:]
        for service in try await services.list(status: false) {
            if let spec = service.spec, let name = spec.name { specs[name] = spec }
        }
        return specs
    }

    /// `GET /secrets`, by name.
    /// - Throws: ``HomelabError``.
    public func secretIDs() async throws -> [String: String] {
        Self.byName(try await secrets.list().map { ($0.spec?.name, $0.id) })
    }

    /// `GET /configs`, by name.
    /// - Throws: ``HomelabError``.
    public func configIDs() async throws -> [String: String] {
        Self.byName(try await configs.list().map { ($0.spec?.name, $0.id) })
    }

    /// `GET /networks`, ID → name.
    /// - Throws: ``HomelabError``.
    public func networkNames() async throws -> [String: String] {
        var names: [String: String] = [:]
        for network in try await networks.list() {
            if let id = network.id, let name = network.name { names[id] = name }
        }
        return names
    }

    private static func byName(_ pairs: [(String?, String?)]) -> [String: String] {
        var result: [String: String] = [:]
        for case let (name?, id?) in pairs { result[name] = id }
        return result
    }
}

/// Compose stacks compared with the live swarm: which services a rollout would change, field by field, and the
/// specs it would submit.
///
/// A service whose converted spec equals the live one (after the normalisation of ``ServiceSpecDiff``) is left
/// alone. A service of the file that is not deployed yet is listed in ``notDeployed``: a rolling update
/// changes running services, it does not create them (`docker stack deploy` does).
public struct StackChanges: Sendable, Hashable {
    /// One service the rollout changes.
    public struct Service: Sendable, Hashable {
        /// The Swarm name, `<stack>_<service>`.
        public var name: String
        /// The stack.
        public var stack: String
        /// The field changes, live → desired (secret-like values redacted).
        public var fields: [FieldChange]
        /// The spec to submit: the converted spec with secret and config IDs filled in and the live
        /// `ForceUpdate` kept (so the update restarts tasks only because of the file's changes).
        public var desired: Swarm.ServiceSpec

        /// A value.
        public init(name: String, stack: String, fields: [FieldChange], desired: Swarm.ServiceSpec) {
            self.name = name
            self.stack = stack
            self.fields = fields
            self.desired = desired
        }
    }

    /// The services that change, in stack and file order.
    public var changed: [Service]
    /// The Swarm names of services already as the files describe them.
    public var unchanged: [String]
    /// The Swarm names of services of the files that do not exist yet.
    public var notDeployed: [String]
    /// Start-order edges between Swarm names from compose `depends_on` and the `homelab.depends-on` label
    /// (both name services of the same file; one not deployed still orders the others).
    public var dependencies: [RolloutRequest.Dependency]

    /// A value.
    public init(changed: [Service], unchanged: [String], notDeployed: [String], dependencies: [RolloutRequest.Dependency]) {
        self.changed = changed
        self.unchanged = unchanged
        self.notDeployed = notDeployed
        self.dependencies = dependencies
    }

    /// Compares `stacks` with `live`.
    /// - Throws: ``HomelabError`` `.invalidArgument` when two files define the same Swarm service, or a changed
    ///   service refers to a secret or config the swarm does not have (naming both); errors of `live`.
    public static func compare(_ stacks: [ComposeStack], with live: some StackLiveState) async throws -> StackChanges {
        var seen: Set<String> = []
        for stack in stacks {
            for service in stack.serviceOrder where !seen.insert(stack.swarmName(of: service)).inserted {
                throw HomelabError(
                    .invalidArgument, "service \(stack.swarmName(of: service)) is defined by two stack files",
                    component: "compose")
            }
        }
        let liveSpecs = try await live.liveSpecs()
        let networkNames = try await live.networkNames()
        var secretIDs: [String: String]?
        var configIDs: [String: String]?
        var result = StackChanges(changed: [], unchanged: [], notDeployed: [], dependencies: [])
        for stack in stacks {
            for service in stack.serviceOrder {
                guard var desired = stack.services[service] else { continue }
                let name = stack.swarmName(of: service)
                guard let current = liveSpecs[name] else {
                    result.notDeployed.append(name)
                    continue
                }
                let fields = ServiceSpecDiff.between(live: current, desired: desired, networkNames: networkNames)
                guard !fields.isEmpty else {
                    result.unchanged.append(name)
                    continue
                }
                if desired.taskTemplate?.containerSpec?.secrets?.isEmpty == false, secretIDs == nil {
                    secretIDs = try await live.secretIDs()
                }
                if desired.taskTemplate?.containerSpec?.configs?.isEmpty == false, configIDs == nil {
                    configIDs = try await live.configIDs()
                }
                try resolveReferences(in: &desired, service: name, secretIDs: secretIDs ?? [:], configIDs: configIDs ?? [:])
                desired.taskTemplate?.forceUpdate = current.taskTemplate?.forceUpdate
                result.changed.append(Service(name: name, stack: stack.name, fields: fields, desired: desired))
            }
            for edge in stack.dependencies {
                result.dependencies.append(
                    RolloutRequest.Dependency(
                        service: stack.swarmName(of: edge.service), dependsOn: stack.swarmName(of: edge.dependsOn)))
            }
        }
        return result
    }

    /// Fills the IDs of secret and config references from their names.
    static func resolveReferences(
        in spec: inout Swarm.ServiceSpec, service: String, secretIDs: [String: String], configIDs: [String: String]
    ) throws {
        guard var container = spec.taskTemplate?.containerSpec else { return }
        /// The ID of the `kind` (secret or config) called `name`, or the error naming both.
        func id(of kind: String, _ name: String?, in ids: [String: String]) throws -> String {
            guard let id = ids[name ?? ""] else {
                throw HomelabError(
                    .invalidArgument,
                    "service \(service) uses \(kind) '\(name ?? "")', which the swarm does not have; create it first "
                        + "(docker \(kind) create, or docker stack deploy for file \(kind)s)",
                    component: "compose")
            }
            return id
        }
        container.secrets = try container.secrets?.map { reference in
            var reference = reference
            reference.secretID = try id(of: "secret", reference.secretName, in: secretIDs)
            return reference
        }
        container.configs = try container.configs?.map { reference in
            var reference = reference
            reference.configID = try id(of: "config", reference.configName, in: configIDs)
            return reference
        }
        spec.taskTemplate?.containerSpec = container
    }
}
