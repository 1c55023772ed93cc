import Foundation

import Logging

/// The homelab's routing as one reading: the routes the live Caddy serves, and (when the swarm answers) what
/// caddy-docker-proxy would generate from the services' labels, with which service names which host.
///
/// `homelab caddy routes|diff|unprotected`, the REPL, the demo and the exporter all read it here.
public struct CaddyRouting: Sendable {
    /// The live configuration's site routes.
    public var live: [Caddy.SiteRoute]
    /// What the labels generate; `nil` when the labels were not read.
    public var rendering: CaddyDockerProxy.Rendering?

    /// A reading.
    public init(live: [Caddy.SiteRoute], rendering: CaddyDockerProxy.Rendering?) {
        self.live = live
        self.rendering = rendering
    }

    /// Reads the live configuration and, when `swarm` is given, the labelled services (concurrently).
    /// - Throws: Caddy's or the swarm's ``HomelabError``s.
    public static func read(
        caddy: CaddyClient, swarm: SwarmClient?, generator: CaddyDockerProxy = CaddyDockerProxy(), logger: Logger? = nil
    ) async throws -> CaddyRouting {
        async let config = caddy.config(logger: logger)
        var rendering: CaddyDockerProxy.Rendering?
        if let swarm { rendering = generator.render(try await generator.labelledServices(from: swarm, logger: logger)) }
        return CaddyRouting(live: Caddy.siteRoutes(in: try await config.value), rendering: rendering)
    }

    /// The site routes the labels say (empty without a rendering).
    public var labelled: [Caddy.SiteRoute] { rendering.map { Caddy.siteRoutes(in: $0.caddyfile) } ?? [] }

    /// The Swarm service whose labels name `host`, if the labels were read.
    public func owner(of host: String) -> String? { rendering?.owners[host]?.first }

    /// Labels against live, per host.
    public var differences: [Caddy.RouteDifference] { Caddy.differences(labels: labelled, live: live) }

    /// Live routes that should be protected and are not, and public routes not labelled public.
    public func protectionFindings(homelab: Homelab) -> [Caddy.ProtectionFinding] {
        let labels = rendering?.services.mapValues(\.labels) ?? [:]
        return Caddy.protectionFindings(live: live, owners: rendering?.owners ?? [:], labels: labels, homelab: homelab)
    }
}
