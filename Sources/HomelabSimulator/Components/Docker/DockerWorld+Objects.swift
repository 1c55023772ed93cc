import Foundation
import HomelabCore

/// Secrets, configs and networks: the objects services refer to.
extension DockerWorld {
    // MARK: - Networks

    /// The ID of the network called or identified by `text`.
    /// - Throws: ``DockerAPIError`` 404 when none matches.
    func networkID(for text: String) throws -> String {
        if let network = networks.first(where: { $0.id == text || $0.name == text }), let id = network.id { return id }
        let prefixed = networks.filter { ($0.id ?? "").hasPrefix(text) }
        guard prefixed.count == 1, !text.isEmpty, let id = prefixed[0].id else { throw DockerAPIError.notFound("network", text) }
        return id
    }

    /// A network attachment with its target turned into the network's ID, as the daemon stores it.
    func resolveNetwork(_ attachment: Swarm.NetworkAttachmentConfig) throws -> Swarm.NetworkAttachmentConfig {
        var attachment = attachment
        if let target = attachment.target { attachment.target = try networkID(for: target) }
        return attachment
    }

    /// Adds an overlay network; returns its ID.
    /// - Throws: ``DockerAPIError`` 409 when the name is taken, 400 without a name.
    @discardableResult
    func createNetwork(_ request: Swarm.NetworkCreateRequest, ingress: Bool = false) throws -> String {
        guard let name = request.name, !name.isEmpty else { throw DockerAPIError.badRequest("network name must be provided") }
        if networks.contains(where: { $0.name == name }) {
            throw DockerAPIError.conflict("network with name \(name) already exists")
        }
        let id = ids.objectID()
        let subnet = "10.0.\(networks.count).0/24"
        networks.append(
            Swarm.Network(
                name: name, id: id, created: timestamp(), scope: request.scope ?? "swarm", driver: request.driver ?? "overlay",
                enableIPv4: true, enableIPv6: request.enableIPv6 ?? false,
                ipam: Swarm.IPAM(driver: "default", config: [Swarm.IPAMConfig(subnet: subnet, gateway: "10.0.\(networks.count).1")], options: [:]),
                isInternal: request.isInternal ?? false, attachable: request.attachable ?? false, ingress: ingress,
                configFrom: Swarm.NetworkConfigFrom(network: ""), configOnly: false,
                options: request.options ?? ["com.docker.network.driver.overlay.vxlanid_list": "\(4096 + networks.count)"],
                labels: request.labels ?? [:]))
        return id
    }

    /// `GET /networks?filters=`: the matching networks.
    /// - Throws: ``DockerAPIError`` 400 for bad filters.
    func listNetworks(filters text: String?) throws -> [Swarm.Network] {
        let filters = try DockerFilters(text, accepted: ["dangling", "driver", "id", "label", "name", "scope", "type"])
        return networks.filter { network in
            filters.allows("id", prefixOf: network.id) && filters.allows("driver", exactly: network.driver)
                && filters.allows("scope", exactly: network.scope) && filters.allowsLabels(network.labels)
                && (filters["name"].isEmpty || filters["name"].contains { (network.name ?? "").contains($0) })
                && filters.allows("type", exactly: "custom")
        }
    }

    /// `GET /networks/{id}`.
    /// - Throws: ``DockerAPIError`` 404 for an unknown network.
    func network(_ text: String) throws -> Swarm.Network {
        let id = try networkID(for: text)
        guard let network = networks.first(where: { $0.id == id }) else { throw DockerAPIError.notFound("network", text) }
        return network
    }

    /// `DELETE /networks/{id}`.
    /// - Throws: ``DockerAPIError`` 404 unknown, 403 for ingress or a network services use.
    func removeNetwork(_ text: String) throws {
        let id = try networkID(for: text)
        let user = serviceOrder.first { serviceID in
            let spec = services[serviceID]?.spec
            return (spec?.taskTemplate?.networks ?? []).contains { $0.target == id } || (spec?.networks ?? []).contains { $0.target == id }
        }
        if let user, let name = services[user]?.name {
            throw DockerAPIError.forbidden("rpc error: code = FailedPrecondition desc = network \(id) is in use by service \(name)")
        }
        networks.removeAll { $0.id == id }
    }

    /// The attachments of a new task: one address on each network of the spec.
    func networkAttachments(for spec: Swarm.ServiceSpec) -> [Swarm.NetworkAttachment]? {
        let targets = (spec.taskTemplate?.networks ?? spec.networks ?? []).compactMap(\.target)
        guard !targets.isEmpty else { return nil }
        return targets.compactMap { target in
            guard let position = networks.firstIndex(where: { $0.id == target }) else { return nil }
            let network = networks[position]
            let host = 2 + ids.next(below: 250)
            return Swarm.NetworkAttachment(
                network: Swarm.TaskNetwork(
                    id: network.id, version: Swarm.ObjectVersion(index: index), createdAt: network.created, updatedAt: network.created,
                    spec: Swarm.TaskNetworkSpec(
                        name: network.name, labels: network.labels, driverConfiguration: Swarm.DriverConfig(name: network.driver),
                        ipv6Enabled: false, isInternal: network.isInternal, attachable: network.attachable,
                        ingress: network.ingress, scope: "swarm")),
                addresses: ["10.0.\(position).\(host)/24"])
        }
    }

    /// The service's realised endpoint: its spec and a virtual IP on each network.
    func endpoint(for spec: Swarm.ServiceSpec, serviceID: String) -> Swarm.ServiceEndpoint {
        let targets = (spec.taskTemplate?.networks ?? spec.networks ?? []).compactMap(\.target)
        let addresses = targets.compactMap { target -> Swarm.VirtualIP? in
            guard let position = networks.firstIndex(where: { $0.id == target }) else { return nil }
            return Swarm.VirtualIP(networkID: target, addr: "10.0.\(position).\(2 + ids.next(below: 250))/24")
        }
        return Swarm.ServiceEndpoint(spec: spec.endpointSpec, ports: spec.endpointSpec?.ports, virtualIPs: addresses.isEmpty ? nil : addresses)
    }

    // MARK: - Secrets and configs

    /// Adds a secret; returns its ID.
    /// - Throws: ``DockerAPIError`` 409 for a name in use, 400 without a name or with data that is not base64.
    @discardableResult
    func createSecret(_ spec: Swarm.SecretSpec) throws -> String {
        guard let name = spec.name, !name.isEmpty else { throw DockerAPIError.invalidArgument("meta: name must be provided") }
        if secrets.contains(where: { $0.spec?.name == name }) {
            throw DockerAPIError.conflict("rpc error: code = AlreadyExists desc = secret \(name) already exists")
        }
        if spec.driver == nil {
            guard let data = spec.data, Data(base64Encoded: data.reveal()) != nil, !data.isEmpty else {
                throw DockerAPIError.invalidArgument("secret data must be larger than 0 and less than 500KB")
            }
        }
        let id = ids.objectID()
        let now = timestamp()
        var stored = spec
        stored.data = nil
        secrets.append(Swarm.Secret(id: id, version: Swarm.ObjectVersion(index: nextIndex()), createdAt: now, updatedAt: now, spec: stored))
        return id
    }

    /// Adds a config; returns its ID.
    /// - Throws: ``DockerAPIError`` 409 for a name in use, 400 without a name or with data that is not base64.
    @discardableResult
    func createConfig(_ spec: Swarm.ConfigSpec) throws -> String {
        guard let name = spec.name, !name.isEmpty else { throw DockerAPIError.invalidArgument("meta: name must be provided") }
        if configs.contains(where: { $0.spec?.name == name }) {
            throw DockerAPIError.conflict("rpc error: code = AlreadyExists desc = config \(name) already exists")
        }
        guard let data = spec.data, Data(base64Encoded: data) != nil else {
            throw DockerAPIError.invalidArgument("config data must be larger than 0 and less than 1000KB")
        }
        let id = ids.objectID()
        let now = timestamp()
        configs.append(Swarm.Config(id: id, version: Swarm.ObjectVersion(index: nextIndex()), createdAt: now, updatedAt: now, spec: spec))
        return id
    }

    /// The position of the secret (`secrets`) or config called or identified by `text`.
    /// - Throws: ``DockerAPIError`` 404 when none matches.
    func position(of text: String, kind: String, in objects: [(id: String, name: String)]) throws -> Int {
        if let position = objects.firstIndex(where: { $0.id == text || $0.name == text }) { return position }
        let prefixed = objects.indices.filter { objects[$0].id.hasPrefix(text) }
        guard prefixed.count == 1, !text.isEmpty else { throw DockerAPIError.notFound(kind, text) }
        return prefixed[0]
    }

    func secretPosition(_ text: String) throws -> Int {
        try position(of: text, kind: "secret", in: secrets.map { ($0.id ?? "", $0.spec?.name ?? "") })
    }

    func configPosition(_ text: String) throws -> Int {
        try position(of: text, kind: "config", in: configs.map { ($0.id ?? "", $0.spec?.name ?? "") })
    }

    /// `GET /secrets` and `GET /configs` filters: `id`, `label`, `name`, `names`.
    func matches(_ filters: DockerFilters, id: String?, name: String?, labels: [String: String]?) -> Bool {
        filters.allows("id", prefixOf: id) && filters.allows("name", prefixOf: name) && filters.allows("names", exactly: name)
            && filters.allowsLabels(labels)
    }

    /// `POST /secrets/{id}/update?version=`: only the labels may change.
    /// - Throws: ``DockerAPIError`` 404 unknown, 500 stale version, 400 for any change but labels.
    func updateSecret(_ text: String, version: UInt64, spec: Swarm.SecretSpec) throws {
        let position = try secretPosition(text)
        guard secrets[position].version?.index == version else { throw DockerAPIError.outOfSequence }
        guard spec.name == secrets[position].spec?.name, spec.data == nil || spec.data?.isEmpty == true else {
            throw DockerAPIError.invalidArgument("only updates to Labels are allowed")
        }
        secrets[position].spec?.labels = spec.labels
        secrets[position].version = Swarm.ObjectVersion(index: nextIndex())
        secrets[position].updatedAt = timestamp()
    }

    /// `POST /configs/{id}/update?version=`: only the labels may change.
    /// - Throws: ``DockerAPIError`` 404 unknown, 500 stale version, 400 for any change but labels.
    func updateConfig(_ text: String, version: UInt64, spec: Swarm.ConfigSpec) throws {
        let position = try configPosition(text)
        guard configs[position].version?.index == version else { throw DockerAPIError.outOfSequence }
        guard spec.name == configs[position].spec?.name, spec.data == nil || spec.data == configs[position].spec?.data else {
            throw DockerAPIError.invalidArgument("only updates to Labels are allowed")
        }
        configs[position].spec?.labels = spec.labels
        configs[position].version = Swarm.ObjectVersion(index: nextIndex())
        configs[position].updatedAt = timestamp()
    }

    /// Removes a secret (`isSecret`) or config no service uses.
    /// - Throws: ``DockerAPIError`` 404 unknown, 400 while a service refers to it.
    func removeSecretOrConfig(_ text: String, isSecret: Bool) throws {
        let position = isSecret ? try secretPosition(text) : try configPosition(text)
        let id = isSecret ? secrets[position].id : configs[position].id
        let name = (isSecret ? secrets[position].spec?.name : configs[position].spec?.name) ?? ""
        let users = serviceOrder.compactMap { serviceID -> String? in
            guard let container = services[serviceID]?.spec.taskTemplate?.containerSpec else { return nil }
            let uses =
                isSecret
                ? (container.secrets ?? []).contains { $0.secretID == id } : (container.configs ?? []).contains { $0.configID == id }
            return uses ? services[serviceID]?.name : nil
        }
        if !users.isEmpty {
            let kind = isSecret ? "secret" : "config"
            throw DockerAPIError.invalidArgument(
                "\(kind) '\(name)' is in use by the following service\(users.count == 1 ? "" : "s"): \(users.joined(separator: ", "))")
        }
        if isSecret { secrets.remove(at: position) } else { configs.remove(at: position) }
    }
}
