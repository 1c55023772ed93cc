import Foundation
import Logging

/// What caddy-docker-proxy would generate: every labelled Swarm service's `caddy*` labels turned into one
/// Caddyfile, merged and ordered as it does (`generator/generator.go`), with `{{upstreams}}` expanded from the
/// service's running tasks' addresses on the ingress networks (or its name, with `proxyServiceTasks` off).
///
/// Not reproduced: Docker configs labelled `caddy` and a base Caddyfile (merge them with ``Caddyfile/merge(_:)``),
/// standalone containers, and the "process Caddyfile" pass that drops blocks Caddy cannot adapt.
public struct CaddyDockerProxy: Sendable {
    /// The label prefix (`--label-prefix`; `caddy` by default).
    public var labelPrefix: String
    /// The ingress networks by name (`CADDY_INGRESS_NETWORKS`); `nil`: the networks of the services that run the
    /// caddy-docker-proxy image, as it detects its own container's networks.
    public var ingressNetworks: [String]?
    /// Whether `{{upstreams}}` lists task addresses (the default) or the service name (its VIP).
    public var proxyServiceTasks: Bool

    /// A generator with caddy-docker-proxy's defaults.
    public init(labelPrefix: String = "caddy", ingressNetworks: [String]? = nil, proxyServiceTasks: Bool = true) {
        self.labelPrefix = labelPrefix
        self.ingressNetworks = ingressNetworks
        self.proxyServiceTasks = proxyServiceTasks
    }

    /// A service as the generator sees it: its name, labels and the targets `{{upstreams}}` lists.
    public struct LabelledService: Sendable, Hashable {
        /// The Swarm service name (`media-core_sonarr`).
        public var name: String
        /// Its `Spec.Labels`.
        public var labels: [String: String]
        /// Task addresses on the ingress networks (no port), or the service name.
        public var targets: [String]

        /// A labelled service.
        public init(name: String, labels: [String: String], targets: [String]) {
            self.name = name
            self.labels = labels
            self.targets = targets
        }
    }

    /// Something the generator could not use, per service (it skips that service's labels, as caddy-docker-proxy
    /// logs and skips).
    public struct Problem: Sendable, Hashable, Codable {
        /// The service.
        public var service: String
        /// What is wrong.
        public var message: String
    }

    /// The generated Caddyfile, which service's labels made each site, and the problems met.
    public struct Rendering: Sendable, Hashable {
        /// The merged Caddyfile.
        public var caddyfile: Caddyfile
        /// Its text, as `Caddyfile.autosave` would hold it.
        public var text: String { caddyfile.text }
        /// Host (site address without scheme or port) -> the services whose labels name it.
        public var owners: [String: [String]]
        /// Services skipped or suspicious.
        public var problems: [Problem]
        /// The services that were read, by name.
        public var services: [String: LabelledService]
    }

    /// Renders the Caddyfile for `services`.
    public func render(_ services: [LabelledService]) -> Rendering {
        var merged = Caddyfile()
        var owners: [String: [String]] = [:]
        var problems: [Problem] = []
        for service in services.sorted(by: { $0.name < $1.name }) {
            let labels = service.labels.filter { CaddyLabels.isCaddyLabel($0.key, prefix: labelPrefix) }
            guard !labels.isEmpty else { continue }
            do {
                let own = try CaddyLabels.caddyfile(
                    from: labels, prefix: labelPrefix, data: CaddyLabels.TemplateData(serviceName: service.name, targets: service.targets))
                for block in own.blocks where !block.isGlobal && !block.isSnippet && !block.isMatcher {
                    for host in Caddy.siteHosts(block.keys) { owners[host, default: []].append(service.name) }
                }
                if service.targets.isEmpty, labels.values.contains(where: { $0.contains("upstreams") }) {
                    problems.append(Problem(service: service.name, message: "Service is not in same network as caddy (no task address to proxy to)"))
                }
                merged.merge(own)
            } catch let error as HomelabError {
                problems.append(Problem(service: service.name, message: error.message))
            } catch {
                problems.append(Problem(service: service.name, message: String(describing: error)))
            }
        }
        // Global options first, then the rest (generator.go writes them separately).
        let global = merged.blocks.filter(\.isGlobal)
        merged.blocks = global + merged.blocks.filter { !$0.isGlobal }
        return Rendering(
            caddyfile: merged, owners: owners, problems: problems,
            services: Dictionary(services.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The labelled services of a swarm from its services' summaries (name, labels and image are all it reads of a
    /// service; `Swarm.ServiceSummary(service)` makes one from a whole service) and tasks (pure;
    /// ``labelledServices(from:logger:)`` reads them live).
    public func labelledServices(services: [Swarm.ServiceSummary], tasks: [Swarm.Task]) -> [LabelledService] {
        let running = tasks.filter { $0.desiredState == .running && $0.status?.state == .running }
        let ingressIDs: Set<String>
        if let names = ingressNetworks {
            ingressIDs = Set(running.flatMap { $0.networksAttachments ?? [] }.compactMap { attachment in
                attachment.network?.spec?.name.flatMap { names.contains($0) ? attachment.network?.id : nil }
            })
        } else {
            let proxies = Set(services.filter { ($0.image ?? "").contains("caddy-docker-proxy") }.compactMap(\.id))
            ingressIDs = Set(running.filter { proxies.contains($0.serviceID ?? "") }.flatMap { $0.networksAttachments ?? [] }.compactMap(\.network?.id))
        }
        return services.compactMap { service -> LabelledService? in
            guard let name = service.name else { return nil }
            let labels = service.labels ?? [:]
            guard labels.keys.contains(where: { CaddyLabels.isCaddyLabel($0, prefix: labelPrefix) }) else { return nil }
            guard proxyServiceTasks else { return LabelledService(name: name, labels: labels, targets: [name]) }
            let override = labels["caddy_ingress_network"]
            var addresses: [String] = []
            for task in running where task.serviceID == service.id {
                for attachment in task.networksAttachments ?? [] {
                    let include = override.map { attachment.network?.spec?.name == $0 } ?? ingressIDs.contains(attachment.network?.id ?? "")
                    guard include else { continue }
                    addresses += (attachment.addresses ?? []).map { String($0.split(separator: "/").first ?? Substring($0)) }
                }
            }
            return LabelledService(name: name, labels: labels, targets: addresses.sorted())
        }
    }

    /// The labelled services of the live swarm: services, then their running tasks.
    /// - Throws: the Swarm client's ``HomelabError``s.
    public func labelledServices(from swarm: SwarmClient, logger: Logger? = nil) async throws -> [LabelledService] {
        let services = try await swarm.services.summaries(status: false, logger: logger)
        let tasks = try await swarm.tasks.list(filters: .desiredState(.running), logger: logger)
        return labelledServices(services: services, tasks: tasks)
    }

    /// The labelled services of service specs not deployed yet (a compose file's `deploy.labels`): with no tasks
    /// to ask, `{{upstreams}}` lists the service name (its VIP through Swarm DNS).
    public func labelledServices(specs: [Swarm.ServiceSpec]) -> [LabelledService] {
        specs.compactMap { spec in
            guard let name = spec.name, let labels = spec.labels,
                labels.keys.contains(where: { CaddyLabels.isCaddyLabel($0, prefix: labelPrefix) })
            else { return nil }
            return LabelledService(name: name, labels: labels, targets: [name])
        }
    }
}
