// Hand-written tape readers for what `GET /services` returns by the hundred (see ``TapeDecodable``). Each one mirrors
// its model's `Codable` initialiser field by field: the same keys, `null` as absent, the same errors; fields of
// rarer types go through their own `init(from:)`. `TapeDecoderTests` compares every one with `JSONDecoder`, so a
// field added to a model and forgotten here fails there (the fixtures set every field the engine sends).

extension Swarm.Service: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "ID": id = try field.optionalString()
            case "Version": version = try field.optional(Swarm.ObjectVersion.self)
            case "CreatedAt": createdAt = try field.optionalString()
            case "UpdatedAt": updatedAt = try field.optionalString()
            case "Spec": try field.read(into: &spec)
            case "PreviousSpec": try field.read(into: &previousSpec)
            case "Endpoint": try field.read(into: &endpoint)
            case "UpdateStatus": try field.read(into: &updateStatus)
            case "ServiceStatus": try field.read(into: &serviceStatus)
            case "JobStatus": try field.read(into: &jobStatus)
            default: break
            }
        }
    }
}

extension Swarm.ObjectVersion: TapeDecodable {
    init(tape: TapeView, at index: Int) throws {
        self.init(index: 0)
        for (key, value) in try tape.fields(of: index) {
            if case "Index" = key { self.index = try TapeValue(tape: tape, index: value).optionalUInt64() ?? 0 }
        }
    }
}

extension Swarm.ServiceEndpoint: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Spec": try field.read(into: &spec)
            case "Ports": ports = try field.optional([Swarm.EndpointPortConfig].self)
            case "VirtualIPs": virtualIPs = try field.optional([Swarm.VirtualIP].self)
            default: break
            }
        }
    }
}

extension Swarm.VirtualIP: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "NetworkID": networkID = try field.optionalString()
            case "Addr": addr = try field.optionalString()
            default: break
            }
        }
    }
}

extension Swarm.UpdateStatus: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "State": state = try field.optional(Swarm.UpdateState.self)
            case "StartedAt": startedAt = try field.optionalString()
            case "CompletedAt": completedAt = try field.optionalString()
            case "Message": message = try field.optionalString()
            default: break
            }
        }
    }
}

extension Swarm.ServiceStatus: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "RunningTasks": runningTasks = try field.optionalUInt64()
            case "DesiredTasks": desiredTasks = try field.optionalUInt64()
            case "CompletedTasks": completedTasks = try field.optionalUInt64()
            default: break
            }
        }
    }
}

extension Swarm.JobStatus: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "JobIteration": jobIteration = try field.optional(Swarm.ObjectVersion.self)
            case "LastExecution": lastExecution = try field.optionalString()
            default: break
            }
        }
    }
}

extension Swarm.ServiceSpec: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Name": name = try field.optionalString()
            case "Labels": labels = try field.optionalStringMap()
            case "TaskTemplate": try field.read(into: &taskTemplate)
            case "Mode": mode = try field.optional(Swarm.ServiceMode.self)
            case "UpdateConfig": try field.read(into: &updateConfig)
            case "RollbackConfig": try field.read(into: &rollbackConfig)
            case "Networks": networks = try field.optional([Swarm.NetworkAttachmentConfig].self)
            case "EndpointSpec": try field.read(into: &endpointSpec)
            default: break
            }
        }
    }
}

extension Swarm.ServiceMode: TapeDecodable {
    /// As `init(from:)`: the first of Replicated, Global, ReplicatedJob, GlobalJob that is present and not `null`;
    /// an object with none of them is kept whole as `.unknown`.
    init(tape: TapeView, at index: Int) throws {
        var replicated: Int?
        var global: Int?
        var replicatedJob: Int?
        var globalJob: Int?
        for (key, value) in try tape.fields(of: index) {
            // The fields come once each (a repeated key at its first occurrence); null counts as absent.
            let present = tape.entries[value].kind == .null ? nil : value
            switch key {
            case "Replicated": replicated = present
            case "Global": global = present
            case "ReplicatedJob": replicatedJob = present
            case "GlobalJob": globalJob = present
            default: break
            }
        }
        if let replicated {
            var replicas: UInt64?
            for (key, value) in try tape.fields(of: replicated) {
                if case "Replicas" = key { replicas = try TapeValue(tape: tape, index: value).optionalUInt64() }
            }
            self = .replicated(replicas: replicas)
        } else if global != nil {
            self = .global
        } else if let replicatedJob {
            let job = try tape.decoder(at: replicatedJob).decodeValue(Swarm.ReplicatedJobMode.self)
            self = .replicatedJob(maxConcurrent: job.maxConcurrent, totalCompletions: job.totalCompletions)
        } else if globalJob != nil {
            self = .globalJob
        } else {
            self = .unknown(try tape.decoder(at: index).decodeValue([String: JSONValue].self))
        }
    }
}

extension Swarm.UpdateConfig: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Parallelism": parallelism = try field.optionalInt64()
            case "Delay": delay = try field.optional(Swarm.Nanoseconds.self)
            case "FailureAction": failureAction = try field.optional(Swarm.UpdateFailureAction.self)
            case "Monitor": monitor = try field.optional(Swarm.Nanoseconds.self)
            case "MaxFailureRatio": maxFailureRatio = try field.optionalDouble()
            case "Order": order = try field.optional(Swarm.UpdateOrder.self)
            default: break
            }
        }
    }
}

extension Swarm.EndpointSpec: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Mode": mode = try field.optional(Swarm.EndpointMode.self)
            case "Ports": ports = try field.optional([Swarm.EndpointPortConfig].self)
            default: break
            }
        }
    }
}

extension Swarm.EndpointPortConfig: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Name": name = try field.optionalString()
            case "Protocol": portProtocol = try field.optional(Swarm.PortProtocol.self)
            case "TargetPort": targetPort = try field.optionalInt()
            case "PublishedPort": publishedPort = try field.optionalInt()
            case "PublishMode": publishMode = try field.optional(Swarm.PublishMode.self)
            default: break
            }
        }
    }
}

extension Swarm.NetworkAttachmentConfig: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Target": target = try field.optionalString()
            case "Aliases": aliases = try field.optionalStrings()
            case "DriverOpts": driverOpts = try field.optionalStringMap()
            default: break
            }
        }
    }
}

extension Swarm.TaskSpec: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "PluginSpec": pluginSpec = try field.optional(Swarm.PluginSpec.self)
            case "ContainerSpec": try field.read(into: &containerSpec)
            case "NetworkAttachmentSpec": networkAttachmentSpec = try field.optional(Swarm.NetworkAttachmentSpec.self)
            case "Resources": try field.read(into: &resources)
            case "RestartPolicy": try field.read(into: &restartPolicy)
            case "Placement": try field.read(into: &placement)
            case "ForceUpdate": forceUpdate = try field.optionalUInt64()
            case "Runtime": runtime = try field.optionalString()
            case "Networks": networks = try field.optional([Swarm.NetworkAttachmentConfig].self)
            case "LogDriver": try field.read(into: &logDriver)
            default: break
            }
        }
    }
}

extension Swarm.ResourceRequirements: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Limits": try field.read(into: &limits)
            case "Reservations": try field.read(into: &reservations)
            case "SwapBytes": swapBytes = try field.optionalInt64()
            case "MemorySwappiness": memorySwappiness = try field.optionalInt64()
            default: break
            }
        }
    }
}

extension Swarm.Limit: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "NanoCPUs": nanoCPUs = try field.optionalInt64()
            case "MemoryBytes": memoryBytes = try field.optionalInt64()
            case "Pids": pids = try field.optionalInt64()
            default: break
            }
        }
    }
}

extension Swarm.ResourceObject: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "NanoCPUs": nanoCPUs = try field.optionalInt64()
            case "MemoryBytes": memoryBytes = try field.optionalInt64()
            case "GenericResources": genericResources = try field.optional([Swarm.GenericResource].self)
            default: break
            }
        }
    }
}

extension Swarm.RestartPolicy: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Condition": condition = try field.optional(Swarm.RestartCondition.self)
            case "Delay": delay = try field.optional(Swarm.Nanoseconds.self)
            case "MaxAttempts": maxAttempts = try field.optionalInt64()
            case "Window": window = try field.optional(Swarm.Nanoseconds.self)
            default: break
            }
        }
    }
}

extension Swarm.Placement: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Constraints": constraints = try field.optionalStrings()
            case "Preferences": preferences = try field.optional([Swarm.PlacementPreference].self)
            case "MaxReplicas": maxReplicas = try field.optionalInt64()
            case "Platforms": platforms = try field.optional([Swarm.Platform].self)
            default: break
            }
        }
    }
}

extension Swarm.Platform: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Architecture": architecture = try field.optionalString()
            case "OS": os = try field.optionalString()
            default: break
            }
        }
    }
}

extension Swarm.DriverConfig: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Name": name = try field.optionalString()
            case "Options": options = try field.optionalStringMap()
            default: break
            }
        }
    }
}

extension Swarm.DNSConfig: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Nameservers": nameservers = try field.optionalStrings()
            case "Search": search = try field.optionalStrings()
            case "Options": options = try field.optionalStrings()
            default: break
            }
        }
    }
}

extension Swarm.ContainerSpec: TapeReadable {
    static var blank: Self { Self() }

    mutating func read(tape: TapeView, at index: Int) throws {
        var swaggerHealthCheck: Int?
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Image": image = try field.optionalString()
            case "Labels": labels = try field.optionalStringMap()
            case "Command": command = try field.optionalStrings()
            case "Args": args = try field.optionalStrings()
            case "Hostname": hostname = try field.optionalString()
            case "Env": env = try field.optionalStrings()
            case "Dir": dir = try field.optionalString()
            case "User": user = try field.optionalString()
            case "Groups": groups = try field.optionalStrings()
            case "Privileges": privileges = try field.optional(Swarm.ContainerPrivileges.self)
            case "TTY": tty = try field.optionalBool()
            case "OpenStdin": openStdin = try field.optionalBool()
            case "ReadOnly": readOnly = try field.optionalBool()
            case "Mounts": mounts = try field.optional([Swarm.Mount].self)
            case "StopSignal": stopSignal = try field.optionalString()
            case "StopGracePeriod": stopGracePeriod = try field.optional(Swarm.Nanoseconds.self)
            case "Healthcheck": healthCheck = try field.optional(Swarm.HealthConfig.self)
            case "HealthCheck": swaggerHealthCheck = value
            case "Hosts": hosts = try field.optionalStrings()
            case "DNSConfig": try field.read(into: &dnsConfig)
            case "Secrets": secrets = try field.optional([Swarm.SecretReference].self)
            case "OomScoreAdj": oomScoreAdj = try field.optionalInt64()
            case "Configs": configs = try field.optional([Swarm.ConfigReference].self)
            case "Isolation": isolation = try field.optionalString()
            case "Init": useInit = try field.optionalBool()
            case "Sysctls": sysctls = try field.optionalStringMap()
            case "CapabilityAdd": capabilityAdd = try field.optionalStrings()
            case "CapabilityDrop": capabilityDrop = try field.optionalStrings()
            case "Ulimits": ulimits = try field.optional([Swarm.Ulimit].self)
            default: break
            }
        }
        // As init(from:): the engine's `Healthcheck` first, the swagger's `HealthCheck` only when that is absent.
        if healthCheck == nil, let swaggerHealthCheck {
            healthCheck = try TapeValue(tape: tape, index: swaggerHealthCheck).optional(Swarm.HealthConfig.self)
        }
    }
}

extension Swarm.ServiceSummary: TapeReadable {
    static var blank: Self { Self() }

    /// As `init(from:)`: the summary's fields at their places in the service object; each level that is `null` is
    /// absent, one that is not an object fails as the full model's container would, and nothing else is read.
    mutating func read(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "ID": id = try field.optionalString()
            case "Version": version = try field.optional(Swarm.ObjectVersion.self)
            case "CreatedAt": createdAt = try field.optionalString()
            case "UpdatedAt": updatedAt = try field.optionalString()
            case "Spec": if !field.isNull { try readSpec(tape: tape, at: value) }
            case "Endpoint":
                if field.isNull { continue }
                for (key, value) in try tape.fields(of: value) {
                    if case "Ports" = key { ports = try TapeValue(tape: tape, index: value).optional([Swarm.EndpointPortConfig].self) }
                }
            case "UpdateStatus": try field.read(into: &updateStatus)
            case "ServiceStatus": try field.read(into: &serviceStatus)
            case "JobStatus": try field.read(into: &jobStatus)
            default: break
            }
        }
    }

    private mutating func readSpec(tape: TapeView, at index: Int) throws {
        for (key, value) in try tape.fields(of: index) {
            let field = TapeValue(tape: tape, index: value)
            switch key {
            case "Name": name = try field.optionalString()
            case "Labels": labels = try field.optionalStringMap()
            case "Mode": mode = try field.optional(Swarm.ServiceMode.self)
            case "TaskTemplate":
                if field.isNull { continue }
                for (key, value) in try tape.fields(of: value) {
                    guard case "ContainerSpec" = key, !TapeValue(tape: tape, index: value).isNull else { continue }
                    for (key, value) in try tape.fields(of: value) {
                        if case "Image" = key { image = try TapeValue(tape: tape, index: value).optionalString() }
                    }
                }
            default: break
            }
        }
    }
}
