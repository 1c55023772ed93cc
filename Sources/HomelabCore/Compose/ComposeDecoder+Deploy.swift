import Yams

extension ComposeDecoder {
    enum DeployModeName: String, CaseIterable {
        case replicated, global
        case replicatedJob = "replicated-job"
        case globalJob = "global-job"
    }

    enum FailureActionName: String, CaseIterable {
        case `continue`, pause, rollback
    }

    enum OrderName: String, CaseIterable {
        case stopFirst = "stop-first"
        case startFirst = "start-first"
    }

    enum ConditionName: String, CaseIterable {
        case none, any
        case onFailure = "on-failure"
    }

    enum EndpointModeName: String, CaseIterable {
        case vip, dnsrr
    }

    func deploy(_ value: YAMLValue, dependencies: inout [Located<String>]) -> ComposeService.Deploy? {
        let keys = [
            "mode", "replicas", "labels", "update_config", "rollback_config", "resources", "restart_policy", "placement",
            "endpoint_mode",
        ]
        guard let fields = fields(value, allowed: keys) else { return nil }
        var deploy = ComposeService.Deploy()
        let mode = reader.choice(fields["mode"], DeployModeName.self)?.value ?? .replicated
        let replicas = count(fields["replicas"], what: "a replica count")
        switch mode {
        case .replicated: deploy.mode = .replicated(replicas: replicas)
        case .replicatedJob: deploy.mode = .replicatedJob(maxConcurrent: replicas, totalCompletions: replicas)
        case .global, .globalJob:
            deploy.mode = mode == .global ? .global : .globalJob
            if let replicasValue = fields["replicas"] {
                reader.report(
                    "replicas applies only to replicated and replicated-job modes; a \(mode.rawValue) service runs one task per node",
                    at: fields.keyMark("replicas"), path: replicasValue.path)
            }
        }
        deploy.labels = labels(fields["labels"], dependencies: &dependencies)
        if let update = fields["update_config"] { deploy.updateConfig = updateConfig(update, rollback: false) }
        if let rollback = fields["rollback_config"] { deploy.rollbackConfig = updateConfig(rollback, rollback: true) }
        if let resources = fields["resources"] { deploy.resources = self.resources(resources) }
        if let restart = fields["restart_policy"] { deploy.restartPolicy = restartPolicy(restart) }
        if let placement = fields["placement"] { deploy.placement = self.placement(placement) }
        deploy.endpointMode = reader.choice(fields["endpoint_mode"], EndpointModeName.self).map {
            Swarm.EndpointMode(rawValue: $0.value.rawValue)
        }
        return deploy
    }

    /// `update_config` / `rollback_config`. Parallelism defaults to 1 as `docker stack deploy` sends it
    /// (Docker would read an omitted parallelism as 0, i.e. every task at once).
    private func updateConfig(_ value: YAMLValue, rollback: Bool) -> Swarm.UpdateConfig? {
        let keys = ["parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"]
        guard let fields = fields(value, allowed: keys) else { return nil }
        var config = Swarm.UpdateConfig()
        config.parallelism = reader.int(fields["parallelism"], in: 0...Int.max, what: "a task count").map { Int64($0.value) } ?? 1
        config.delay = duration(fields["delay"])
        if let action = reader.choice(fields["failure_action"], FailureActionName.self) {
            if rollback, action.value == .rollback {
                reader.report("a rollback cannot itself roll back: use pause or continue", at: action.mark, path: action.path)
            }
            config.failureAction = Swarm.UpdateFailureAction(rawValue: action.value.rawValue)
        }
        config.monitor = duration(fields["monitor"])
        config.maxFailureRatio = number(fields["max_failure_ratio"], in: 0...1, what: "a failure ratio")
        config.order = reader.choice(fields["order"], OrderName.self).map { Swarm.UpdateOrder(rawValue: $0.value.rawValue) }
        return config
    }

    private func resources(_ value: YAMLValue) -> Swarm.ResourceRequirements? {
        guard let fields = fields(value, allowed: ["limits", "reservations"]) else { return nil }
        var resources = Swarm.ResourceRequirements()
        if let limitsValue = fields["limits"], let limits = self.fields(limitsValue, allowed: ["cpus", "memory", "pids"]) {
            resources.limits = Swarm.Limit(
                nanoCPUs: cpus(limits["cpus"]), memoryBytes: bytes(limits["memory"]),
                pids: reader.int(limits["pids"], in: 0...Int.max, what: "a process count").map { Int64($0.value) })
        }
        if let reservationsValue = fields["reservations"],
            let reservations = self.fields(reservationsValue, allowed: ["cpus", "memory", "generic_resources", "devices"])
        {
            warnIgnored(reservations, ["devices"])
            resources.reservations = Swarm.ResourceObject(
                nanoCPUs: cpus(reservations["cpus"]), memoryBytes: bytes(reservations["memory"]),
                genericResources: genericResources(reservations["generic_resources"]))
        }
        return resources
    }

    private func cpus(_ value: YAMLValue?) -> Int64? {
        guard let text = reader.string(value) else { return nil }
        guard let nano = ResourceQuantity.nanoCPUs(text.value) else {
            reader.report(
                "expected a CPU count such as 0.5 or 2 (at most 9 decimals), got '\(reader.shortened(text.value))'",
                at: text.mark, path: text.path)
            return nil
        }
        return nano
    }

    private func genericResources(_ value: YAMLValue?) -> [Swarm.GenericResource]? {
        guard let items = reader.list(value) else { return nil }
        return items.compactMap { item in
            guard let fields = fields(item, allowed: ["discrete_resource_spec"], required: ["discrete_resource_spec"]),
                let specValue = fields["discrete_resource_spec"],
                let spec = self.fields(specValue, allowed: ["kind", "value"], required: ["kind", "value"]),
                let kind = reader.string(spec["kind"]),
                let count = reader.int(spec["value"], in: 0...Int.max, what: "a resource count")
            else { return nil }
            return Swarm.GenericResource(discreteResourceSpec: Swarm.DiscreteResource(kind: kind.value, value: Int64(count.value)))
        }
    }

    private func restartPolicy(_ value: YAMLValue) -> Swarm.RestartPolicy? {
        guard let fields = fields(value, allowed: ["condition", "delay", "max_attempts", "window"]) else { return nil }
        return Swarm.RestartPolicy(
            condition: reader.choice(fields["condition"], ConditionName.self).map { Swarm.RestartCondition(rawValue: $0.value.rawValue) },
            delay: duration(fields["delay"]),
            maxAttempts: reader.int(fields["max_attempts"], in: 0...Int.max, what: "an attempt count").map { Int64($0.value) },
            window: duration(fields["window"]))
    }

    private func placement(_ value: YAMLValue) -> Swarm.Placement? {
        guard let fields = fields(value, allowed: ["constraints", "preferences", "max_replicas_per_node"]) else { return nil }
        var placement = Swarm.Placement()
        placement.constraints = reader.stringList(fields["constraints"])?.map(\.value)
        placement.preferences = reader.list(fields["preferences"])?.compactMap { item in
            guard let preference = self.fields(item, allowed: ["spread"], required: ["spread"]),
                let spread = reader.string(preference["spread"])
            else { return nil }
            return Swarm.PlacementPreference(spread: Swarm.SpreadOver(spreadDescriptor: spread.value))
        }
        placement.maxReplicas = reader.int(fields["max_replicas_per_node"], in: 0...Int.max, what: "a task count").map {
            Int64($0.value)
        }
        return placement
    }

    /// `healthcheck`: `test` as a list (`CMD`, `CMD-SHELL`, `NONE`) or a string (run by the shell);
    /// `disable: true` is `["NONE"]`.
    func healthcheck(_ value: YAMLValue) -> Swarm.HealthConfig? {
        let keys = ["test", "interval", "timeout", "start_period", "start_interval", "retries", "disable"]
        guard let fields = fields(value, allowed: keys) else { return nil }
        if reader.bool(fields["disable"])?.value == true {
            if let test = fields["test"] {
                reader.report("test and disable: true cannot be set together", at: test.mark, path: test.path)
            }
            return Swarm.HealthConfig(test: ["NONE"])
        }
        var config = Swarm.HealthConfig()
        if let test = fields["test"] {
            if case .scalar = test.node {
                config.test = reader.string(test).map { ["CMD-SHELL", $0.value] }
            } else if let items = reader.list(test) {
                let words = items.compactMap { scalarText($0)?.value }
                if let first = words.first, !["CMD", "CMD-SHELL", "NONE"].contains(first) {
                    reader.report(
                        "a test list starts with CMD, CMD-SHELL or NONE, got '\(reader.shortened(first))'",
                        at: items.first?.mark, path: items.first?.path ?? test.path)
                }
                config.test = words.isEmpty ? nil : words
            }
        }
        config.interval = duration(fields["interval"])
        config.timeout = duration(fields["timeout"])
        config.startPeriod = duration(fields["start_period"])
        config.startInterval = duration(fields["start_interval"])
        config.retries = reader.int(fields["retries"], in: 0...Int(Int32.max), what: "a retry count")?.value
        return config
    }
}
