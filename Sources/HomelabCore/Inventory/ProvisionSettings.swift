/// One idempotent setup step `homelab provision` runs on a new node over SSH (the part Ansible plays in the seed):
/// ``check`` is run first; only when it fails (non-zero exit) is ``apply`` run, then ``check`` again, which must
/// now pass.
///
/// The inventory writes a step either as `check:` + `apply:` commands or as one of the shortcuts (`packages:`,
/// `nfs_mount:`, `sshd:`), which the decoder expands into the two commands.
public struct ProvisionStep: Sendable, Hashable, Codable {
    /// The step's name (unique in the node's list; `skip:` names it).
    public var name: String
    /// A shell command that exits 0 when the step's result is already in place.
    public var check: String
    /// A shell command that puts it in place.
    public var apply: String
    /// Limit for each command, in seconds.
    public var timeoutSeconds: Int

    /// A step; see each property.
    public init(name: String, check: String, apply: String, timeoutSeconds: Int = 300) {
        self.name = name
        self.check = check
        self.apply = apply
        self.timeoutSeconds = timeoutSeconds
    }

    /// Debian packages installed with apt-get (`dpkg -s` checks them).
    public static func packages(_ names: [String], name: String = "packages") -> ProvisionStep {
        let list = names.joined(separator: " ")
        return ProvisionStep(
            name: name, check: "dpkg -s \(list) >/dev/null 2>&1",
            apply: "sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \(list)",
            timeoutSeconds: 900)
    }

    /// An NFS export (from TrueNAS, `barbary:/mnt/tank/media`) mounted at `path` now and at boot (an fstab line).
    public static func nfsMount(source: String, path: String, options: String, name: String) -> ProvisionStep {
        let line = "\(source) \(path) nfs \(options) 0 0"
        return ProvisionStep(
            name: name,
            check: "grep -qsF '\(line)' /etc/fstab && findmnt -rn -S '\(source)' -T '\(path)' >/dev/null",
            apply: "sudo -n mkdir -p '\(path)' && { grep -qsF '\(line)' /etc/fstab || echo '\(line)' | sudo -n tee -a /etc/fstab >/dev/null; } "
                + "&& { findmnt -rn -T '\(path)' -S '\(source)' >/dev/null || sudo -n mount '\(path)'; }")
    }

    /// sshd settings (`PasswordAuthentication: "no"`) written to a drop-in file and checked in `sshd -T`'s effective
    /// configuration; sshd is reloaded after writing.
    public static func sshd(_ settings: [(key: String, value: String)], name: String) -> ProvisionStep {
        let checks = settings.map { "grep -qix '\($0.key.lowercased()) \($0.value.lowercased())' \"$c\"" }.joined(separator: " && ")
        let lines = settings.map { "\($0.key) \($0.value)" }.joined(separator: "\\n")
        return ProvisionStep(
            name: name,
            check: "c=$(mktemp) && sudo -n sshd -T > \"$c\" 2>/dev/null && \(checks); r=$?; rm -f \"$c\"; exit $r",
            apply: "printf '\(lines)\\n' | sudo -n tee /etc/ssh/sshd_config.d/50-homelab-\(name).conf >/dev/null "
                + "&& sudo -n sshd -t && { sudo -n systemctl reload ssh 2>/dev/null || sudo -n systemctl reload sshd; }")
    }

    /// The list a node gets when the inventory has no top-level `provision:` block: the packages the homelab's nodes
    /// need (curl, nfs-common), the Docker engine, and sshd hardening (no passwords, no root login).
    public static let defaults: [ProvisionStep] = [
        .packages(["curl", "nfs-common", "ca-certificates"]),
        ProvisionStep(
            name: "docker-engine", check: "sudo -n docker info --format '{{.ServerVersion}}' >/dev/null 2>&1",
            apply: "sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io && sudo -n systemctl enable --now docker",
            timeoutSeconds: 900),
        .sshd([("PasswordAuthentication", "no"), ("PermitRootLogin", "no"), ("KbdInteractiveAuthentication", "no")], name: "sshd-hardening"),
    ]
}

/// The inventory's top-level `provision:` block: the setup steps every new node runs.
public struct ProvisionSettings: Sendable, Hashable {
    /// The shared steps, in order.
    public var steps: [ProvisionStep]

    /// Settings with `steps`.
    public init(steps: [ProvisionStep]) { self.steps = steps }
}

/// A node's own `provision:` block.
public struct NodeProvisionSettings: Sendable, Hashable {
    /// The SSH host key (an OpenSSH public key line) the new machine was given; SSH must present exactly it.
    public var hostKey: String?
    /// Steps only this node runs, after the shared ones.
    public var steps: [ProvisionStep]
    /// Names of shared steps this node does not run.
    public var skip: [String]

    /// Settings; see each property.
    public init(hostKey: String? = nil, steps: [ProvisionStep] = [], skip: [String] = []) {
        self.hostKey = hostKey
        self.steps = steps
        self.skip = skip
    }
}

extension Homelab {
    /// The setup steps `node` runs, in order: the shared list (the `provision:` block's, else
    /// ``ProvisionStep/defaults``) without the node's `skip:`, then the node's own steps.
    public func provisionSteps(for node: Node) -> [ProvisionStep] {
        let shared = provision?.steps ?? ProvisionStep.defaults
        let skip = Set(node.provision?.skip ?? [])
        return shared.filter { !skip.contains($0.name) } + (node.provision?.steps ?? [])
    }
}
