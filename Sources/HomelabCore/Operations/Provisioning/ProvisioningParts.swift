import Foundation
import Logging

/// Creates or registers a new node's machine: the first step of `homelab provision NODE`.
public protocol ProvisioningMachine: Sendable {
    /// Creates the machine for `node`, or finds it in place.
    /// - Returns: whether anything changed, and what was done or found.
    /// - Throws: the component's ``HomelabError``s.
    func provision(_ node: Homelab.Node) async throws -> (changed: Bool, detail: String)
}

/// A `proxmox-vm` node's machine: ``VMProvisioning/createMachine(node:authorizedKeys:ipConfig:cloudInitCustom:timeout:progress:)``.
public struct ProxmoxMachine: ProvisioningMachine {
    let provisioning: VMProvisioning
    let authorizedKeys: [String]
    let ipConfig: String?
    let cloudInitCustom: String?
    let timeout: Duration

    /// A machine step cloning through `provisioning`, cloud-init authorizing `authorizedKeys`.
    public init(
        provisioning: VMProvisioning, authorizedKeys: [String], ipConfig: String? = nil, cloudInitCustom: String? = nil,
        timeout: Duration = .seconds(900)
    ) {
        self.provisioning = provisioning
        self.authorizedKeys = authorizedKeys
        self.ipConfig = ipConfig
        self.cloudInitCustom = cloudInitCustom
        self.timeout = timeout
    }

    /// Clones (unless the VM exists), writes cloud-init, starts (unless it runs).
    /// - Throws: as ``VMProvisioning/createMachine(node:authorizedKeys:ipConfig:cloudInitCustom:timeout:progress:)``.
    public func provision(_ node: Homelab.Node) async throws -> (changed: Bool, detail: String) {
        let lines = LineCollector()
        let changed = try await provisioning.createMachine(
            node: node, authorizedKeys: authorizedKeys, ipConfig: ipConfig, cloudInitCustom: cloudInitCustom, timeout: timeout
        ) { event in
            switch event {
            case .started: break
            case .finished(let step, let detail): lines.append("\(step.rawValue): \(detail)")
            case .skipped(let step, let reason): lines.append("\(step.rawValue): \(reason)")
            }
        }
        return (changed, lines.joined)
    }
}

/// A `bare-metal` node's machine: its PXE registration (``BareMetalProvisioning``), written when it changes.
public struct PXEMachine: ProvisioningMachine {
    let provisioning: BareMetalProvisioning
    let request: BareMetalProvisioning.Request

    /// A machine step registering `request` (its node is replaced by the node provisioned).
    public init(provisioning: BareMetalProvisioning, request: BareMetalProvisioning.Request) {
        self.provisioning = provisioning
        self.request = request
    }

    /// Plans the registration and writes the changed files.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the plan has problems (nothing written); the stores' errors.
    public func provision(_ node: Homelab.Node) async throws -> (changed: Bool, detail: String) {
        var request = request
        request.node = node
        let plan = try await provisioning.plan(request)
        let written = try await provisioning.apply(plan)
        if written.isEmpty { return (false, "matchbox group and dnsmasq entry for \(node.mac ?? "?") in place") }
        return (true, "wrote \(written.map { "\($0.component) \($0.path)" }.joined(separator: ", ")); the machine installs on its next PXE boot")
    }
}

/// Makes a new node join the swarm (`POST /swarm/join` on the node's own engine).
public protocol SwarmJoining: Sendable {
    /// Joins `node`'s engine to the swarm with `request` (its token is a ``Secret``, never in an argv or a log).
    /// - Throws: ``HomelabError``: the engine refused (already in a swarm, bad token, manager unreachable).
    func join(_ node: Homelab.Node, _ request: Swarm.SwarmJoinRequest, timeout: Duration) async throws
}

/// Joins through the node's Docker API reached directly (a socket or URL the caller opened): tests, and nodes whose
/// engine the SDK can reach.
public struct DockerAPISwarmJoin: SwarmJoining {
    let engine: SwarmClient

    /// Joins through `engine`, the new node's own Docker API.
    public init(engine: SwarmClient) { self.engine = engine }

    /// `POST /swarm/join` on the engine.
    /// - Throws: the engine's ``HomelabError``.
    public func join(_ node: Homelab.Node, _ request: Swarm.SwarmJoinRequest, timeout: Duration) async throws {
        try await engine.swarm.join(request)
    }
}

/// Joins over SSH: the request body goes to the node's Docker socket through `curl` reading it from standard input,
/// so the token is never on a command line (`docker swarm join --token` would put it in the process list).
public struct SSHSwarmJoin: SwarmJoining {
    let shell: SSHNodeShell
    let socket: String

    /// Joins through `shell`, posting to `socket` on the node (run with `sudo -n` unless the login is root).
    public init(shell: SSHNodeShell, socket: String = "/var/run/docker.sock") {
        self.shell = shell
        self.socket = socket
    }

    /// Runs `curl --unix-socket SOCKET --data-binary @- http://docker/swarm/join` with the JSON body on stdin.
    /// - Throws: ``HomelabError/Code/commandFailed`` with Docker's message when the engine refuses; SSH errors.
    public func join(_ node: Homelab.Node, _ request: Swarm.SwarmJoinRequest, timeout: Duration) async throws {
        let body = try JSONEncoder().encode(request)
        let sudo = node.ssh.user == "root" ? "" : "sudo -n "
        let command =
            "\(sudo)curl -sS --max-time 60 --unix-socket '\(socket)' -H 'Content-Type: application/json' --data-binary @- "
            + "-w '\\n%{http_code}' http://docker/swarm/join"
        let session = SSHSession(configuration: try shell.configuration(for: node, timeout: timeout), logger: shell.logger)
        let result: SSHCommandResult
        do {
            result = try await session.run(command, stdin: Array(body), timeout: timeout)
            await session.close()
        } catch {
            await session.close()
            throw error
        }
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let status = lines.last.map(String.init) ?? ""
        guard result.exitStatus == 0, status == "200" else {
            let message = lines.dropLast().joined(separator: " ") + String(decoding: result.stderr, as: UTF8.self)
            throw HomelabError(
                .commandFailed, "swarm join on \(node.name) failed (HTTP \(status.isEmpty ? "none" : status)): \(Redaction.redactText(message))",
                component: "docker")
        }
    }
}

/// Collects progress lines from a `@Sendable` callback.
final class LineCollector: Sendable {
    private let lines = Locked<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var joined: String { lines.withLock { $0.joined(separator: "; ") } }
}
