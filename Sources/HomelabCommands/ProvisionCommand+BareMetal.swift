import ArgumentParser
import Foundation
import HomelabCore
import Logging

extension ProvisionCommand {
    /// `homelab provision bare-metal NODE`: register a bare-metal node for network boot (matchbox profile and group,
    /// dnsmasq entry); a dry run with a diff per file unless `--apply`.
    struct BareMetal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bare-metal",
            abstract: "Register a bare-metal node for network boot: matchbox profile + group by its MAC, dnsmasq entry.",
            discussion: """
                The node's mac: selects a matchbox group (groups/NODE.json) booting an install profile: Debian's network
                installer answered by a preseed template (--os debian), or Talos (--os talos; put its machine config at
                generic/talos-NODE.yaml yourself: it holds cluster secrets). dnsmasq's file (components.dnsmasq) is
                regenerated from the pxe: block with the node's dhcp-host entry. Everything is validated together first
                (profiles exist, no two groups with the same selectors, templates render for the node, boot files in the
                TFTP root). Without --apply nothing is written: the diff of each file is shown. Exit 2 when the plan has
                problems (nothing written).
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The inventory node (platform bare-metal, with mac:).")
        var node: String
        @Option(name: .long, help: "What it installs: debian or talos.")
        var os: String = "debian"
        @Option(name: .long, help: "A public key file the installed system authorizes (repeatable; default: the node's identity_file with .pub).")
        var authorizedKey: [String] = []
        @Option(name: .long, help: "The Debian release under assets/debian/.") var debianRelease = "bookworm"
        @Option(name: .long, help: "The Talos version under assets/talos/.") var talosVersion = "v1.11.5"
        @Flag(name: .long, help: "Write the files (default: a dry run showing the diffs).") var apply = false
        @Option(name: .long, help: "known_hosts for the nodes (default $HOMELAB_KNOWN_HOSTS, ~/.ssh/known_hosts).")
        var knownHosts: String?

        struct Document: Encodable {
            struct File: Encodable {
                var component: String
                var path: String
                var changes: Bool
                var diff: String
            }
            var node: String
            var os: String
            var files: [File]
            var issues: [PXEIssueRow]
            var valid: Bool
            var applied: Bool
            var note: String?
        }

        func run() async throws {
            guard let system = BareMetalProvisioning.OperatingSystem(rawValue: os) else {
                throw ValidationError("--os is debian or talos, not '\(os)'")
            }
            let environment = ProcessInfo.processInfo.environment
            let (node, apply, keyFiles, knownHosts) = (self.node, self.apply, authorizedKey, self.knownHosts)
            let (debianRelease, talosVersion) = (self.debianRelease, self.talosVersion)
            let document = try await HomelabContext.withConnections(config) { connections -> Document in
                guard let target = connections.homelab.node(named: node) else {
                    throw ValidationError("no node '\(node)' in \(config.path)")
                }
                var files = keyFiles
                if files.isEmpty, let identity = target.ssh.identityFile {
                    let home = environment["HOME"] ?? ""
                    let pub = (identity.hasPrefix("~/") ? home + identity.dropFirst(1) : identity) + ".pub"
                    if FileManager.default.fileExists(atPath: pub) { files = [pub] }
                }
                let keys = try files.map { try ProvisionCommand.VM.read($0, what: "--authorized-key") }
                let shell = knownHosts.flatMap {
                    HomelabContext.nodeShell(knownHosts: $0, environment: environment, logger: connections.logger ?? .init(label: "homelab.provision"))
                }
                let dnsmasq = connections.homelab.components[.dnsmasq] == nil ? nil : try connections.dnsmasqFile(shell: shell)
                let provisioning = BareMetalProvisioning(
                    homelab: connections.homelab, matchbox: try connections.matchboxDirectory(shell: shell), dnsmasq: dnsmasq,
                    logger: connections.logger)
                let request = BareMetalProvisioning.Request(
                    node: target, operatingSystem: system, authorizedKeys: keys, debianRelease: debianRelease, talosVersion: talosVersion)
                let plan = try await provisioning.plan(request)
                var applied = false
                if apply, plan.isValid {
                    try await provisioning.apply(plan)
                    applied = true
                }
                let issues = plan.matchboxIssues.map(PXEIssueRow.init) + plan.dnsmasqIssues.map { PXEIssueRow($0, component: "dnsmasq") }
                return Document(
                    node: node, os: system.rawValue,
                    files: plan.files.map { .init(component: $0.component, path: $0.path, changes: $0.changes, diff: $0.diff) },
                    issues: issues, valid: plan.isValid, applied: applied, note: plan.dnsmasqSkipped)
            }
            try output.show(document, ids: document.files.filter(\.changes).map(\.path)) { _ in Self.text(document) }
            if !document.valid { throw ExitStatus.pausedOrRefused.code }
        }

        static func text(_ document: Document) -> String {
            var lines: [String] = []
            for file in document.files {
                if file.changes {
                    lines.append("\(file.component) \(file.path):")
                    lines.append(file.diff.hasSuffix("\n") ? String(file.diff.dropLast()) : file.diff)
                } else {
                    lines.append("\(file.component) \(file.path): unchanged")
                }
            }
            if let note = document.note { lines.append("note: \(note)") }
            for issue in document.issues { lines.append("\(issue.severity): \(issue.place): \(issue.message)") }
            let changed = document.files.filter(\.changes).count
            if document.applied {
                lines.append("wrote \(changed) file(s): \(document.node) network-boots the \(document.os) installer on its next PXE boot")
            } else if !document.valid {
                lines.append("refused: the plan has errors; nothing written")
            } else {
                lines.append("dry run: nothing written; --apply writes \(changed) file(s)")
            }
            return lines.joined(separator: "\n")
        }
    }
}
