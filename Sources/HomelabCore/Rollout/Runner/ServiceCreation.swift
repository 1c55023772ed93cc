import Foundation

/// A rollout step that creates a service which does not exist yet, as journaled: the converted compose spec and
/// the stack's networks, secrets and configs the service needs (created first when missing).
///
/// Creation is idempotent: every object is looked up by name before it is created, so a step resumed after a
/// crash finds what the interrupted run made and does not create it twice. Secret and config contents are never
/// journaled: only the file they come from, read when the step runs.
public struct ServiceCreation: Codable, Sendable, Hashable {
    /// A stack network the service attaches to.
    public struct Network: Codable, Sendable, Hashable {
        /// The Docker name (`<stack>_<key>` unless the file names it).
        public var name: String
        /// Created outside the stack: it must exist, it is never created.
        public var external: Bool
        /// The driver (`overlay` when absent, as `docker stack deploy` does).
        public var driver: String?
        /// Driver options.
        public var driverOptions: [String: String]?
        /// Labels (the stack namespace label included).
        public var labels: [String: String]?
        /// Standalone containers may attach.
        public var attachable: Bool?
        /// No outside connectivity.
        public var isInternal: Bool?

        /// A network value.
        public init(
            name: String, external: Bool = false, driver: String? = nil, driverOptions: [String: String]? = nil,
            labels: [String: String]? = nil, attachable: Bool? = nil, isInternal: Bool? = nil
        ) {
            self.name = name
            self.external = external
            self.driver = driver
            self.driverOptions = driverOptions
            self.labels = labels
            self.attachable = attachable
            self.isInternal = isInternal
        }
    }

    /// A secret or config the service refers to.
    public struct FileObject: Codable, Sendable, Hashable {
        /// The Docker name.
        public var name: String
        /// Created outside the stack: it must exist, it is never created.
        public var external: Bool
        /// The absolute path of the file holding the content (read when the step runs, never journaled).
        public var file: String?
        /// Labels (the stack namespace label included).
        public var labels: [String: String]?

        /// An object value.
        public init(name: String, external: Bool = false, file: String? = nil, labels: [String: String]? = nil) {
            self.name = name
            self.external = external
            self.file = file
            self.labels = labels
        }
    }

    /// The stack the service belongs to.
    public var stack: String
    /// The service's spec as converted (secret and config references by name; IDs are filled in when created).
    public var spec: Swarm.ServiceSpec
    /// Networks the service attaches to.
    public var networks: [Network]
    /// Secrets it refers to.
    public var secrets: [FileObject]
    /// Configs it refers to.
    public var configs: [FileObject]

    /// A creation value.
    public init(stack: String, spec: Swarm.ServiceSpec, networks: [Network] = [], secrets: [FileObject] = [], configs: [FileObject] = []) {
        self.stack = stack
        self.spec = spec
        self.networks = networks
        self.secrets = secrets
        self.configs = configs
    }

    /// The creation of compose service `service` of `stack` (converted from `file`): its spec and the networks,
    /// secrets and configs it uses, as `docker stack deploy` would make them. Relative `file:` paths of secrets
    /// and configs resolve against `directory` (the stack file's folder).
    /// - Throws: ``HomelabError/Code/notFound`` when the stack has no such service.
    public static func of(
        service: String, stack: ComposeStack, file: ComposeFile, directory: String?
    ) throws(HomelabError) -> ServiceCreation {
        guard let spec = stack.services[service] else {
            throw HomelabError(.notFound, "stack \(stack.name) has no service \(service)", component: "bootstrap")
        }
        let namespace = [ComposeConverter.namespaceLabel: stack.name]
        var networks: [Network] = []
        for attachment in spec.taskTemplate?.networks ?? [] {
            guard let target = attachment.target else { continue }
            if ["bridge", "host", "none"].contains(target) || target.hasPrefix("container:") { continue }
            let declared = file.networks.first { key, network in (network.name ?? "\(stack.name)_\(key)") == target }?.value
            var network = Network(name: target, external: declared?.external ?? false)
            if !network.external {
                network.driver = declared?.driver ?? "overlay"
                network.driverOptions = declared?.driverOptions
                network.labels = (declared?.labels ?? [:]).merging(namespace) { $1 }
                network.attachable = declared?.attachable
                network.isInternal = declared?.internal
            }
            networks.append(network)
        }
        func objects(_ names: [String], declared: [String: ComposeFileObject]) -> [FileObject] {
            names.map { name in
                let object = declared.first { key, object in (object.name ?? "\(stack.name)_\(key)") == name }?.value
                guard let object, !object.external else { return FileObject(name: name, external: true) }
                var path = object.file
                if let relative = path, !relative.hasPrefix("/"), let directory {
                    path = URL(fileURLWithPath: directory).appendingPathComponent(relative).standardizedFileURL.path
                }
                return FileObject(name: name, file: path, labels: (object.labels ?? [:]).merging(namespace) { $1 })
            }
        }
        let container = spec.taskTemplate?.containerSpec
        return ServiceCreation(
            stack: stack.name, spec: spec, networks: networks,
            secrets: objects((container?.secrets ?? []).compactMap(\.secretName), declared: file.secrets),
            configs: objects((container?.configs ?? []).compactMap(\.configName), declared: file.configs))
    }
}
