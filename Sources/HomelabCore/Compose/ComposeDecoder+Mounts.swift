import Yams

extension ComposeDecoder {
    enum MountTypeName: String, CaseIterable {
        case volume, bind, tmpfs, npipe
    }

    enum PublishModeName: String, CaseIterable {
        case ingress, host
    }

    enum ProtocolName: String, CaseIterable {
        case tcp, udp, sctp
    }

    // MARK: Volumes

    /// One entry of a service's `volumes`, short (`name:/path:ro`, `/host:/path`) or long syntax.
    func volumeMount(_ value: YAMLValue) -> ComposeService.VolumeMount? {
        if case .mapping = value.node { return longVolumeMount(value) }
        guard let text = reader.string(value) else { return nil }
        let parts = text.value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func fail(_ message: String) -> ComposeService.VolumeMount? {
            reader.report(message, at: text.mark, path: text.path)
            return nil
        }
        guard (1...3).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            return fail("expected [source:]target[:options], got '\(reader.shortened(text.value))'")
        }
        if parts.count == 1 {
            guard parts[0].hasPrefix("/") else { return fail("the container path must be absolute, got '\(reader.shortened(parts[0]))'") }
            return ComposeService.VolumeMount(type: .volume, target: parts[0])
        }
        let target = parts[1]
        guard target.hasPrefix("/") else { return fail("the container path must be absolute, got '\(reader.shortened(target))'") }
        var mount: ComposeService.VolumeMount
        if let path = hostPath(parts[0], at: text) {
            mount = ComposeService.VolumeMount(type: .bind, source: path, target: target)
        } else if isHostPathLike(parts[0]) {
            return nil
        } else {
            guard volumeNames.contains(parts[0]) else { return fail(undefinedMessage("volume", parts[0], volumeNames)) }
            mount = ComposeService.VolumeMount(type: .volume, source: parts[0], target: target)
        }
        guard parts.count == 3 else { return mount }
        for option in parts[2].split(separator: ",").map(String.init) {
            switch option {
            case "ro": mount.readOnly = true
            case "rw": mount.readOnly = false
            case "nocopy" where mount.type == .volume: mount.noCopy = true
            case "z", "Z": warnings.append(issue("SELinux relabelling (':\(option)') is ignored by swarm services", text))
            case "consistent", "cached", "delegated": mount.consistency = option
            case _ where Swarm.BindPropagation.knownCases.map(\.rawValue).contains(option) && mount.type == .bind:
                mount.propagation = Swarm.BindPropagation(rawValue: option)
            default:
                return fail(
                    "unknown volume option '\(reader.shortened(option))' for a \(mount.type.rawValue) mount "
                        + "(expected ro, rw\(mount.type == .volume ? ", nocopy" : ", a propagation mode such as rslave"))")
            }
        }
        return mount
    }

    private func longVolumeMount(_ value: YAMLValue) -> ComposeService.VolumeMount? {
        let keys = ["type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs"]
        guard let fields = fields(value, allowed: keys, required: ["type", "target"]),
            let type = reader.choice(fields["type"], MountTypeName.self),
            let target = reader.absolutePath(fields["target"])
        else { return nil }
        var mount = ComposeService.VolumeMount(type: Swarm.MountType(rawValue: type.value.rawValue), target: target.value)
        mount.readOnly = reader.bool(fields["read_only"])?.value
        mount.consistency = reader.string(fields["consistency"])?.value
        let source = reader.string(fields["source"])
        for (option, allowedType) in [("bind", MountTypeName.bind), ("volume", .volume), ("tmpfs", .tmpfs)]
        where fields.has(option) && allowedType != type.value && !(option == "bind" && type.value == .npipe) {
            reader.report(
                "\(option) options do not apply to a \(type.value.rawValue) mount", at: fields.keyMark(option),
                path: joinKeyPath(fields.path, option))
        }
        switch type.value {
        case .volume:
            if let source {
                guard volumeNames.contains(source.value) else {
                    reader.report(undefinedMessage("volume", source.value, volumeNames), at: source.mark, path: source.path)
                    return nil
                }
                mount.source = source.value
            }
            if let options = fields["volume"], let volume = self.fields(options, allowed: ["nocopy", "subpath"]) {
                mount.noCopy = reader.bool(volume["nocopy"])?.value
                mount.subpath = reader.string(volume["subpath"])?.value
            }
        case .bind, .npipe:
            guard let source else {
                reader.report("a \(type.value.rawValue) mount needs a source", at: value.mark, path: joinKeyPath(value.path, "source"))
                return nil
            }
            if type.value == .npipe {
                mount.source = source.value
            } else {
                guard let path = hostPath(source.value, at: source) else {
                    if !isHostPathLike(source.value) {
                        reader.report(
                            "a bind mount source is a host path (absolute, or relative to the compose file), got '\(reader.shortened(source.value))'",
                            at: source.mark, path: source.path)
                    }
                    return nil
                }
                mount.source = path
            }
            if let options = fields["bind"], let bind = self.fields(options, allowed: ["propagation", "create_host_path", "selinux"]) {
                warnIgnored(bind, ["create_host_path", "selinux"])
                if let propagation = reader.string(bind["propagation"]) {
                    let mode = Swarm.BindPropagation(rawValue: propagation.value)
                    if mode.isKnown {
                        mount.propagation = mode
                    } else {
                        reader.report(
                            "expected \(phrase(Swarm.BindPropagation.knownCases.map(\.rawValue), conjunction: "or")), got '\(reader.shortened(propagation.value))'",
                            at: propagation.mark, path: propagation.path)
                    }
                }
            }
        case .tmpfs:
            if let source {
                reader.report("a tmpfs mount has no source", at: source.mark, path: source.path)
                return nil
            }
            if let options = fields["tmpfs"], let tmpfs = self.fields(options, allowed: ["size", "mode"]) {
                mount.tmpfsSize = bytes(tmpfs["size"])
                mount.tmpfsMode = fileMode(tmpfs["mode"], octal: true).map(Int.init)
            }
        }
        return mount
    }

    /// Whether a source names a host path rather than a volume.
    private func isHostPathLike(_ source: String) -> Bool {
        source.hasPrefix("/") || source.hasPrefix(".") || source.hasPrefix("~")
    }

    /// An absolute host path for a bind source, resolving `./` and `../` against the working directory;
    /// `nil` (with a report for path-like sources) when it cannot be resolved, `nil` silently for volume names.
    private func hostPath(_ source: String, at location: Located<String>) -> String? {
        if source.hasPrefix("/") { return source }
        guard isHostPathLike(source) else { return nil }
        if source.hasPrefix("~") {
            reader.report(
                "'~' paths are not expanded (the home folder differs per node); write the absolute path",
                at: location.mark, path: location.path)
            return nil
        }
        guard let workingDirectory else {
            reader.report(
                "a relative bind source needs the compose file's folder; write an absolute path or load the file from disk",
                at: location.mark, path: location.path)
            return nil
        }
        var components = workingDirectory.split(separator: "/").map(String.init)
        for component in source.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(String(component))
            }
        }
        return "/" + components.joined(separator: "/")
    }

    private func issue(_ message: String, _ location: Located<String>) -> InventoryIssue {
        InventoryIssue(
            file: reader.file, line: location.mark?.line ?? 1, column: location.mark?.column ?? 1, keyPath: location.path,
            message: message)
    }

    // MARK: Ports

    /// A service's `ports`, sorted by published port, target port, protocol and mode.
    func ports(_ value: YAMLValue?) -> [Swarm.EndpointPortConfig] {
        guard let items = reader.list(value) else { return [] }
        let ports = items.flatMap { item -> [Swarm.EndpointPortConfig] in
            if case .mapping = item.node { return longPort(item).map { [$0] } ?? [] }
            return shortPorts(item) ?? []
        }
        return ports.sorted { Self.portOrder($0) < Self.portOrder($1) }
    }

    private static func portOrder(_ port: Swarm.EndpointPortConfig) -> (Int, Int, String, String) {
        let published: Int = port.publishedPort ?? 0
        let target: Int = port.targetPort ?? 0
        return (published, target, port.portProtocol?.rawValue ?? "", port.publishMode?.rawValue ?? "")
    }

    /// `80`, `8080:80`, `8080:80/udp`, `8000-8001:9000-9001`: published through the ingress mesh.
    private func shortPorts(_ value: YAMLValue) -> [Swarm.EndpointPortConfig]? {
        guard let text = reader.string(value) else { return nil }
        func fail(_ message: String) -> [Swarm.EndpointPortConfig]? {
            reader.report(message, at: text.mark, path: text.path)
            return nil
        }
        var spec = Substring(text.value)
        var portProtocol = Swarm.PortProtocol.tcp
        if let slash = spec.lastIndex(of: "/") {
            guard let name = ProtocolName(rawValue: String(spec[spec.index(after: slash)...])) else {
                return fail("expected tcp, udp or sctp after '/', got '\(reader.shortened(String(spec[spec.index(after: slash)...])))'")
            }
            portProtocol = Swarm.PortProtocol(rawValue: name.rawValue)
            spec = spec[..<slash]
        }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            return fail(
                "'\(reader.shortened(text.value))' binds a host IP, which swarm services do not support "
                    + "(ingress ports listen on every node); use published:target")
        }
        guard let targets = portRange(parts[parts.count - 1]) else {
            return fail("expected [published:]target[/protocol] with ports 1-65535, got '\(reader.shortened(text.value))'")
        }
        var published: [Int?] = Array(repeating: nil, count: targets.count)
        if parts.count == 2 {
            guard let range = portRange(parts[0]) else {
                return fail("expected [published:]target[/protocol] with ports 1-65535, got '\(reader.shortened(text.value))'")
            }
            guard range.count == targets.count else {
                return fail("the published range and the target range of '\(reader.shortened(text.value))' differ in length")
            }
            published = range.map { $0 }
        }
        return zip(published, targets).map { published, target in
            Swarm.EndpointPortConfig(portProtocol: portProtocol, targetPort: target, publishedPort: published, publishMode: .ingress)
        }
    }

    /// `80` or `8000-8002`, every port in 1...65535.
    private func portRange(_ text: Substring) -> [Int]? {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(bounds.count), let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]),
            (1...65535).contains(low), (low...65535).contains(high)
        else { return nil }
        return Array(low...high)
    }

    private func longPort(_ value: YAMLValue) -> Swarm.EndpointPortConfig? {
        let keys = ["target", "published", "protocol", "mode", "name", "app_protocol", "host_ip"]
        guard let fields = fields(value, allowed: keys, required: ["target"]) else { return nil }
        warnIgnored(fields, ["name", "app_protocol"])
        if let hostIP = fields["host_ip"] {
            reader.report(
                "host_ip is not supported by swarm services (ingress ports listen on every node)", at: fields.keyMark("host_ip"),
                path: hostIP.path)
        }
        let target = reader.int(fields["target"], in: 1...65535, what: "a port")
        let published = reader.int(fields["published"], in: 1...65535, what: "a port")
        let portProtocol = reader.choice(fields["protocol"], ProtocolName.self)
        let mode = reader.choice(fields["mode"], PublishModeName.self)
        guard let target else { return nil }
        return Swarm.EndpointPortConfig(
            portProtocol: Swarm.PortProtocol(rawValue: portProtocol?.value.rawValue ?? "tcp"), targetPort: target.value,
            publishedPort: published?.value, publishMode: Swarm.PublishMode(rawValue: mode?.value.rawValue ?? "ingress"))
    }
}
