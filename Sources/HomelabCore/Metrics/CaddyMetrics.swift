import Logging

/// Caddy's upstream health as metric families: per route (host) and upstream, whether the reverse proxies count
/// failures against it, and per upstream the requests in flight and the failures Caddy reports
/// (`/reverse_proxy/upstreams`). Caddy's own request metrics are Caddy's to export.
///
/// A pure function of what Caddy answered; no I/O in ``families(_:)``.
public enum CaddyMetrics {
    /// What one collection read.
    public struct Reading: Sendable {
        /// The live site routes.
        public var routes: [Caddy.SiteRoute]
        /// The upstreams' counters.
        public var upstreams: [Caddy.UpstreamStatus]

        /// A reading.
        public init(routes: [Caddy.SiteRoute], upstreams: [Caddy.UpstreamStatus]) {
            self.routes = routes
            self.upstreams = upstreams
        }
    }

    /// Reads the configuration and the upstreams concurrently.
    /// - Throws: the first failed call's error.
    public static func read(_ caddy: CaddyClient, logger: Logger? = nil) async throws -> Reading {
        async let config = caddy.config(logger: logger)
        async let upstreams = caddy.upstreams(logger: logger)
        return Reading(routes: Caddy.siteRoutes(in: try await config.value), upstreams: try await upstreams)
    }

    /// The families for one reading.
    public static func families(_ reading: Reading) -> [MetricFamily] {
        var healthy = MetricFamily(
            "homelab_caddy_upstream_healthy",
            help: "1 when Caddy counts no failures against the route's upstream (passive health), else 0.")
        var requests = MetricFamily("homelab_caddy_upstream_requests", help: "Requests in flight to the upstream, as Caddy reports.")
        var fails = MetricFamily("homelab_caddy_upstream_fails", help: "Recent failures Caddy counts against the upstream.")
        var routes = MetricFamily("homelab_caddy_routes", help: "Site routes Caddy serves.")
        var protected = MetricFamily("homelab_caddy_route_protected", help: "1 when the route goes through Authentik's forward auth.")
        let byAddress = Dictionary(reading.upstreams.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        let merged = Caddy.byHost(reading.routes)
        for (host, route) in merged.sorted(by: { $0.key < $1.key }) {
            protected.add(route.isProtected ? 1 : 0, ["host": host])
            for upstream in route.upstreams {
                healthy.add((byAddress[upstream]?.fails ?? 0) == 0 ? 1 : 0, ["host": host, "upstream": upstream])
            }
        }
        for upstream in reading.upstreams.sorted(by: { $0.address < $1.address }) {
            requests.add(Double(upstream.numRequests), ["upstream": upstream.address])
            fails.add(Double(upstream.fails), ["upstream": upstream.address])
        }
        routes.add(Double(merged.count))
        return [healthy, requests, fails, routes, protected]
    }
}
