import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `homelab provision NODE`: the whole pipeline (``Node``); `homelab provision vm NODE`: the provisioning step of a `proxmox-vm` node (clone its template, cloud-init,
/// start, wait for SSH with the host key the VM was given).
struct ProvisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision", abstract: "Provision a node end to end (provision NODE), or one machine step (vm, bare-metal).",
        subcommands: [Node.self, VM.self, BareMetal.self], defaultSubcommand: Node.self)
}

extension ProvisionCommand {
    struct VM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vm",
            abstract: "Create a proxmox-vm node's VM from its template and wait until SSH answers with its host key.",
            discussion: """
                The node's proxmox: {node, vmid, template} block says where. Cloud-init gets the node's SSH user, the
                authorized keys (default: the node's identity_file with .pub) and the address (--ip-config, default
                ip=<address>/24). SSH must then answer with exactly the host key in --host-key (the public line of
                the key the VM was given, through the template's cicustom snippet), checked before logging in.
                """)
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The inventory node (platform proxmox-vm).")
        var node: String
        @Option(name: .long, help: "File with the VM's SSH host public key (ssh-ed25519 AAAA...).")
        var hostKey: String
        @Option(name: .long, help: "A public key file to authorize (repeatable).")
        var authorizedKey: [String] = []
        @Option(name: .long, help: "cloud-init ipconfig0, e.g. ip=10.0.0.13/24,gw=10.0.0.1.")
        var ipConfig: String?
        @Option(name: .long, help: "cloud-init cicustom, e.g. user=local:snippets/ching.yaml.")
        var cicustom: String?
        @Option(name: .long, help: "Seconds the whole step may take.")
        var timeout = 900
        @Option(name: .long, help: "known_hosts for the other nodes (default $HOMELAB_KNOWN_HOSTS, ~/.ssh/known_hosts).")
        var knownHosts: String?

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let hostKeyLine = try Self.read(hostKey, what: "--host-key")
            let terminal = Terminal.active
            try await ProxmoxCommand.action {
                try await HomelabContext.withConnections(config, environment: environment) { connections in
                    guard let target = connections.homelab.node(named: node) else {
                        throw ValidationError("no node '\(node)' in \(config.path)")
                    }
                    var keyFiles = authorizedKey
                    if keyFiles.isEmpty, let identity = target.ssh.identityFile {
                        let home = environment["HOME"] ?? ""
                        keyFiles = [(identity.hasPrefix("~/") ? home + identity.dropFirst(1) : identity) + ".pub"]
                    }
                    guard !keyFiles.isEmpty else { throw ValidationError("give --authorized-key (the node has no identity_file)") }
                    let keys = try keyFiles.map { try Self.read($0, what: "--authorized-key") }
                    guard let shell = HomelabContext.nodeShell(
                        knownHosts: knownHosts, environment: environment, logger: connections.logger ?? .init(label: "homelab.provision"))
                    else { throw HomelabContext.knownHostsMissing }
                    let provisioning = VMProvisioning(proxmox: try await connections.proxmox(), ssh: shell, logger: connections.logger)
                    let request = VMProvisioning.Request(
                        node: target, authorizedKeys: keys, hostKey: try ExpectedHostKey(publicKeyLine: hostKeyLine), ipConfig: ipConfig,
                        cloudInitCustom: cicustom, timeout: .seconds(max(1, timeout)))
                    try await provisioning.run(request) { event in
                        switch event {
                        case .started(let step): terminal.print("\(step.rawValue): ...")
                        case .finished(let step, let detail): terminal.print("\(step.rawValue): \(detail)")
                        case .skipped(let step, let reason): terminal.print("\(step.rawValue): skipped (\(reason))")
                        }
                    }
                }
            }
        }

        static func read(_ path: String, what: String) throws -> String {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("\(what): cannot read \(path)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
