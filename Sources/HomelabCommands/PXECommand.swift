import ArgumentParser
import Foundation
import HomelabCore

/// `homelab pxe`: network boot of the bare-metal nodes. matchbox's profiles and groups (read from its data directory,
/// on its node over SSH or on this machine), which group a machine gets and why (matchbox's own choice, checked
/// against its HTTP API), the data directory's validation, and the dnsmasq configuration the inventory's `pxe:`
/// block generates. Listings take `-o table|wide|json|yaml` and `-q`.
struct PXECommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pxe",
        abstract: "Network boot: matchbox profiles and groups, which group a MAC gets, validation, dnsmasq's config.",
        subcommands: [Profiles.self, Groups.self, Which.self, Validate.self, DnsmasqConfig.self])

    /// Reads matchbox's data directory through the inventory's connections.
    static func data(_ config: ConfigOptions) async throws -> (Homelab, MatchboxData) {
        try await HomelabContext.withConnections(config) { connections in
            (connections.homelab, try await connections.matchboxDirectory().load())
        }
    }
}

extension PXECommand {
    struct Profiles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "profiles", abstract: "matchbox's profiles: kernel, templates, the groups booting each.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (_, data) = try await PXECommand.data(config)
            let rows = data.profileFiles.sorted { $0.key < $1.key }.map { PXEProfileRow(key: $0.key, profile: $0.value, data: data) }
            try output.list(rows, table: PXEProfileRow.table, id: \.id)
        }
    }

    struct Groups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "groups",
            abstract: "matchbox's groups in the order matchbox tries them: profile, selectors, the inventory node they select.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (homelab, data) = try await PXECommand.data(config)
            let keys = Dictionary(data.groupFiles.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
            let rows = Matchbox.Selection.ordered(Array(data.groupFiles.values)).map { group in
                PXEGroupRow(key: keys[group] ?? group.id, group: group, data: data, homelab: homelab)
            }
            try output.list(rows, table: PXEGroupRow.table, id: \.id)
        }
    }

    struct Which: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "which",
            abstract: "The group a machine gets and why: a MAC (or a bare-metal node's name) and other labels.",
            discussion: """
                Chooses as matchbox does: the groups whose selectors all equal the labels, the one with the most selectors
                first (equal counts by their sorted k=v text, descending). Then asks matchbox's /ipxe with the same labels
                (unless --offline) and says whether it agrees. Exit 5 when no group matches or matchbox disagrees.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("A MAC address (52:54:00:a1:00:21, 52-54-00-...) or a bare-metal NODE's name.", valueName: "node-or-mac"))
        var target: String
        @Option(name: .long, help: "The os label (installed after an install).") var os: String?
        @Option(name: .long, help: "The uuid label.") var uuid: String?
        @Option(name: .long, help: "The hostname label.") var hostname: String?
        @Option(name: .long, help: "Another label, KEY=VALUE (repeatable).") var label: [String] = []
        @Flag(name: .long, help: "Only read the data directory; do not ask matchbox's HTTP API.") var offline = false

        func run() async throws {
            let target = self.target
            let document = try await HomelabContext.withConnections(config) { connections -> PXEWhichDocument in
                let homelab = connections.homelab
                var node: String?
                let mac: String
                if let parsed = Matchbox.MAC(target) {
                    mac = parsed.description
                    node = homelab.nodes.first { $0.mac == mac }?.name
                } else if let named = homelab.node(named: target) {
                    guard let nodeMAC = named.mac else { throw ValidationError("node \(target) has no mac: in the inventory") }
                    mac = nodeMAC
                    node = named.name
                } else {
                    throw ValidationError("'\(target)' is neither a MAC address nor a node of the inventory")
                }
                var extra: [String: String] = [:]
                for item in label {
                    let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--label wants KEY=VALUE, got '\(item)'") }
                    extra[parts[0]] = parts[1]
                }
                let labels = MatchboxClient.Labels(mac: mac, uuid: uuid, hostname: hostname, os: os, extra: extra)
                let data = try await connections.matchboxDirectory().load()
                let selection = data.which(Matchbox.labels(labels.query))
                let chosen = selection.chosen
                let profile = chosen.flatMap { data.profile($0.profile) }
                var served: PXEWhichDocument.Served?
                if !offline {
                    let place = connections.place(of: .matchbox)
                    do {
                        let script = try await connections.matchbox().ipxe(labels)
                        served = .init(url: place, kernel: script.kernel, agrees: script.kernel == profile?.boot?.kernel, error: nil)
                    } catch let error as HomelabError {
                        served = .init(url: place, kernel: nil, agrees: error.code == .notFound ? (profile?.boot == nil) : nil, error: error.message)
                    }
                }
                return PXEWhichDocument(
                    labels: selection.labels, node: node, group: chosen?.id, profile: profile?.id ?? chosen?.profile,
                    kernel: profile?.boot?.kernel, reason: selection.reason,
                    candidates: selection.candidates.map(Self.candidate), served: served)
            }
            try output.show(document, ids: [document.group].compactMap { $0 }) { _ in Self.text(document) }
            if document.group == nil || document.served?.agrees == false { throw ExitStatus.degraded.code }
        }

        static func candidate(_ candidate: Matchbox.Selection.Candidate) -> PXEWhichDocument.Candidate {
            let (outcome, detail): (String, String)
            switch candidate.outcome {
            case .chosen: (outcome, detail) = ("chosen", "every selector matches")
            case .outranked(let winner): (outcome, detail) = ("outranked", "matches, but \(winner) is tried first")
            case .mismatch(let key, let wanted, let actual):
                (outcome, detail) = ("mismatch", "\(key) is \(actual.map { "'\($0)'" } ?? "not sent"), the group wants '\(wanted)'")
            }
            return .init(group: candidate.group.id, selector: candidate.group.selector, outcome: outcome, detail: detail)
        }

        static func text(_ document: PXEWhichDocument) -> String {
            let asked = document.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            var lines: [String] = []
            let who = document.node.map { "\($0) (\(asked))" } ?? asked
            if let group = document.group {
                lines.append("\(who) gets group \(group) -> profile \(document.profile ?? "?")\(document.kernel.map { ", kernel \($0)" } ?? "")")
            } else {
                lines.append("\(who) gets no group")
            }
            lines.append("why: \(document.reason)")
            if !document.candidates.isEmpty {
                lines.append("groups in matchbox's order:")
                for candidate in document.candidates {
                    let selectors = candidate.selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                    lines.append("  \(candidate.outcome.padding(toLength: 9, withPad: " ", startingAt: 0)) \(candidate.group) [\(selectors.isEmpty ? "default" : selectors)]: \(candidate.detail)")
                }
            }
            if let served = document.served {
                if let error = served.error {
                    lines.append("matchbox (\(served.url)) /ipxe: \(error)\(served.agrees == true ? " (as expected: the profile has no boot)" : "")")
                } else {
                    lines.append("matchbox (\(served.url)) /ipxe boots \(served.kernel ?? "?")\(served.agrees == true ? ": agrees" : ": DISAGREES with the data directory")")
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check matchbox's data directory and the dnsmasq configuration; exit 5 when there are errors.",
            discussion: """
                matchbox: files that do not parse, groups whose profile is missing, MAC selectors that do not parse, groups with
                identical selectors, missing templates, templates that fail to render for a group (with line and column), boot
                assets missing from assets/. dnsmasq (when the inventory has a pxe: block and components.dnsmasq): the boot
                files in the TFTP root.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let rows = try await HomelabContext.withConnections(config) { connections -> [PXEIssueRow] in
                var rows = try await connections.matchboxDirectory().load().validate().map(PXEIssueRow.init)
                if connections.homelab.pxe != nil, let store = try connections.dnsmasqNodeFiles() {
                    let configuration = try DnsmasqConfiguration(homelab: connections.homelab)
                    let files = try await store.list(configuration.settings.tftpRoot)
                    rows += configuration.check(tftpFiles: files).map { PXEIssueRow($0, component: "dnsmasq") }
                }
                return rows
            }
            if rows.isEmpty, !output.format.isStructured, !output.quiet {
                output.line("no problems found")
            } else {
                try output.list(rows, table: PXEIssueRow.table, id: \.place)
            }
            if rows.contains(where: { $0.severity == "error" }) { throw ExitStatus.degraded.code }
        }
    }

    struct DnsmasqConfig: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dnsmasq-config",
            abstract: "The dnsmasq configuration the inventory's pxe: block generates (proxy-DHCP or full DHCP).",
            discussion: """
                --test runs this machine's `dnsmasq --test` on it; --diff compares it with the file on dnsmasq's node
                (components.dnsmasq). `homelab provision bare-metal NODE --apply` writes it.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "proxy or dhcp (default: the pxe: block's mode).") var mode: String?
        @Flag(name: .long, help: "Check it with this machine's dnsmasq --test (exit 1 when it refuses).") var test = false
        @Flag(name: .long, help: "Show the difference with the file on dnsmasq's node instead.") var diff = false

        struct Document: Encodable {
            var mode: String
            var path: String?
            var text: String
            var diff: String?
            var test: String?
        }

        func run() async throws {
            var chosen: PXESettings.Mode?
            if let mode {
                guard let value = PXESettings.Mode(rawValue: mode) else { throw ValidationError("--mode is proxy or dhcp, not '\(mode)'") }
                chosen = value
            }
            let showDiff = diff
            var document = try await HomelabContext.withConnections(config) { connections -> Document in
                let configuration = try DnsmasqConfiguration(homelab: connections.homelab, mode: chosen)
                var document = Document(mode: configuration.mode.rawValue, path: nil, text: configuration.render())
                if showDiff {
                    let (store, path) = try connections.dnsmasqFile()
                    let before = try await store.read(path).map { String(decoding: $0, as: UTF8.self) }
                    document.path = path
                    document.diff = FileDiff.unified(before, document.text, path: path)
                }
                return document
            }
            if test {
                let result = try DnsmasqSyntaxCheck.run(document.text)
                document.test = result.output
                if !result.passed {
                    output.writer.warn("dnsmasq --test refused it: \(result.output)")
                    throw ExitStatus.error.code
                }
                output.line("dnsmasq --test: \(result.output)")
            }
            let shown = document
            try output.show(shown) { _ in
                if showDiff { return (shown.diff ?? "").isEmpty ? "no difference with \(shown.path ?? "the file")" : shown.diff ?? "" }
                return shown.text.hasSuffix("\n") ? String(shown.text.dropLast()) : shown.text
            }
        }
    }
}

/// Runs this machine's `dnsmasq --test -C FILE` on a configuration text.
enum DnsmasqSyntaxCheck {
    /// Where dnsmasq usually is.
    static let candidates = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq", "/usr/local/sbin/dnsmasq"]

    /// The dnsmasq binary, if installed.
    static var binary: String? { candidates.first { FileManager.default.isExecutableFile(atPath: $0) } }

    /// Whether dnsmasq accepts `text`, and what it said.
    /// - Throws: `ValidationError` when dnsmasq is not installed or cannot run.
    static func run(_ text: String) throws -> (passed: Bool, output: String) {
        guard let binary else { throw ValidationError("--test needs dnsmasq on this machine (Debian: apt install dnsmasq-base)") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-dnsmasq-\(getpid())-\(UUID().uuidString.prefix(8)).conf")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try Data(text.utf8).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--test", "-C", file.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus == 0, String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw ValidationError("dnsmasq --test could not run: \(error)")
        }
    }
}
