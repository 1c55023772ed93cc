import Foundation
import HomelabCore

/// Services as `controlapi` handles them: create, inspect, list, update (with the version check), rollback,
/// remove.
extension DockerWorld {
    /// `POST /services/create`: stores the service and lets the orchestrator create its tasks.
    /// - Throws: ``DockerAPIError`` 400 for an invalid spec, 409 for a name in use.
    @discardableResult
    func createService(_ spec: Swarm.ServiceSpec, alreadyRunning: Bool = false) throws -> String {
        let spec = try normalized(spec)
        let name = spec.name ?? ""
        if serviceIDsByName[name] != nil { throw DockerAPIError.nameConflict("service", name) }
        let id = ids.objectID()
        let now = timestamp()
        let service = Swarm.Service(
            id: id, version: Swarm.ObjectVersion(index: nextIndex()), createdAt: now, updatedAt: now, spec: spec,
            endpoint: endpoint(for: spec, serviceID: id))
        services[id] = ServiceRecord(service: service)
        serviceOrder.append(id)
        serviceIDsByName[name] = id
        reconcile(id, alreadyRunning: alreadyRunning)
        return id
    }

    /// `POST /services/{id}/update?version=N[&rollback=previous]`: replaces the spec (or swaps in the previous
    /// one), resets the update status, and hands the service to the update supervisor.
    /// - Throws: ``DockerAPIError`` 404 unknown service, 500 "update out of sequence" for a stale `version`,
    ///   400 invalid spec or no previous spec to roll back to, 501 renaming or changing the mode.
    func updateService(_ nameOrID: String, version: UInt64, spec newSpec: Swarm.ServiceSpec?, rollback: Bool) throws {
        let id = try serviceID(for: nameOrID)
        guard let record = services[id] else { throw DockerAPIError.notFound("service", nameOrID) }
        guard record.service.version?.index == version else { throw DockerAPIError.outOfSequence }
        if rollback {
            guard let previous = record.service.previousSpec else {
                throw DockerAPIError.badRequest("rpc error: code = FailedPrecondition desc = service \(id) does not have a previous spec")
            }
            let now = timestamp()
            mutateService(id) { record in
                record.service.previousSpec = record.service.spec
                record.service.spec = previous
                record.service.updateStatus = Swarm.UpdateStatus(
                    state: .rollbackStarted, startedAt: now, message: "manually requested rollback")
                record.restarts = [:]
            }
        } else {
            guard let newSpec else { throw DockerAPIError.badBody("a ServiceSpec is required") }
            let spec = try normalized(newSpec)
            if spec.name != record.spec.name {
                throw DockerAPIError.notImplemented("rpc error: code = Unimplemented desc = renaming services is not supported")
            }
            if !Self.sameModeKind(spec.mode, record.spec.mode) {
                throw DockerAPIError.notImplemented("rpc error: code = Unimplemented desc = service mode change is not allowed")
            }
            mutateService(id) { record in
                record.service.previousSpec = record.service.spec
                record.service.spec = spec
                record.service.updateStatus = nil
                record.restarts = [:]
            }
        }
        if let spec = services[id]?.spec {
            mutateService(id) { $0.service.endpoint = endpoint(for: spec, serviceID: id) }
        }
        reconcile(id)
        superviseUpdate(id)
    }

    /// `DELETE /services/{id}`: removes the service; its tasks go with it.
    /// - Throws: ``DockerAPIError`` 404 for an unknown service.
    func removeService(_ nameOrID: String) throws {
        let id = try serviceID(for: nameOrID)
        cancelRun(id)
        guard let record = services.removeValue(forKey: id) else { return }
        serviceOrder.removeAll { $0 == id }
        serviceIDsByName[record.name] = nil
        for taskID in record.taskIDs {
            if let task = tasks.removeValue(forKey: taskID), task.isRunnable { releaseLoad(task.nodeID) }
            notifyWaiters(taskID)
        }
    }

    /// `GET /services/{id}`: the service's JSON, with swarmkit's defaults filled in when `insertDefaults`.
    /// - Throws: ``DockerAPIError`` 404 for an unknown service.
    func inspectService(_ nameOrID: String, insertDefaults: Bool) throws -> [UInt8] {
        let id = try serviceID(for: nameOrID)
        guard let record = services[id] else { throw DockerAPIError.notFound("service", nameOrID) }
        guard insertDefaults else { return encodedService(id) }
        var service = record.service
        service.spec = service.spec.map(Self.withDefaults)
        service.previousSpec = service.previousSpec.map(Self.withDefaults)
        return DockerJSON.encode(service)
    }

    /// `GET /services?filters=&status=`: every matching service, with ServiceStatus counts when `status`.
    /// - Throws: ``DockerAPIError`` 400 for bad filters.
    func listServices(filters text: String?, status: Bool) throws -> [UInt8] {
        let filters = try DockerFilters(text, accepted: ["id", "name", "label", "mode"])
        var elements: [[UInt8]] = []
        elements.reserveCapacity(serviceOrder.count)
        for id in serviceOrder {
            guard let record = services[id] else { continue }
            guard filters.allows("id", prefixOf: id), filters.allows("name", prefixOf: record.name),
                filters.allowsLabels(record.spec.labels)
            else { continue }
            if filters.contains("mode") {
                let mode: String
                switch record.spec.mode {
                case .global: mode = "global"
                case .replicatedJob: mode = "replicated-job"
                case .globalJob: mode = "global-job"
                default: mode = "replicated"
                }
                guard filters.allows("mode", exactly: mode) else { continue }
            }
            var bytes = encodedService(id)
            if status { Self.splice(serviceStatus(id), into: &bytes) }
            elements.append(bytes)
        }
        return DockerJSON.array(elements)
    }

    /// The ServiceStatus of `GET /services?status=true`: running tasks and how many should run.
    func serviceStatus(_ id: String) -> Swarm.ServiceStatus {
        guard let record = services[id] else { return Swarm.ServiceStatus() }
        var running: UInt64 = 0
        var wanted: UInt64 = 0
        var completed: UInt64 = 0
        for taskID in record.taskIDs {
            guard let task = tasks[taskID] else { continue }
            if task.state == .running, node(task.nodeID)?.status?.state != .down { running += 1 }
            if task.state == .complete { completed += 1 }
            if task.desired == .running { wanted += 1 }
        }
        if case .replicated(let replicas) = record.spec.mode { wanted = replicas ?? 1 }
        return Swarm.ServiceStatus(runningTasks: running, desiredTasks: wanted, completedTasks: completed)
    }

    /// The cached JSON of a service (without ServiceStatus).
    func encodedService(_ id: String) -> [UInt8] {
        if let bytes = services[id]?.encoded { return bytes }
        guard let service = services[id]?.service else { return Array("null".utf8) }
        let bytes = DockerJSON.encode(service)
        services[id]?.encoded = bytes
        return bytes
    }

    /// Inserts `"ServiceStatus": {...}` before the closing brace of an encoded service.
    static func splice(_ status: Swarm.ServiceStatus, into bytes: inout [UInt8]) {
        guard bytes.last == UInt8(ascii: "}") else { return }
        bytes.removeLast()
        let text = #","ServiceStatus":{"RunningTasks":\#(status.runningTasks ?? 0),"DesiredTasks":\#(status.desiredTasks ?? 0),"CompletedTasks":\#(status.completedTasks ?? 0)}}"#
        bytes.append(contentsOf: text.utf8)
    }

    // MARK: - Spec checks

    /// The spec as the daemon stores it: checked, defaults the daemon always sets filled in, network names
    /// turned into IDs.
    /// - Throws: ``DockerAPIError`` 400 (swarmkit's InvalidArgument wording), 404 unknown network, 501 job modes.
    func normalized(_ input: Swarm.ServiceSpec) throws -> Swarm.ServiceSpec {
        var spec = input
        guard let name = spec.name, !name.isEmpty else { throw DockerAPIError.invalidArgument("meta: name must be provided") }
        let allowed = name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
        guard allowed, name.count <= 63, name.first?.isLetter == true || name.first?.isNumber == true else {
            throw DockerAPIError.invalidArgument("name must be valid as a DNS name component")
        }
        var template = spec.taskTemplate ?? Swarm.TaskSpec()
        guard var container = template.containerSpec else { throw DockerAPIError.invalidArgument("TaskSpec: missing runtime") }
        guard let image = container.image, !image.isEmpty else {
            throw DockerAPIError.invalidArgument("ContainerSpec: image reference must be provided")
        }
        container.image = image
        template.containerSpec = container
        _ = try PlacementConstraint.all(template.placement)
        template.forceUpdate = template.forceUpdate ?? 0
        template.runtime = template.runtime ?? "container"
        template.networks = try template.networks.map { try $0.map(resolveNetwork) }
        spec.networks = try spec.networks.map { try $0.map(resolveNetwork) }
        spec.taskTemplate = template
        switch spec.mode {
        case nil: spec.mode = .replicated(replicas: 1)
        case .replicated(let replicas): spec.mode = .replicated(replicas: replicas ?? 1)
        case .global: break
        case .replicatedJob, .globalJob:
            throw DockerAPIError.notImplemented("the homelab simulator does not run job-mode services yet")
        case .unknown:
            throw DockerAPIError.invalidArgument("unrecognized service mode")
        }
        spec.updateConfig = try spec.updateConfig.map { try Self.normalized($0, what: "update") }
        spec.rollbackConfig = try spec.rollbackConfig.map { try Self.normalized($0, what: "rollback") }
        spec.endpointSpec = spec.endpointSpec ?? Swarm.EndpointSpec(mode: .vip)
        if spec.endpointSpec?.mode == nil { spec.endpointSpec?.mode = .vip }
        return spec
    }

    private static func normalized(_ config: Swarm.UpdateConfig, what: String) throws -> Swarm.UpdateConfig {
        var config = config
        if case .unknown(let value) = config.failureAction ?? .pause {
            throw DockerAPIError.badRequest("unrecognized \(what) FailureAction \(value)")
        }
        if case .unknown(let value) = config.order ?? .stopFirst {
            throw DockerAPIError.badRequest("unrecognized \(what) order \(value)")
        }
        let ratio = config.maxFailureRatio ?? 0
        guard ratio >= 0, ratio <= 1 else {
            throw DockerAPIError.invalidArgument("TaskSpec: \(what)-maxfailureratio cannot be less than 0 or bigger than 1")
        }
        if (config.delay?.nanoseconds ?? 0) < 0 || (config.monitor?.nanoseconds ?? 0) < 0 {
            throw DockerAPIError.invalidArgument("TaskSpec: \(what)-delay and \(what)-monitor cannot be negative")
        }
        config.parallelism = config.parallelism ?? 0
        config.failureAction = config.failureAction ?? .pause
        config.maxFailureRatio = ratio
        config.order = config.order ?? .stopFirst
        if config.delay?.nanoseconds == 0 { config.delay = nil }
        if config.monitor?.nanoseconds == 0 { config.monitor = nil }
        return config
    }

    /// A spec with swarmkit's defaults filled in (`insertDefaults=true`).
    static func withDefaults(_ spec: Swarm.ServiceSpec) -> Swarm.ServiceSpec {
        var spec = spec
        let defaults = Swarm.UpdateConfig(
            parallelism: 1, failureAction: .pause, monitor: .seconds(5), maxFailureRatio: 0, order: .stopFirst)
        spec.updateConfig = spec.updateConfig ?? defaults
        spec.rollbackConfig = spec.rollbackConfig ?? defaults
        if spec.updateConfig?.monitor == nil { spec.updateConfig?.monitor = .seconds(5) }
        if spec.rollbackConfig?.monitor == nil { spec.rollbackConfig?.monitor = .seconds(5) }
        var template = spec.taskTemplate ?? Swarm.TaskSpec()
        var restart = template.restartPolicy ?? Swarm.RestartPolicy()
        restart.condition = restart.condition ?? .any
        restart.delay = restart.delay ?? .seconds(5)
        restart.maxAttempts = restart.maxAttempts ?? 0
        template.restartPolicy = restart
        if var container = template.containerSpec {
            container.stopGracePeriod = container.stopGracePeriod ?? .seconds(10)
            container.dnsConfig = container.dnsConfig ?? Swarm.DNSConfig()
            template.containerSpec = container
        }
        template.placement = template.placement ?? Swarm.Placement()
        template.resources = template.resources ?? Swarm.ResourceRequirements(limits: Swarm.Limit(), reservations: Swarm.ResourceObject())
        spec.taskTemplate = template
        return spec
    }

    static func sameModeKind(_ a: Swarm.ServiceMode?, _ b: Swarm.ServiceMode?) -> Bool {
        switch (a ?? .replicated(replicas: 1), b ?? .replicated(replicas: 1)) {
        case (.replicated, .replicated), (.global, .global), (.replicatedJob, .replicatedJob), (.globalJob, .globalJob):
            return true
        default:
            return false
        }
    }
}
