import ArgumentParser
import Foundation
import HomelabCommands
import HomelabCore
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `homelab-exporter`: Prometheus metrics for the homelab.
@main
struct HomelabExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homelab-exporter",
        abstract: "Serve Prometheus metrics about the homelab's components (/metrics, /probe?target=COMPONENT).",
        discussion: """
            Every scrape collects fresh values from every component concurrently, under the deadline Prometheus \
            sends (X-Prometheus-Scrape-Timeout-Seconds minus 0.5 s; 10 s without it). A component that does not \
            answer in time gives homelab_up 0, never a failed scrape. SIGTERM or SIGINT finishes the scrapes in \
            flight, then exits 0. The default port, \(ExporterDefaults.port), lies outside 9100-9999, the range \
            the Prometheus default-port allocations page has wholly given out.
            """,
        version: HomelabVersion.string)

    @OptionGroup var inventory: ConfigOptions

    @Option(name: .long, help: "Address to listen on, HOST:PORT (port 0 picks a free one).")
    var listen: String = "127.0.0.1:\(ExporterDefaults.port)"

    @Option(name: .long, help: "State store with the rollout journal (default: the CLI's, when it exists).")
    var state: String?

    @Option(
        name: .long,
        help: "Evaluate homelab check (homelab_check_findings{rule}) at most once per this many seconds; 0 turns it off.")
    var checkInterval: Int = 300

    @Option(
        name: .long,
        help: "Evaluate homelab drift (homelab_drift_services{stack,kind}) at most once per this many seconds; 0 turns it off (off too without Forgejo in the inventory).")
    var driftInterval: Int = 300

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let (host, port) = try ExporterDefaults.parseListen(listen)
        var logger = Logger(label: "homelab-exporter")
        logger.logLevel = inventory.verbose ? .debug : .notice
        let journal = try Self.journal(state: state, environment: environment)
        let source = try ExporterSource.open(inventory, environment: environment, journal: journal)
        guard checkInterval >= 0 else { throw ValidationError("--check-interval \(checkInterval): give seconds, 0 or more") }
        guard driftInterval >= 0 else { throw ValidationError("--drift-interval \(driftInterval): give seconds, 0 or more") }
        let connections = source.connections
        let checks = checkInterval == 0
            ? nil : CheckMetrics(interval: .seconds(checkInterval)) { await HomelabCheck.run(connections: connections) }
        let drifts = driftInterval == 0 || connections.homelab.components[.forgejo] == nil
            ? nil : DriftMetrics(interval: .seconds(driftInterval), detector: DriftDetector(connections: connections))
        let exporter = Exporter(
            collector: HomelabCollector(source: source, logger: inventory.verbose ? logger : nil), checks: checks, drifts: drifts)
        let application = Application(
            router: ExporterRoutes.router(exporter),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                StandardError.write("homelab-exporter listening on http://\(host):\(bound)/metrics\n")
            },
            logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await source.connections.close()
            throw error
        }
        await source.connections.close()
    }

    /// The rollout journal: `--state`, else the CLI's default store when it exists (the exporter never creates one).
    static func journal(state: String?, environment: [String: String]) throws -> RolloutJournal? {
        if let state { return try StateStore(path: state).rolloutJournal }
        guard let path = try? StateStore.defaultPath(environment: environment), FileManager.default.fileExists(atPath: path) else {
            return nil
        }
        return try StateStore(path: path).rolloutJournal
    }
}

/// The exporter's defaults and argument parsing.
enum ExporterDefaults {
    /// The default port: outside 9090-9999, the Prometheus ecosystem's allocated ports.
    static let port = 9089

    /// `HOST:PORT` (`[::1]:PORT` for IPv6) as a host and a port.
    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen \(text): give HOST:PORT, e.g. 0.0.0.0:\(port)")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}

/// Writes to standard error (the exporter's only output besides HTTP).
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
