import Yams

extension ComposeDecoder {
    /// Service keys converted to the Swarm spec.
    static let serviceKeys = [
        "image", "command", "entrypoint", "environment", "env_file", "labels", "deploy", "networks", "secrets", "configs",
        "healthcheck", "volumes", "ports", "depends_on", "hostname", "user", "working_dir", "stop_grace_period",
        "stop_signal", "tty", "stdin_open", "read_only", "init", "extra_hosts", "dns", "dns_search", "cap_add",
        "cap_drop", "sysctls", "ulimits", "logging", "restart",
    ]

    /// Valid compose service keys that `docker stack deploy` ignores; reading them gives a warning.
    static let ignoredServiceKeys = [
        "build", "cgroup_parent", "container_name", "devices", "domainname", "dns_opt", "expose", "external_links",
        "ipc", "links", "mac_address", "network_mode", "pid", "platform", "privileged", "profiles", "pull_policy",
        "security_opt", "shm_size", "tmpfs", "userns_mode", "cpus", "cpu_shares", "cpu_quota", "cpuset", "mem_limit",
        "mem_reservation", "memswap_limit", "oom_kill_disable", "scale", "group_add", "storage_opt", "stop_timeout",
        "credential_spec", "isolation",
    ]

    /// The label naming extra start-order dependencies (comma-separated service names).
    static let dependsOnLabel = "homelab.depends-on"

    func service(_ value: YAMLValue, name: String, keyMark: Mark?) -> DraftComposeService? {
        guard let fields = fields(value, allowed: Self.serviceKeys + Self.ignoredServiceKeys, required: ["image"]) else {
            return nil
        }
        warnIgnored(fields, Self.ignoredServiceKeys)
        if let envFile = fields["env_file"] {
            reader.report(
                "env_file is not supported: list the variables under 'environment' (values may use ${VARIABLE})",
                at: fields.keyMark("env_file"), path: envFile.path)
        }
        var service = ComposeService(name: name)
        var draft = DraftComposeService(service: service, keyMark: keyMark, path: value.path)
        service.image = InventoryDecoder(reader: reader).imageReference(fields["image"])?.value
        service.entrypoint = commandLine(fields["entrypoint"])
        service.command = commandLine(fields["command"])
        service.environment = environmentVariables(fields["environment"])
        var labelDependencies: [Located<String>] = []
        service.containerLabels = labels(fields["labels"], dependencies: &labelDependencies)
        if let deploy = fields["deploy"] {
            service.deploy = self.deploy(deploy, dependencies: &labelDependencies) ?? ComposeService.Deploy()
        }
        if service.deploy.restartPolicy == nil {
            service.deploy.restartPolicy = legacyRestart(fields["restart"])
        }
        service.networks = serviceNetworks(fields["networks"])
        service.secrets = fileReferences(fields["secrets"], known: secretNames, what: "secret")
        service.configs = fileReferences(fields["configs"], known: configNames, what: "config")
        if let healthcheck = fields["healthcheck"] { service.healthcheck = self.healthcheck(healthcheck) }
        service.volumes = (reader.list(fields["volumes"]) ?? []).compactMap(volumeMount)
        service.ports = ports(fields["ports"])
        service.hostname = reader.string(fields["hostname"])?.value
        service.user = reader.string(fields["user"])?.value
        service.workingDirectory = reader.absolutePath(fields["working_dir"])?.value
        service.stopGracePeriod = duration(fields["stop_grace_period"])
        service.stopSignal = reader.string(fields["stop_signal"])?.value
        service.tty = reader.bool(fields["tty"])?.value
        service.stdinOpen = reader.bool(fields["stdin_open"])?.value
        service.readOnly = reader.bool(fields["read_only"])?.value
        service.initProcess = reader.bool(fields["init"])?.value
        service.extraHosts = extraHosts(fields["extra_hosts"])
        service.dns = stringOrList(fields["dns"])
        service.dnsSearch = stringOrList(fields["dns_search"])
        service.capabilityAdd = capabilities(fields["cap_add"])
        service.capabilityDrop = capabilities(fields["cap_drop"])
        service.sysctls = stringMap(fields["sysctls"])
        service.ulimits = ulimits(fields["ulimits"])
        service.logging = logging(fields["logging"])
        draft.service = service
        draft.dependsOn = dependsOn(fields["depends_on"])
        draft.labelDependencies = labelDependencies
        return draft
    }

    // MARK: Container

    /// `command` / `entrypoint`: a list as is, or a string split like a shell would (quotes, backslashes).
    private func commandLine(_ value: YAMLValue?) -> [String]? {
        guard let value else { return nil }
        if value.node.isNullValue { return nil }
        if case .scalar = value.node {
            guard let text = scalarText(value) else { return nil }
            guard let words = ShellWords.split(text.value) else {
                reader.report("the command has an unclosed quote or a trailing backslash", at: text.mark, path: text.path)
                return nil
            }
            return words
        }
        guard let items = reader.list(value) else { return nil }
        return items.compactMap { scalarText($0)?.value }
    }

    /// `environment`; a name without a value takes it from the loader's environment dictionary when there.
    private func environmentVariables(_ value: YAMLValue?) -> [String: String?] {
        var result: [String: String?] = [:]
        for entry in keyValues(value, what: "variable") ?? [] {
            result[entry.key] = .some(entry.value?.value ?? environment[entry.key])
        }
        return result
    }

    /// Labels; `homelab.depends-on` values are split into located service names.
    func labels(_ value: YAMLValue?, dependencies: inout [Located<String>]) -> [String: String] {
        var result: [String: String] = [:]
        for entry in keyValues(value, what: "label") ?? [] {
            result[entry.key] = entry.value?.value ?? ""
            if entry.key == Self.dependsOnLabel, let text = entry.value {
                for name in text.value.split(separator: ",") {
                    let trimmed = trimmedBlanks(name)
                    if !trimmed.isEmpty { dependencies.append(Located(value: trimmed, mark: text.mark, path: text.path)) }
                }
            }
        }
        return result
    }

    private func legacyRestart(_ value: YAMLValue?) -> Swarm.RestartPolicy? {
        guard let text = reader.string(value) else { return nil }
        let parts = text.value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let attempts = parts.count == 2 ? Int64(parts[1]) : nil
        switch parts.first.map(String.init) {
        case "no": return nil
        case "always" where parts.count == 1, "unless-stopped" where parts.count == 1:
            return Swarm.RestartPolicy(condition: .any)
        case "on-failure" where parts.count == 1 || (attempts ?? -1) >= 0:
            return Swarm.RestartPolicy(condition: .onFailure, maxAttempts: (attempts ?? 0) > 0 ? attempts : nil)
        default:
            reader.report(
                "expected no, always, unless-stopped or on-failure[:attempts], got '\(reader.shortened(text.value))'",
                at: text.mark, path: text.path)
            return nil
        }
    }

    private func extraHosts(_ value: YAMLValue?) -> [String]? {
        guard let value else { return nil }
        if case .mapping = value.node {
            return keyValues(value, what: "host")?.map { "\($0.value?.value ?? "") \($0.key)" }
        }
        guard let items = reader.stringList(value) else { return nil }
        return items.compactMap { item in
            let separator = item.value.firstIndex { $0 == ":" || $0 == "=" }
            guard let separator, separator != item.value.startIndex, item.value.index(after: separator) != item.value.endIndex
            else {
                reader.report("expected host:IP, got '\(reader.shortened(item.value))'", at: item.mark, path: item.path)
                return nil
            }
            return "\(item.value[item.value.index(after: separator)...]) \(item.value[..<separator])"
        }
    }

    /// Capabilities as Docker stores them: upper case, `CAP_` prefixed (except `ALL`), unique, sorted.
    private func capabilities(_ value: YAMLValue?) -> [String]? {
        guard let items = reader.stringList(value) else { return nil }
        let names = items.map { item -> String in
            let upper = item.value.uppercased()
            return upper == "ALL" || upper.hasPrefix("CAP_") ? upper : "CAP_" + upper
        }
        return Array(Set(names)).sorted()
    }

    private func ulimits(_ value: YAMLValue?) -> [Swarm.Ulimit]? {
        guard let value else { return nil }
        guard case .mapping(let mapping) = value.node else {
            reader.report("expected a mapping of limits, got \(reader.describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
        var limits: [Swarm.Ulimit] = []
        for (key, node) in mapping {
            guard let name = key.scalar?.string, !name.isEmpty else { continue }
            let item = YAMLValue(node: node, path: joinKeyPath(value.path, name))
            if case .mapping = node {
                guard let fields = fields(item, allowed: ["soft", "hard"], required: ["soft", "hard"]) else { continue }
                let soft = reader.int(fields["soft"], in: -1...Int.max, what: "a limit")
                let hard = reader.int(fields["hard"], in: -1...Int.max, what: "a limit")
                if let soft, let hard { limits.append(Swarm.Ulimit(name: name, soft: Int64(soft.value), hard: Int64(hard.value))) }
            } else if let single = reader.int(item, in: -1...Int.max, what: "a limit") {
                limits.append(Swarm.Ulimit(name: name, soft: Int64(single.value), hard: Int64(single.value)))
            }
        }
        return limits.sorted { ($0.name ?? "") < ($1.name ?? "") }
    }

    private func logging(_ value: YAMLValue?) -> Swarm.DriverConfig? {
        guard let value, let fields = fields(value, allowed: ["driver", "options"]) else { return nil }
        return Swarm.DriverConfig(name: reader.string(fields["driver"])?.value, options: stringMap(fields["options"]))
    }

    // MARK: References

    private func serviceNetworks(_ value: YAMLValue?) -> [String: ComposeService.NetworkAttachment] {
        guard let value else { return [:] }
        var result: [String: ComposeService.NetworkAttachment] = [:]
        func known(_ name: String, mark: Mark?, path: String) -> Bool {
            guard networkNames.contains(name) else {
                reader.report(undefinedMessage("network", name, networkNames), at: mark, path: path)
                return false
            }
            return true
        }
        if case .mapping(let mapping) = value.node {
            for (key, node) in mapping {
                guard let name = key.scalar?.string, known(name, mark: key.mark, path: joinKeyPath(value.path, name)) else { continue }
                let item = YAMLValue(node: node, path: joinKeyPath(value.path, name))
                if node.isNullValue {
                    result[name] = ComposeService.NetworkAttachment()
                    continue
                }
                let keys = ["aliases", "driver_opts", "ipv4_address", "ipv6_address", "link_local_ips", "priority"]
                guard let fields = fields(item, allowed: keys) else { continue }
                warnIgnored(fields, ["ipv4_address", "ipv6_address", "link_local_ips", "priority"])
                result[name] = ComposeService.NetworkAttachment(
                    aliases: reader.stringList(fields["aliases"])?.map(\.value), driverOptions: stringMap(fields["driver_opts"]))
            }
            return result
        }
        for item in reader.stringList(value) ?? [] where known(item.value, mark: item.mark, path: item.path) {
            result[item.value] = ComposeService.NetworkAttachment()
        }
        return result
    }

    private func fileReferences(_ value: YAMLValue?, known: Set<String>, what: String) -> [ComposeService.FileReference] {
        guard let items = reader.list(value) else { return [] }
        return items.compactMap { item -> ComposeService.FileReference? in
            var reference: ComposeService.FileReference
            var sourceText: Located<String>?
            if case .mapping = item.node {
                guard let fields = fields(item, allowed: ["source", "target", "uid", "gid", "mode"], required: ["source"]),
                    let source = reader.string(fields["source"])
                else { return nil }
                sourceText = source
                reference = ComposeService.FileReference(source: source.value)
                reference.target = reader.string(fields["target"])?.value
                reference.uid = reader.string(fields["uid"])?.value
                reference.gid = reader.string(fields["gid"])?.value
                reference.mode = fileMode(fields["mode"])
            } else {
                guard let source = reader.string(item) else { return nil }
                sourceText = source
                reference = ComposeService.FileReference(source: source.value)
            }
            guard let sourceText, known.contains(sourceText.value) else {
                reader.report(undefinedMessage(what, reference.source, known), at: sourceText?.mark, path: sourceText?.path ?? item.path)
                return nil
            }
            return reference
        }
    }

    /// `undefined secret 'x'; did you mean 'y'?` or `... (define it under the top-level 'secrets')`.
    func undefinedMessage(_ what: String, _ name: String, _ known: Set<String>) -> String {
        var message = "undefined \(what) '\(reader.shortened(name))'"
        if let suggestion = closestMatch(to: name, in: known.sorted()) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += " (define it under the top-level '\(what)s')"
        }
        return message
    }

    private func dependsOn(_ value: YAMLValue?) -> [(name: Located<String>, condition: ServiceDependency.Condition)] {
        guard let value else { return [] }
        if case .mapping(let mapping) = value.node {
            var result: [(name: Located<String>, condition: ServiceDependency.Condition)] = []
            for (key, node) in mapping {
                guard let name = key.scalar?.string else { continue }
                let item = YAMLValue(node: node, path: joinKeyPath(value.path, name))
                var condition = ServiceDependency.Condition.started
                if !node.isNullValue, let fields = fields(item, allowed: ["condition", "required", "restart"]) {
                    condition = reader.choice(fields["condition"], ServiceDependency.Condition.self)?.value ?? .started
                    _ = reader.bool(fields["required"])
                    _ = reader.bool(fields["restart"])
                }
                result.append((Located(value: name, mark: key.mark, path: item.path), condition))
            }
            return result
        }
        return (reader.stringList(value) ?? []).map { ($0, .started) }
    }
}

/// `text` without leading and trailing spaces and tabs: YAML's blanks, and HTTP's optional whitespace around a field
/// value (RFC 9110 §5.6.3). Unlike `trimmingCharacters(in: .whitespaces)` it builds no Foundation character set on
/// first use, which was a few tenths of a millisecond of every `homelab` command reading Docker's `/_ping` headers.
func trimmedBlanks(_ text: some StringProtocol) -> String {
    guard let first = text.firstIndex(where: { $0 != " " && $0 != "\t" }),
        let last = text.lastIndex(where: { $0 != " " && $0 != "\t" })
    else { return "" }
    return String(text[first...last])
}
