import Foundation

/// The Swarm operations a rollout's create steps need: find objects by name and create them. ``SwarmClient``
/// provides them; a ``RolloutRunner`` whose swarm does not conform fails create steps with a clear message.
public protocol RolloutServiceCreator: Sendable {
    /// Whether a service with exactly this name exists.
    /// - Throws: ``HomelabError``.
    func serviceExists(named name: String) async throws -> Bool
    /// Creates a service from a spec whose secret and config references carry IDs.
    /// - Throws: ``HomelabError`` (`.conflict` when the name is taken).
    func createService(_ spec: Swarm.ServiceSpec) async throws
    /// Whether a network with exactly this name exists.
    /// - Throws: ``HomelabError``.
    func networkExists(named name: String) async throws -> Bool
    /// Creates a swarm-scoped network.
    /// - Throws: ``HomelabError``.
    func createNetwork(_ network: ServiceCreation.Network) async throws
    /// The ID of the secret with exactly this name, or `nil`.
    /// - Throws: ``HomelabError``.
    func secretID(named name: String) async throws -> String?
    /// Creates a secret and returns its ID.
    /// - Throws: ``HomelabError``.
    func createSecret(named name: String, labels: [String: String]?, content: Secret) async throws -> String
    /// The ID of the config with exactly this name, or `nil`.
    /// - Throws: ``HomelabError``.
    func configID(named name: String) async throws -> String?
    /// Creates a config and returns its ID.
    /// - Throws: ``HomelabError``.
    func createConfig(named name: String, labels: [String: String]?, content: [UInt8]) async throws -> String
}

extension SwarmClient: RolloutServiceCreator {
    /// `GET /services?filters={"name":[name]}`, keeping only an exact match (the engine's filter is a prefix match).
    /// - Throws: ``HomelabError``.
    public func serviceExists(named name: String) async throws -> Bool {
        try await services.list(filters: .name(name), status: false).contains { $0.spec?.name == name }
    }

    /// ``Services/create(_:logger:)``.
    /// - Throws: ``HomelabError``.
    public func createService(_ spec: Swarm.ServiceSpec) async throws {
        _ = try await services.create(spec)
    }

    /// `GET /networks?filters={"name":[name]}`, exact matches only.
    /// - Throws: ``HomelabError``.
    public func networkExists(named name: String) async throws -> Bool {
        try await networks.list(filters: .name(name)).contains { $0.name == name }
    }

    /// ``Networks/create(_:logger:)`` with the swarm scope.
    /// - Throws: ``HomelabError``.
    public func createNetwork(_ network: ServiceCreation.Network) async throws {
        _ = try await networks.create(
            Swarm.NetworkCreateRequest(
                name: network.name, driver: network.driver ?? "overlay", scope: "swarm", isInternal: network.isInternal,
                attachable: network.attachable, options: network.driverOptions, labels: network.labels))
    }

    /// `GET /secrets?filters={"name":[name]}`, exact matches only.
    /// - Throws: ``HomelabError``.
    public func secretID(named name: String) async throws -> String? {
        try await secrets.list(filters: .name(name)).first { $0.spec?.name == name }?.id
    }

    /// ``Secrets/create(_:logger:)``.
    /// - Throws: ``HomelabError``.
    public func createSecret(named name: String, labels: [String: String]?, content: Secret) async throws -> String {
        try await secrets.create(Swarm.SecretSpec(name: name, labels: labels, content: content))
    }

    /// `GET /configs?filters={"name":[name]}`, exact matches only.
    /// - Throws: ``HomelabError``.
    public func configID(named name: String) async throws -> String? {
        try await configs.list(filters: .name(name)).first { $0.spec?.name == name }?.id
    }

    /// ``Configs/create(_:logger:)``.
    /// - Throws: ``HomelabError``.
    public func createConfig(named name: String, labels: [String: String]?, content: [UInt8]) async throws -> String {
        try await configs.create(Swarm.ConfigSpec(name: name, labels: labels, content: content))
    }
}

extension ServiceCreation {
    /// Makes sure the service exists: each network, secret and config it needs is found by name or created (external
    /// ones must exist), then the service is created unless one of its name exists already (a resumed step).
    /// - Returns: whether the service was created now.
    /// - Throws: ``HomelabError`` `.notFound` for a missing external object, `.invalidConfiguration` for a secret or
    ///   config file that cannot be read, and what `swarm` throws.
    public func ensure(on swarm: any RolloutServiceCreator) async throws -> Bool {
        try await ensure(on: swarm, made: MadeNetworks())
    }

    /// ``ensure(on:)``, also trusting `made` for networks this process created (an engine may list a network it
    /// just created a moment later, and older engines accept a second network of the same name).
    func ensure(on swarm: any RolloutServiceCreator, made: MadeNetworks) async throws -> Bool {
        let name = spec.name ?? ""
        for network in networks {
            if made.contains(network.name) { continue }
            if try await swarm.networkExists(named: network.name) { continue }
            guard !network.external else {
                throw HomelabError(
                    .notFound, "service \(name) attaches to external network \(network.name), which does not exist; create it first",
                    component: "bootstrap")
            }
            try await swarm.createNetwork(network)
            made.insert(network.name)
        }
        var secretIDs: [String: String] = [:]
        for secret in secrets {
            if let id = try await swarm.secretID(named: secret.name) {
                secretIDs[secret.name] = id
                continue
            }
            let content = try Self.content(of: secret, kind: "secret", service: name)
            secretIDs[secret.name] = try await swarm.createSecret(
                named: secret.name, labels: secret.labels, content: Secret(String(decoding: content, as: UTF8.self)))
        }
        var configIDs: [String: String] = [:]
        for config in configs {
            if let id = try await swarm.configID(named: config.name) {
                configIDs[config.name] = id
                continue
            }
            let content = try Self.content(of: config, kind: "config", service: name)
            configIDs[config.name] = try await swarm.createConfig(named: config.name, labels: config.labels, content: content)
        }
        if try await swarm.serviceExists(named: name) { return false }
        try await swarm.createService(try spec.resolvingReferences(secretIDs: secretIDs, configIDs: configIDs))
        return true
    }

    /// The content of a secret or config to create, from its file.
    private static func content(of object: FileObject, kind: String, service: String) throws(HomelabError) -> [UInt8] {
        guard !object.external else {
            throw HomelabError(
                .notFound, "service \(service) uses external \(kind) \(object.name), which does not exist; create it first",
                component: "bootstrap")
        }
        guard let path = object.file else {
            throw HomelabError(
                .invalidConfiguration, "\(kind) \(object.name) of service \(service) has no file to create it from",
                component: "bootstrap")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HomelabError(
                .invalidConfiguration, "cannot read the file of \(kind) \(object.name) (\(Redaction.redactText(path)))",
                component: "bootstrap")
        }
        return [UInt8](data)
    }
}

/// The networks one runner created, by name.
final class MadeNetworks: Sendable {
    private let names = Locked<Set<String>>([])

    func contains(_ name: String) -> Bool { names.withLock { $0.contains(name) } }
    func insert(_ name: String) { _ = names.withLock { $0.insert(name) } }
}
