import Foundation
import Logging

/// The provisioning step of the homelab's pipeline for a `proxmox-vm` node (OpenTofu's part in the seed): clone
/// the node's VM from its template, give it cloud-init settings (user, SSH keys, address), start it, and wait until
/// SSH answers at the node's address with the host key the VM was given, checked under an "expected key"
/// policy (``ExpectedHostKey``): any other key fails at once.
///
/// Re-running it on a node whose VM exists skips the clone; a running VM is not restarted.
public struct VMProvisioning: Sendable {
    /// What to provision.
    public struct Request: Sendable {
        /// The node (its `proxmox:` block names the Proxmox node, VM ID and template).
        public var node: Homelab.Node
        /// Public keys (OpenSSH lines) cloud-init authorizes for the node's SSH user.
        public var authorizedKeys: [String]
        /// The host key the VM was given (its public line), which SSH must then present.
        public var hostKey: ExpectedHostKey
        /// `ipconfig0`: `ip=ADDRESS/PREFIX,gw=GATEWAY`; `nil` derives `ip=<node address>/24`.
        public var ipConfig: String?
        /// `cicustom` (a snippet carrying the host key, `user=local:snippets/ching.yaml`), when the template needs one.
        public var cloudInitCustom: String?
        /// How long the whole step may take.
        public var timeout: Duration

        /// A request; see each property.
        public init(
            node: Homelab.Node, authorizedKeys: [String], hostKey: ExpectedHostKey, ipConfig: String? = nil,
            cloudInitCustom: String? = nil, timeout: Duration = .seconds(900)
        ) {
            self.node = node
            self.authorizedKeys = authorizedKeys
            self.hostKey = hostKey
            self.ipConfig = ipConfig
            self.cloudInitCustom = cloudInitCustom
            self.timeout = timeout
        }
    }

    /// One step, for progress displays.
    public enum Step: String, Sendable, CaseIterable {
        /// Clone the template into the node's VM.
        case clone
        /// Write the user, SSH keys and address.
        case cloudInit = "cloud-init"
        /// Boot the VM.
        case start
        /// Wait for SSH with the expected host key.
        case ssh
    }

    /// What happened to one step.
    public enum Event: Sendable, Hashable {
        /// The step began.
        case started(Step)
        /// The step ended (`detail`: what it did).
        case finished(Step, detail: String)
        /// The step had nothing to do.
        case skipped(Step, reason: String)
    }

    let proxmox: ProxmoxClient
    let ssh: SSHNodeShell
    let logger: Logger?

    /// Provisioning through `proxmox`, reaching the VM with `ssh` (its identity files and agent; its known_hosts
    /// and policy are replaced by the expected key).
    public init(proxmox: ProxmoxClient, ssh: SSHNodeShell, logger: Logger? = nil) {
        self.proxmox = proxmox
        self.ssh = ssh
        self.logger = logger
    }

    /// Runs every step, reporting each to `progress`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a node without a `proxmox:` block or template;
    ///   the Proxmox errors of each step (a failed task carries its log's tail); ``HomelabError/Code/hostKeyMismatch``
    ///   when SSH answers with another host key; `.timedOut` when SSH does not answer within the timeout.
    public func run(_ request: Request, progress: @Sendable (Event) -> Void = { _ in }) async throws {
        let started = ContinuousClock.now
        try await createMachine(
            node: request.node, authorizedKeys: request.authorizedKeys, ipConfig: request.ipConfig, cloudInitCustom: request.cloudInitCustom,
            timeout: request.timeout, progress: progress)
        let remaining = max(.seconds(1), request.timeout - (ContinuousClock.now - started))
        progress(.started(.ssh))
        let fingerprint = try await waitForSSH(node: request.node, hostKey: request.hostKey, timeout: remaining)
        progress(.finished(.ssh, detail: "\(request.node.ssh.user)@\(request.node.address):\(request.node.ssh.port) answers with the expected host key \(fingerprint)"))
    }

    /// The machine part of ``run(_:progress:)`` without waiting for SSH: clone (unless the VM exists), cloud-init,
    /// start (unless it runs). `homelab provision NODE` runs it as its first step and checks SSH as its own.
    /// - Returns: whether the VM was cloned or started (cloud-init settings are rewritten either way; Proxmox
    ///   keeps an unchanged config as it is).
    /// - Throws: as ``run(_:progress:)``.
    @discardableResult
    public func createMachine(
        node: Homelab.Node, authorizedKeys: [String], ipConfig: String? = nil, cloudInitCustom: String? = nil, timeout: Duration = .seconds(900),
        progress: @Sendable (Event) -> Void = { _ in }
    ) async throws -> Bool {
        var changed = false
        guard node.platform == .proxmoxVM, let placement = node.proxmox else {
            throw HomelabError(
                .invalidConfiguration, "node \(node.name) has no proxmox: {node, vmid, template} block (platform proxmox-vm)",
                component: "proxmox")
        }
        let started = ContinuousClock.now
        func remaining() -> Duration { max(.seconds(1), timeout - (ContinuousClock.now - started)) }
        let vms = proxmox.vms(node: placement.node)

        progress(.started(.clone))
        let existing: Proxmox.VMConfig?
        do {
            existing = try await vms.config(placement.vmid, logger: logger)
        } catch let error as HomelabError where error.code == .notFound {
            existing = nil
        }
        if existing != nil {
            progress(.skipped(.clone, reason: "VM \(placement.vmid) exists"))
        } else {
            guard let template = placement.template else {
                throw HomelabError(
                    .invalidConfiguration, "node \(node.name): VM \(placement.vmid) does not exist and its proxmox block names no template",
                    component: "proxmox")
            }
            try await vms.clone(template, newID: placement.vmid, name: node.name, full: true, timeout: remaining(), logger: logger)
            changed = true
            progress(.finished(.clone, detail: "VM \(placement.vmid) cloned from template \(template) on \(placement.node)"))
        }

        progress(.started(.cloudInit))
        let settings = Proxmox.CloudInit(
            user: node.ssh.user, sshKeys: authorizedKeys, ipConfig: ipConfig ?? "ip=\(node.address)/24")
        try await vms.modifyConfig(placement.vmid, logger: logger) { config in
            for (key, value) in settings.configValues { config[text: key] = value }
            if let custom = cloudInitCustom { config[text: "cicustom"] = custom }
        }
        progress(.finished(.cloudInit, detail: "user \(node.ssh.user), \(authorizedKeys.count) key(s), \(settings.ipConfig ?? "")"))

        progress(.started(.start))
        if try await vms.status(placement.vmid, logger: logger).status == .running {
            progress(.skipped(.start, reason: "VM \(placement.vmid) runs"))
        } else {
            try await vms.start(placement.vmid, timeout: remaining(), logger: logger)
            changed = true
            progress(.finished(.start, detail: "VM \(placement.vmid) running"))
        }
        return changed
    }

    /// Connects until SSH answers with exactly the expected host key (a refused or reset connection is retried;
    /// another key fails at once) and runs `true`.
    /// - Returns: the server's key fingerprint.
    func waitForSSH(node: Homelab.Node, hostKey: ExpectedHostKey, timeout: Duration) async throws -> String {
        let knownHosts = try hostKey.knownHostsFile(host: node.address, port: node.ssh.port)
        defer { ExpectedHostKey.remove(knownHosts) }
        var shell = ssh
        shell.knownHostsFile = knownHosts
        shell.hostKeyPolicy = .strict
        let clock = ContinuousClock()
        return try await poll(
            "SSH on \(node.name) (\(node.address):\(node.ssh.port))", component: "ssh",
            every: PollSchedule(initial: .milliseconds(250), maximum: .seconds(5)), deadline: clock.now + timeout, clock: clock
        ) { () -> String? in
            do {
                let result = try await shell.run("true", on: node, timeout: .seconds(30))
                guard result.exitStatus == 0 else { return nil }
                return "\(hostKey.type) \(hostKey.blob.suffix(12))"
            } catch let error as HomelabError where error.code == .connectionFailed || error.code == .timedOut {
                logger?.debug("SSH not up yet", metadata: ["node": "\(node.name)", "error": "\(error.code)"])
                return nil
            }
        }
    }
}
