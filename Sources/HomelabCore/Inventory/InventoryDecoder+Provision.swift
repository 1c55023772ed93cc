import Yams

/// The `provision:` blocks: the top-level shared setup steps, and a node's own (`host_key`, `steps`, `skip`).
extension InventoryDecoder {
    /// What a node's `provision:` block read as; `settings` is `nil` after a reported problem.
    struct NodeProvisionDraft {
        var settings: NodeProvisionSettings?
        var skip: [Located<String>] = []
        var stepNames: [Located<String>] = []
    }

    /// The top-level `provision: {steps: [...]}`; `nil` after a reported problem.
    func provisionSettings(_ value: YAMLValue) -> ProvisionSettings? {
        guard let fields = reader.fields(value, allowed: ["steps"], required: ["steps"]) else { return nil }
        guard let steps = provisionSteps(fields["steps"]) else { return nil }
        return ProvisionSettings(steps: steps.map(\.value))
    }

    /// A node's `provision: {host_key, steps, skip}`.
    func nodeProvision(_ value: YAMLValue) -> NodeProvisionDraft {
        var draft = NodeProvisionDraft()
        guard let fields = reader.fields(value, allowed: ["host_key", "steps", "skip"]) else { return draft }
        var valid = true
        var hostKey: String?
        if let text = reader.string(fields["host_key"]) {
            if (try? ExpectedHostKey(publicKeyLine: text.value)) != nil {
                hostKey = text.value.trimmingWhitespace
            } else {
                reader.report("host_key is not an OpenSSH public key line ('ssh-ed25519 AAAA...')", at: text.mark, path: text.path)
                valid = false
            }
        } else if fields["host_key"] != nil {
            valid = false
        }
        var steps: [ProvisionStep] = []
        if fields["steps"] != nil {
            if let located = provisionSteps(fields["steps"]) {
                steps = located.map(\.value)
                draft.stepNames = located.map { Located(value: $0.value.name, mark: $0.mark, path: $0.path) }
            } else {
                valid = false
            }
        }
        if let names = reader.stringList(fields["skip"]) {
            draft.skip = names
        } else if fields["skip"] != nil {
            valid = false
        }
        if valid { draft.settings = NodeProvisionSettings(hostKey: hostKey, steps: steps, skip: draft.skip.map(\.value)) }
        return draft
    }

    /// A list of steps, names unique; `nil` when any step has a problem.
    private func provisionSteps(_ value: YAMLValue?) -> [Located<ProvisionStep>]? {
        guard let items = reader.list(value) else { return nil }
        var steps: [Located<ProvisionStep>] = []
        var seen: [String: Int] = [:]
        var valid = true
        for item in items {
            guard let step = provisionStep(item) else {
                valid = false
                continue
            }
            if let line = seen[step.value.name] {
                reader.report("step '\(step.value.name)' is already declared (line \(line)); step names are unique", at: step.mark, path: step.path)
                valid = false
            }
            seen[step.value.name] = step.mark?.line ?? 0
            steps.append(step)
        }
        return valid ? steps : nil
    }

    /// One step: `name` and exactly one of `check`+`apply`, `packages`, `nfs_mount`, `sshd`; optional `timeout`.
    private func provisionStep(_ value: YAMLValue) -> Located<ProvisionStep>? {
        let kinds = ["check", "packages", "nfs_mount", "sshd"]
        guard let fields = reader.fields(value, allowed: ["name", "check", "apply", "packages", "nfs_mount", "sshd", "timeout"], required: ["name"])
        else { return nil }
        let name = reader.name(fields["name"], of: "step")
        let given = kinds.filter { fields.has($0) }
        var timeout: Int?
        if fields["timeout"] != nil {
            guard let seconds = reader.int(fields["timeout"], in: 1...86_400, what: "a timeout in seconds") else { return nil }
            timeout = seconds.value
        }
        guard given.count == 1, let kind = given.first else {
            reader.report(
                given.isEmpty
                    ? "a step needs check + apply commands, or one of packages, nfs_mount, sshd"
                    : "a step is one of check + apply, packages, nfs_mount, sshd; this one has \(given.joined(separator: " and "))",
                at: value.mark, path: value.path)
            return nil
        }
        if kind != "check", let apply = fields["apply"] {
            reader.report("apply goes with check, not with \(kind) (which makes its own commands)", at: apply.mark, path: apply.path)
            return nil
        }
        guard let name else { return nil }
        var step: ProvisionStep
        switch kind {
        case "check":
            guard fields.has("apply") else {
                reader.report("a step with a check needs an apply command (run when the check fails)", at: value.mark, path: joinKeyPath(value.path, "apply"))
                return nil
            }
            guard let check = reader.string(fields["check"]), let apply = reader.string(fields["apply"]) else { return nil }
            step = ProvisionStep(name: name.value, check: check.value, apply: apply.value)
        case "packages":
            guard let packages = reader.stringList(fields["packages"]) else { return nil }
            guard !packages.isEmpty else {
                reader.report("packages needs at least one package name", at: fields["packages"]?.mark, path: joinKeyPath(value.path, "packages"))
                return nil
            }
            for package in packages where !Self.isWord(package.value, extra: ".+-:") {
                reader.report("'\(reader.shortened(package.value))' is not a Debian package name", at: package.mark, path: package.path)
                return nil
            }
            step = .packages(packages.map(\.value), name: name.value)
        case "nfs_mount":
            guard let mount = nfsMount(fields["nfs_mount"], name: name.value) else { return nil }
            step = mount
        default:
            guard let settings = sshdSettings(fields["sshd"]) else { return nil }
            step = .sshd(settings, name: name.value)
        }
        if let timeout { step.timeoutSeconds = timeout }
        return Located(value: step, mark: value.mark, path: value.path)
    }

    /// `nfs_mount: {source: HOST:/EXPORT, path: /ABSOLUTE, options: nfs-options}`.
    private func nfsMount(_ value: YAMLValue?, name: String) -> ProvisionStep? {
        guard let value, let fields = reader.fields(value, allowed: ["source", "path", "options"], required: ["source", "path"]) else { return nil }
        guard let source = reader.string(fields["source"]), let path = reader.absolutePath(fields["path"]) else { return nil }
        let parts = source.value.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, Self.isWord(String(parts[0]), extra: ".-"), parts[1].hasPrefix("/"), Self.isWord(String(parts[1]), extra: "/._-") else {
            reader.report(
                "'\(reader.shortened(source.value))' is not an NFS export: HOST:/PATH (barbary:/mnt/tank/media)", at: source.mark, path: source.path)
            return nil
        }
        guard Self.isWord(path.value, extra: "/._-") else {
            reader.report("mount path '\(reader.shortened(path.value))' may hold only letters, digits, '/', '.', '_' and '-'", at: path.mark, path: path.path)
            return nil
        }
        var options = "defaults,_netdev"
        if fields["options"] != nil {
            guard let text = reader.string(fields["options"]) else { return nil }
            guard Self.isWord(text.value, extra: ",=._-") else {
                reader.report("'\(reader.shortened(text.value))' is not a list of mount options (rw,noatime,vers=4.2)", at: text.mark, path: text.path)
                return nil
            }
            options = text.value
        }
        return .nfsMount(source: source.value, path: path.value, options: options, name: name)
    }

    /// `sshd: {PasswordAuthentication: "no", ...}` in the written order.
    private func sshdSettings(_ value: YAMLValue?) -> [(key: String, value: String)]? {
        guard let value else { return nil }
        guard case .mapping(let mapping) = value.node, !mapping.isEmpty else {
            reader.report("sshd is a mapping of sshd_config keywords to values (PasswordAuthentication: \"no\")", at: value.mark, path: value.path)
            return nil
        }
        var settings: [(key: String, value: String)] = []
        for (key, child) in mapping {
            let path = joinKeyPath(value.path, key.string ?? "?")
            guard let keyword = key.string, Self.isWord(keyword, extra: ""), keyword.first?.isLetter == true else {
                reader.report("'\(reader.shortened(key.string ?? ""))' is not an sshd_config keyword", at: key.mark, path: path)
                return nil
            }
            guard let setting = reader.string(YAMLValue(node: child, path: path)) else { return nil }
            guard Self.isWord(setting.value, extra: ",._@-") else {
                reader.report("sshd value '\(reader.shortened(setting.value))' may hold only letters, digits and , . _ @ -", at: setting.mark, path: path)
                return nil
            }
            settings.append((keyword, setting.value))
        }
        return settings
    }

    private static func isWord(_ text: String, extra: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || extra.contains($0)) }
    }

    /// A node's `skip:` must name shared steps, and its own steps must not reuse a shared step's name.
    func checkNodeProvision(_ draft: inout InventoryDraft, sharedGiven: Bool) {
        if sharedGiven, draft.provision == nil { return }
        let shared = Set((draft.provision?.steps ?? ProvisionStep.defaults).map(\.name))
        let origin = draft.provision == nil ? "the default steps" : "provision.steps"
        for node in draft.nodes {
            for name in node.provisionSkip where !shared.contains(name.value) {
                var message = "skip names '\(name.value)', which is not one of \(origin) (\(shared.sorted().joined(separator: ", ")))"
                if let suggestion = closestMatch(to: name.value, in: Array(shared)) { message += "; did you mean '\(suggestion)'?" }
                reader.report(message, at: name.mark, path: name.path)
            }
            for name in node.provisionStepNames where shared.contains(name.value) {
                reader.report(
                    "step '\(name.value)' is also one of \(origin); give the node's own step another name, or skip the shared one",
                    at: name.mark, path: name.path)
            }
        }
    }
}
