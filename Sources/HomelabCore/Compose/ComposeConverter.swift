/// Converts a ``ComposeFile`` to Swarm ``ServiceSpec``s as `docker stack deploy` does (the docker CLI's
/// `cli/compose/convert`): names `<stack>_<service>`, the `com.docker.stack.namespace` label on services and
/// containers, `com.docker.stack.image` on services, networks, volumes, secrets and configs scoped to the stack
/// unless external or given a `name:`, environment and references sorted so an unchanged file converts to an
/// identical spec.
///
/// Differences: secret and config references carry names only (Docker's IDs are filled in by whoever
/// sends the spec); images are not resolved to digests.
public enum ComposeConverter {
    /// The label naming a service's, network's or volume's stack.
    public static let namespaceLabel = "com.docker.stack.namespace"
    /// The service label holding the image as the compose file wrote it.
    public static let imageLabel = "com.docker.stack.image"

    /// Converts every service of `file` for the stack `stack`.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when the stack name is not valid or makes a service
    ///   name longer than Swarm's 63 characters.
    public static func convert(_ file: ComposeFile, stack: String) throws -> ComposeStack {
        try checkStackName(stack)
        var services: [String: Swarm.ServiceSpec] = [:]
        for service in file.services {
            let name = "\(stack)_\(service.name)"
            guard name.count <= 63 else {
                throw HomelabError(
                    .invalidArgument, "service name '\(name)' is longer than 63 characters; use a shorter stack or service name",
                    component: "compose")
            }
            services[service.name] = serviceSpec(service, in: file, stack: stack)
        }
        return ComposeStack(
            name: stack, services: services, serviceOrder: file.services.map(\.name), dependencies: file.dependencies)
    }

    /// Loads compose text and converts it for `stack` in one step.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a malformed file (with located issues),
    ///   ``HomelabError/Code/invalidArgument`` for a bad stack name.
    public static func convert(
        yaml: String, stack: String, file: String = "docker-compose.yml", environment: [String: String] = [:],
        workingDirectory: String? = nil
    ) throws -> ComposeStack {
        let composeFile = try ComposeLoader.load(
            yaml: yaml, file: file, environment: environment, workingDirectory: workingDirectory)
        return try convert(composeFile, stack: stack)
    }

    private static func checkStackName(_ stack: String) throws {
        let scalars = stack.unicodeScalars
        let valid =
            !stack.isEmpty && scalars.allSatisfy { isASCIIAlphanumeric($0) || "-_.".unicodeScalars.contains($0) }
            && scalars.first.map(isASCIIAlphanumeric) == true
        guard valid else {
            throw HomelabError(
                .invalidArgument,
                "'\(stack.count > 60 ? String(stack.prefix(57)) + "..." : stack)' is not a valid stack name: "
                    + "use letters, digits, '-', '_' and '.', starting with a letter or digit",
                component: "compose")
        }
    }

    /// The spec of one service (the file supplies the top-level networks, volumes, secrets and configs).
    public static func serviceSpec(_ service: ComposeService, in file: ComposeFile, stack: String) -> Swarm.ServiceSpec {
        let scope = { (name: String) in "\(stack)_\(name)" }
        var serviceLabels = service.deploy.labels
        serviceLabels[namespaceLabel] = stack
        serviceLabels[imageLabel] = service.image ?? ""
        var containerLabels = service.containerLabels
        containerLabels[namespaceLabel] = stack

        var container = Swarm.ContainerSpec(
            image: service.image, labels: containerLabels, command: service.entrypoint, args: service.command,
            hostname: service.hostname, env: environment(service.environment), dir: service.workingDirectory,
            user: service.user)
        container.tty = service.tty
        container.openStdin = service.stdinOpen
        container.readOnly = service.readOnly
        container.mounts = nonEmpty(service.volumes.map { mount($0, in: file, stack: stack) })
        container.stopSignal = service.stopSignal
        container.stopGracePeriod = service.stopGracePeriod
        container.healthCheck = service.healthcheck
        container.hosts = nonEmpty(service.extraHosts ?? [])
        if !(service.dns ?? []).isEmpty || !(service.dnsSearch ?? []).isEmpty {
            container.dnsConfig = Swarm.DNSConfig(nameservers: nonEmpty(service.dns ?? []), search: nonEmpty(service.dnsSearch ?? []))
        }
        container.secrets = nonEmpty(
            sortedStably(
                service.secrets.map { reference in
                    let (name, file) = fileObject(reference, file.secrets[reference.source], scope: scope)
                    return Swarm.SecretReference(file: file, secretName: name)
                }, by: { $0.secretName ?? "" }))
        container.configs = nonEmpty(
            sortedStably(
                service.configs.map { reference in
                    let (name, file) = fileObject(reference, file.configs[reference.source], scope: scope)
                    return Swarm.ConfigReference(file: file, configName: name)
                }, by: { $0.configName ?? "" }))
        container.useInit = service.initProcess
        container.sysctls = service.sysctls.flatMap { $0.isEmpty ? nil : $0 }
        container.capabilityAdd = nonEmpty(service.capabilityAdd ?? [])
        container.capabilityDrop = nonEmpty(service.capabilityDrop ?? [])
        container.ulimits = nonEmpty(service.ulimits ?? [])

        let deploy = service.deploy
        var task = Swarm.TaskSpec(containerSpec: container)
        if deploy.resources?.limits != nil || deploy.resources?.reservations != nil { task.resources = deploy.resources }
        task.restartPolicy = deploy.restartPolicy
        if let placement = deploy.placement,
            placement.constraints != nil || placement.preferences != nil || placement.maxReplicas != nil
        {
            task.placement = placement
        }
        task.networks = networks(service, in: file, scope: scope)
        task.logDriver = service.logging

        var endpoint: Swarm.EndpointSpec?
        if deploy.endpointMode != nil || !service.ports.isEmpty {
            endpoint = Swarm.EndpointSpec(mode: deploy.endpointMode, ports: nonEmpty(service.ports))
        }
        return Swarm.ServiceSpec(
            name: scope(service.name), labels: serviceLabels, taskTemplate: task, mode: deploy.mode,
            updateConfig: deploy.updateConfig, rollbackConfig: deploy.rollbackConfig, endpointSpec: endpoint)
    }

    /// `NAME=value` (or `NAME` alone), sorted.
    private static func environment(_ variables: [String: String?]) -> [String]? {
        let entries = variables.map { name, value in value.map { "\(name)=\($0)" } ?? name }
        return entries.isEmpty ? nil : entries.sorted()
    }

    private static func networks(
        _ service: ComposeService, in file: ComposeFile, scope: (String) -> String
    ) -> [Swarm.NetworkAttachmentConfig] {
        let attachments = service.networks.isEmpty ? ["default": ComposeService.NetworkAttachment()] : service.networks
        let configs = attachments.map { key, attachment -> Swarm.NetworkAttachmentConfig in
            let target = file.networks[key]?.name ?? scope(key)
            var aliases = attachment.aliases ?? []
            let builtIn = ["default", "bridge", "host", "none"].contains(target) || target.hasPrefix("container:")
            if !builtIn { aliases.append(service.name) }
            return Swarm.NetworkAttachmentConfig(target: target, aliases: nonEmpty(aliases), driverOpts: attachment.driverOptions)
        }
        return configs.sorted { ($0.target ?? "") < ($1.target ?? "") }
    }

    private static func fileObject(
        _ reference: ComposeService.FileReference, _ object: ComposeFileObject?, scope: (String) -> String
    ) -> (name: String, file: Swarm.FileTarget) {
        let name = object?.name ?? scope(reference.source)
        let target = Swarm.FileTarget(
            name: reference.target ?? reference.source, uid: reference.uid ?? "0", gid: reference.gid ?? "0",
            mode: reference.mode ?? 0o444)
        return (name, target)
    }

    private static func mount(_ volume: ComposeService.VolumeMount, in file: ComposeFile, stack: String) -> Swarm.Mount {
        var mount = Swarm.Mount(
            target: volume.target, source: volume.source, type: volume.type, readOnly: volume.readOnly,
            consistency: volume.consistency)
        switch volume.type {
        case .volume:
            guard let key = volume.source else { break }
            let declared = file.volumes[key] ?? ComposeVolume()
            mount.source = declared.name ?? "\(stack)_\(key)"
            var options = Swarm.VolumeOptions(noCopy: volume.noCopy, subpath: volume.subpath)
            if !declared.external {
                var labels = declared.labels ?? [:]
                labels[namespaceLabel] = stack
                options.labels = labels
                if declared.driver != nil || declared.driverOptions != nil {
                    options.driverConfig = Swarm.DriverConfig(name: declared.driver, options: declared.driverOptions)
                }
            }
            mount.volumeOptions = options == Swarm.VolumeOptions() ? nil : options
        case .bind, .npipe:
            if let propagation = volume.propagation { mount.bindOptions = Swarm.BindOptions(propagation: propagation) }
        case .tmpfs:
            if volume.tmpfsSize != nil || volume.tmpfsMode != nil {
                mount.tmpfsOptions = Swarm.TmpfsOptions(sizeBytes: volume.tmpfsSize, mode: volume.tmpfsMode)
            }
        default:
            break
        }
        return mount
    }

    private static func nonEmpty<Element>(_ items: [Element]) -> [Element]? {
        items.isEmpty ? nil : items
    }

    private static func sortedStably<Element>(_ items: [Element], by key: (Element) -> String) -> [Element] {
        items.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }
}
