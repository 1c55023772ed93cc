/// Brings a live and a desired ``ServiceSpec`` to one shape before they are compared, so that what Docker
/// fills in by itself is not reported as a change.
///
/// Filled in on both sides: replicated with no count is 1 replica; SwarmKit's update/rollback defaults
/// (parallelism 1, failure action pause, monitor 5 s, order stop-first; an omitted parallelism in a present
/// config is 0); restart policy defaults (condition any, delay 5 s); a stop grace period of 10 s;
/// `Runtime: container`, `Isolation: default`
/// and `EndpointSpec.Mode: vip` count as absent; the deprecated top-level `Networks` move into the task
/// template. Dropped when the desired spec leaves them to Docker: `ForceUpdate`, `Placement.Platforms`,
/// secret and config IDs, and the digest Docker pins on an image (`busybox:1@sha256:…` equals `busybox:1`).
/// Network IDs in the live spec are replaced by names from `networkNames` (ID → name). The
/// `com.docker.stack.image` label is left out (it repeats the image, which is compared).
enum ServiceSpecNormalisation {
    static func normalised(
        live: Swarm.ServiceSpec, desired: Swarm.ServiceSpec, networkNames: [String: String]
    ) -> (live: Swarm.ServiceSpec, desired: Swarm.ServiceSpec) {
        var live = withDefaults(live)
        var desired = withDefaults(desired)
        var liveTask = live.taskTemplate ?? Swarm.TaskSpec()
        var desiredTask = desired.taskTemplate ?? Swarm.TaskSpec()

        if desiredTask.forceUpdate == nil {
            liveTask.forceUpdate = nil
        } else {
            liveTask.forceUpdate = liveTask.forceUpdate ?? 0
        }
        if desiredTask.placement?.platforms == nil { liveTask.placement?.platforms = nil }
        liveTask.networks = liveTask.networks?.map { network in
            var network = network
            if let target = network.target, let name = networkNames[target] { network.target = name }
            return network
        }.sorted { ($0.target ?? "") < ($1.target ?? "") }

        var liveContainer = liveTask.containerSpec ?? Swarm.ContainerSpec()
        let desiredContainer = desiredTask.containerSpec ?? Swarm.ContainerSpec()
        if let image = liveContainer.image, let wanted = desiredContainer.image, !wanted.contains("@"),
            sameImageIgnoringDigest(live: image, desired: wanted)
        {
            liveContainer.image = wanted
        }
        let desiredSecretIDs = Dictionary(
            (desiredContainer.secrets ?? []).map { ($0.secretName ?? "", $0.secretID) }, uniquingKeysWith: { a, _ in a })
        liveContainer.secrets = liveContainer.secrets?.map { reference in
            var reference = reference
            if (desiredSecretIDs[reference.secretName ?? ""] ?? nil) == nil { reference.secretID = nil }
            return reference
        }
        let desiredConfigIDs = Dictionary(
            (desiredContainer.configs ?? []).map { ($0.configName ?? "", $0.configID) }, uniquingKeysWith: { a, _ in a })
        liveContainer.configs = liveContainer.configs?.map { reference in
            var reference = reference
            if (desiredConfigIDs[reference.configName ?? ""] ?? nil) == nil { reference.configID = nil }
            return reference
        }
        liveTask.containerSpec = liveContainer
        desiredTask.networks = desiredTask.networks?.sorted { ($0.target ?? "") < ($1.target ?? "") }
        live.taskTemplate = liveTask
        desired.taskTemplate = desiredTask
        return (live, desired)
    }

    /// Docker's defaults made explicit, and equivalent spellings made one.
    static func withDefaults(_ spec: Swarm.ServiceSpec) -> Swarm.ServiceSpec {
        var spec = spec
        switch spec.mode {
        case nil, .replicated(replicas: nil): spec.mode = .replicated(replicas: 1)
        default: break
        }
        // The stack's copy of the image is bookkeeping; the image itself is compared.
        spec.labels?[ComposeConverter.imageLabel] = nil
        spec.updateConfig = updateDefaults(spec.updateConfig)
        spec.rollbackConfig = updateDefaults(spec.rollbackConfig)

        var task = spec.taskTemplate ?? Swarm.TaskSpec()
        if task.networks?.isEmpty ?? true, let networks = spec.networks, !networks.isEmpty { task.networks = networks }
        spec.networks = nil
        if task.runtime == "container" { task.runtime = nil }
        var restart = task.restartPolicy ?? Swarm.RestartPolicy()
        restart.condition = restart.condition ?? .any
        restart.delay = restart.delay ?? .seconds(5)
        restart.maxAttempts = restart.maxAttempts ?? 0
        restart.window = restart.window ?? 0
        task.restartPolicy = restart
        task.networks = task.networks?.map { network in
            var network = network
            network.aliases = network.aliases?.sorted()
            return network
        }

        if var container = task.containerSpec {
            if container.isolation == "default" { container.isolation = nil }
            container.stopGracePeriod = container.stopGracePeriod ?? .seconds(10)
            container.env = container.env?.sorted()
            container.secrets = container.secrets?.sorted { ($0.secretName ?? "", $0.file?.name ?? "") < ($1.secretName ?? "", $1.file?.name ?? "") }
            container.configs = container.configs?.sorted { ($0.configName ?? "", $0.file?.name ?? "") < ($1.configName ?? "", $1.file?.name ?? "") }
            task.containerSpec = container
        }
        spec.taskTemplate = task

        var endpoint = spec.endpointSpec ?? Swarm.EndpointSpec()
        if endpoint.mode == .vip { endpoint.mode = nil }
        endpoint.ports = endpoint.ports?.map { port in
            var port = port
            port.portProtocol = port.portProtocol ?? .tcp
            port.publishMode = port.publishMode ?? .ingress
            return port
        }
        spec.endpointSpec = endpoint
        return spec
    }

    /// SwarmKit's defaults for an absent config; an omitted field of a present config as Docker reads it.
    private static func updateDefaults(_ config: Swarm.UpdateConfig?) -> Swarm.UpdateConfig {
        guard var config else {
            return Swarm.UpdateConfig(
                parallelism: 1, delay: 0, failureAction: .pause, monitor: .seconds(5), maxFailureRatio: 0, order: .stopFirst)
        }
        config.parallelism = config.parallelism ?? 0
        config.delay = config.delay ?? 0
        config.failureAction = config.failureAction ?? .pause
        if config.monitor == nil || config.monitor == 0 { config.monitor = .seconds(5) }
        config.maxFailureRatio = config.maxFailureRatio ?? 0
        config.order = config.order ?? .stopFirst
        return config
    }

    /// Whether `live` is `desired` with a digest Docker pinned (and `:latest` added to an untagged name).
    static func sameImageIgnoringDigest(live: String, desired: String) -> Bool {
        guard let at = live.firstIndex(of: "@") else { return live == desired }
        let withoutDigest = String(live[..<at])
        return withoutDigest == desired || withoutDigest == desired + ":latest"
    }
}
