import ArgumentParser
import Foundation
import HomelabCore

extension SwarmCommand {
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Show a service: mode, replicas, image, update state and policy, ports, networks, placement.",
            discussion: "-o json|yaml prints the Engine API's Service object, as docker service inspect does (one object, not a list).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The service: stack_service, stack/service, its inventory name, or an ID.", completion: LiveNames.services)
        var service: String

        func run() async throws {
            let terminal = Terminal.active
            try await HomelabContext.with(config) { context in
                let found = try await SwarmCommand.service(service, context: context)
                let status = try await context.swarm.services.summaries(
                    filters: .id(found.id ?? ""), status: true, logger: context.logger
                ).first
                let row = SwarmServiceRow(status ?? Swarm.ServiceSummary(found), tiers: SwarmCommand.tiers(context.homelab))
                let networks = Dictionary(
                    try await context.swarm.networks.list(logger: context.logger).compactMap { n in n.id.map { ($0, n.name ?? $0) } },
                    uniquingKeysWith: { first, _ in first })
                try output.show(found, ids: [row.id]) { _ in Self.text(found, row: row, networks: networks, terminal: terminal) }
            }
        }

        /// The service for people; `networks` names network IDs.
        static func text(_ service: Swarm.Service, row: SwarmServiceRow, networks names: [String: String], terminal: Terminal) -> String {
            let spec = service.spec
            let now = terminal.now()
            func when(_ date: Date?) -> String { date.map { RelativeTime.describe($0, now: now) } ?? "-" }
            var lines: [(String, String)] = [
                ("Name", row.name), ("ID", row.id), ("Tier", row.tier ?? "- (not in the inventory)"),
                ("Mode", row.mode), ("Replicas", "\(row.replicas_running)/\(row.replicas_desired) running"),
                ("Image", row.image),
            ]
            var update = row.update_state ?? "none"
            if let started = SwarmText.date(service.updateStatus?.startedAt) { update += ", started \(when(started))" }
            if let message = row.update_message { update += ": \(message)" }
            lines.append(("Update", update))
            if let config = spec?.updateConfig {
                var policy: [String] = []
                if let parallelism = config.parallelism { policy.append("parallelism \(parallelism)") }
                if let delay = config.delay { policy.append("delay \(delay)") }
                if let action = config.failureAction { policy.append("on failure \(action.rawValue)") }
                if let monitor = config.monitor { policy.append("monitor \(monitor)") }
                if let order = config.order { policy.append("order \(order.rawValue)") }
                lines.append(("Update policy", policy.joined(separator: ", ")))
            }
            if !row.ports.isEmpty { lines.append(("Ports", row.ports.joined(separator: ", "))) }
            let networks = (spec?.taskTemplate?.networks ?? []).compactMap(\.target).map { names[$0] ?? $0 }
            if !networks.isEmpty { lines.append(("Networks", networks.joined(separator: ", "))) }
            let constraints = spec?.taskTemplate?.placement?.constraints ?? []
            if !constraints.isEmpty { lines.append(("Placement", constraints.joined(separator: ", "))) }
            let labels = (spec?.labels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            if !labels.isEmpty { lines.append(("Labels", labels.joined(separator: " "))) }
            lines.append(("Created", when(row.created_at)))
            lines.append(("Updated", when(row.updated_at)))
            let width = (lines.map(\.0.count).max() ?? 0) + 2
            return lines.map { ($0.0 + ":").padding(toLength: width, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
        }
    }
}
