import ArgumentParser
import Foundation
import HomelabCore

/// `homelab caddy`: the routes Caddy serves, against what caddy-docker-proxy's labels say and what the inventory
/// wants protected. Every listing takes `-o table|wide|json|yaml` and `-q`; `diff` and `unprotected` exit 5 when
/// they find something.
struct CaddyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caddy",
        abstract: "Caddy: live routes, labels against live (diff), unprotected routes, upstream health, reload from labels.",
        subcommands: [Routes.self, Diff.self, Unprotected.self, Upstreams.self, Reload.self])

    /// Opens the inventory's Caddy (and the swarm when `labels`) and reads the routing.
    static func routing(_ config: ConfigOptions, labels: Bool = true, compose: String? = nil) async throws -> (CaddyRouting, Homelab) {
        try await HomelabContext.withConnections(config) { connections in
            let caddy = try await connections.caddy()
            var routing: CaddyRouting
            if let compose {
                routing = try await CaddyRouting.read(caddy: caddy, swarm: nil)
                let file = try ComposeLoader.load(path: compose)
                let stackName = ((compose as NSString).lastPathComponent as NSString).deletingPathExtension
                let stack = try ComposeConverter.convert(file, stack: stackName)
                let generator = CaddyDockerProxy()
                routing.rendering = generator.render(generator.labelledServices(specs: stack.serviceOrder.compactMap { stack.services[$0] }))
            } else {
                routing = try await CaddyRouting.read(caddy: caddy, swarm: labels ? try await connections.swarm() : nil)
            }
            return (routing, connections.homelab)
        }
    }
}

extension CaddyCommand {
    struct Routes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "routes",
            abstract: "The routes the live Caddy serves: host, upstreams, whether Authentik forward auth protects it, the service whose labels name it.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Only this host.", completion: LiveNames.caddyHosts)
        var host: String?

        func run() async throws {
            let (routing, _) = try await CaddyCommand.routing(config)
            let rows = routing.live.filter { host == nil || $0.host == host }.map { CaddyRouteRow($0, owner: routing.owner(of: $0.host)) }
            try output.list(rows, table: CaddyRouteRow.table, id: \.host)
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Per host, what the services' caddy labels say against what the live Caddy serves (exit 5 when they differ).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Read the labels from this compose file's deploy.labels instead of the live swarm.")
        var compose: String?

        func run() async throws {
            let (routing, _) = try await CaddyCommand.routing(config, compose: compose)
            let rows = routing.differences.map(CaddyDifferenceRow.init)
            try output.list(rows, table: CaddyDifferenceRow.table, id: \.host)
            for problem in routing.rendering?.problems ?? [] { output.writer.warn("labels of \(problem.service): \(problem.message)") }
            if rows.isEmpty {
                output.line("the live Caddy serves what the labels say (\(Set(routing.labelled.map(\.host)).count) hosts)")
            } else {
                throw ExitStatus.degraded.code
            }
        }
    }

    struct Unprotected: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unprotected",
            abstract: "Routes that should sit behind Authentik and do not, and public routes without a homelab.public=true label (exit 5 when any).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (routing, homelab) = try await CaddyCommand.routing(config)
            let rows = routing.protectionFindings(homelab: homelab).map(CaddyFindingRow.init)
            try output.list(rows, table: CaddyFindingRow.table, id: \.host)
            if rows.isEmpty {
                output.line("every route is protected or labelled \(Caddy.publicLabel)=true")
            } else {
                throw ExitStatus.degraded.code
            }
        }
    }

    struct Upstreams: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upstreams",
            abstract: "Every upstream Caddy's reverse proxies know: requests in flight, failures, and the routes using it.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (statuses, routes) = try await HomelabContext.withConnections(config) { connections in
                let caddy = try await connections.caddy()
                async let statuses = caddy.upstreams()
                async let config = caddy.config()
                return (try await statuses, Caddy.siteRoutes(in: try await config.value))
            }
            let rows = statuses.map { status in
                CaddyUpstreamRow(status, hosts: routes.filter { $0.upstreams.contains(status.address) }.map(\.host))
            }
            try output.list(rows, table: CaddyUpstreamRow.table, id: \.address)
        }
    }

    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reload",
            abstract: "Render the Caddyfile caddy-docker-proxy would generate from the live labels and POST it to /load (text/caddyfile).",
            discussion: """
                Caddy adapts the Caddyfile itself and swaps configurations atomically (the old one stays if the new one fails). \
                This restores what the labels say: manual admin-API edits are replaced, as caddy-docker-proxy would replace them.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Flag(name: .long, help: "Print the Caddyfile; load nothing.")
        var dryRun = false

        func run() async throws {
            let dryRun = self.dryRun
            let (rendering, warnings) = try await HomelabContext.withConnections(config) { connections in
                let generator = CaddyDockerProxy()
                let rendering = generator.render(try await generator.labelledServices(from: try await connections.swarm()))
                guard !dryRun else { return (rendering, [Caddy.Adaptation.Warning]()) }
                let warnings = try await connections.caddy().load(caddyfile: rendering.text, force: true)
                return (rendering, warnings)
            }
            for problem in rendering.problems { output.writer.warn("labels of \(problem.service): \(problem.message)") }
            let sites = Set(rendering.owners.keys).count
            let document = CaddyReloadResult(
                loaded: !dryRun, sites: sites, caddyfile: rendering.text,
                warnings: warnings.map { "\($0.file ?? "Caddyfile"):\($0.line ?? 0): \($0.message ?? "")" })
            try output.show(document, ids: dryRun ? [] : ["loaded"]) { _ in
                dryRun
                    ? rendering.text.trimmingCharacters(in: .newlines)
                    : "loaded the labels' Caddyfile (\(sites) hosts) into Caddy" + document.warnings.map { "\n  warning: " + $0 }.joined()
            }
        }
    }
}
