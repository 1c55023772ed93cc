import Foundation
import Logging

/// One ingress route as the forward-auth check sees it: the host Caddy serves and whether Caddy sends it through
/// Authentik's forward auth.
public struct ForwardAuthRoute: Sendable, Hashable, Codable {
    /// The host (`grafana.home.arpa`), compared case-insensitively.
    public var host: String
    /// Whether requests pass Authentik's forward auth first.
    public var isProtected: Bool

    /// A route.
    public init(host: String, isProtected: Bool) {
        self.host = host.lowercased()
        self.isProtected = isProtected
    }
}

extension ForwardAuthRoute {
    /// The routes a live Caddy serves (``Caddy/siteRoutes(in:)-swift.type.method``), one per host: several routes of
    /// one host merged, protected when any of them goes through forward auth; the host-less catch-all left out.
    public static func routes(from siteRoutes: [Caddy.SiteRoute]) -> [ForwardAuthRoute] {
        Caddy.byHost(siteRoutes).values
            .filter { !$0.host.isEmpty && $0.host != "*" }
            .map { ForwardAuthRoute(host: $0.host, isProtected: $0.isProtected) }
            .sorted { $0.host < $1.host }
    }
}

/// What Authentik holds for forward auth: applications, proxy providers, outposts and the health of each outpost's
/// running instances. Read once with ``read(from:logger:)``; checked without I/O by ``ForwardAuthCheck``.
public struct AuthentikForwardAuthState: Sendable, Hashable {
    /// Every application.
    public var applications: [Authentik.Application]
    /// Every proxy provider.
    public var proxyProviders: [Authentik.ProxyProvider]
    /// Every outpost.
    public var outposts: [Authentik.Outpost]
    /// The running instances of each outpost, by outpost UUID.
    public var health: [String: [Authentik.OutpostHealth]]

    /// A state.
    public init(
        applications: [Authentik.Application], proxyProviders: [Authentik.ProxyProvider], outposts: [Authentik.Outpost],
        health: [String: [Authentik.OutpostHealth]]
    ) {
        self.applications = applications
        self.proxyProviders = proxyProviders
        self.outposts = outposts
        self.health = health
    }

    /// Reads the state from Authentik: three listings and one health request per outpost, concurrently.
    /// - Throws: ``HomelabError`` from any request.
    public static func read(from client: AuthentikClient, logger: Logger? = nil) async throws -> AuthentikForwardAuthState {
        async let applications = client.applications.list(logger: logger).collect()
        async let providers = client.providers.proxies(logger: logger).collect()
        let outposts = try await client.outposts.list(logger: logger).collect()
        let health = try await withThrowingTaskGroup(of: (String, [Authentik.OutpostHealth]).self) { group in
            for outpost in outposts {
                group.addTask { (outpost.pk, try await client.outposts.health(outpost.pk, logger: logger)) }
            }
            var health: [String: [Authentik.OutpostHealth]] = [:]
            for try await (pk, instances) in group { health[pk] = instances }
            return health
        }
        return AuthentikForwardAuthState(
            applications: try await applications, proxyProviders: try await providers, outposts: outposts, health: health)
    }
}

/// One problem the forward-auth check found.
public struct ForwardAuthFinding: Sendable, Hashable, Codable {
    /// What kind of problem.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A protected host has no proxy provider (or it is not in a forward-auth mode).
        case noProvider = "no-provider"
        /// A protected host's provider is bound to no application.
        case noApplication = "no-application"
        /// A protected host's provider is bound to no outpost: nothing answers its forward-auth checks.
        case noOutpost = "no-outpost"
        /// The outposts serving a protected host have no instance that checked in recently.
        case outpostUnhealthy = "outpost-unhealthy"
        /// An application's provider points at a host that no route serves.
        case unroutedHost = "unrouted-host"
    }

    /// What kind of problem.
    public var kind: Kind
    /// The host concerned.
    public var host: String
    /// The application concerned, when there is one.
    public var application: String?
    /// What is wrong, in a sentence.
    public var detail: String

    /// A finding.
    public init(kind: Kind, host: String, application: String?, detail: String) {
        self.kind = kind
        self.host = host
        self.application = application
        self.detail = detail
    }
}

/// The consistency check between ingress routes and Authentik, for `homelab auth check`: every route Caddy protects
/// has an application with a forward-auth proxy provider whose external host matches, bound to an outpost with a
/// healthy instance; and no application's provider points at a host that no route serves.
public enum ForwardAuthCheck {
    /// The findings, sorted by host then kind; empty when everything agrees.
    /// - Parameters:
    ///   - healthWindow: how recently an outpost instance must have checked in to count as healthy.
    public static func findings(
        routes: [ForwardAuthRoute], state: AuthentikForwardAuthState, now: Date = Date(), healthWindow: TimeInterval = 300
    ) -> [ForwardAuthFinding] {
        var findings: [ForwardAuthFinding] = []
        let routed = Set(routes.map(\.host))
        let applicationsByProvider = Dictionary(
            state.applications.compactMap { app in app.provider.map { ($0, app) } }, uniquingKeysWith: { first, _ in first })
        func application(of provider: Authentik.ProxyProvider) -> Authentik.Application? {
            applicationsByProvider[provider.pk]
                ?? provider.assignedApplicationSlug.flatMap { slug in state.applications.first { $0.slug == slug } }
        }
        func covers(_ provider: Authentik.ProxyProvider, _ host: String) -> Bool {
            switch provider.mode {
            case .forwardSingle: return provider.externalHostName == host
            case .forwardDomain:
                guard let domain = provider.cookieDomain?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".")),
                    !domain.isEmpty
                else { return false }
                return host == domain || host.hasSuffix("." + domain)
            default: return false
            }
        }
        for route in routes where route.isProtected {
            let host = route.host
            let candidates = state.proxyProviders.filter { covers($0, host) }
            guard !candidates.isEmpty else {
                let other = state.proxyProviders.first { $0.externalHostName == host }
                findings.append(ForwardAuthFinding(
                    kind: .noProvider, host: host, application: other.flatMap(application(of:))?.slug,
                    detail: other.map { "provider '\($0.name)' for \(host) is in mode \($0.mode), not forward auth" }
                        ?? "no Authentik proxy provider in forward-auth mode has external host https://\(host)"))
                continue
            }
            let bound = candidates.filter { application(of: $0) != nil }
            guard let provider = bound.first else {
                findings.append(ForwardAuthFinding(
                    kind: .noApplication, host: host, application: nil,
                    detail: "proxy provider '\(candidates[0].name)' for \(host) is bound to no application"))
                continue
            }
            let slug = application(of: provider)?.slug
            let outposts = state.outposts.filter { $0.providers.contains(provider.pk) }
            guard !outposts.isEmpty else {
                findings.append(ForwardAuthFinding(
                    kind: .noOutpost, host: host, application: slug,
                    detail: "proxy provider '\(provider.name)' is bound to no outpost, so nothing answers forward auth for \(host)"))
                continue
            }
            let healthy = outposts.contains { outpost in
                (state.health[outpost.pk] ?? []).contains { $0.isHealthy(now: now, window: healthWindow) }
            }
            if !healthy {
                findings.append(ForwardAuthFinding(
                    kind: .outpostUnhealthy, host: host, application: slug,
                    detail: "outpost \(outposts.map { "'\($0.name)'" }.joined(separator: ", ")) has no instance seen in the last \(Int(healthWindow)) s"))
            }
        }
        for provider in state.proxyProviders {
            guard let app = application(of: provider), let host = provider.externalHostName, provider.mode != .forwardDomain,
                !routed.contains(host)
            else { continue }
            findings.append(ForwardAuthFinding(
                kind: .unroutedHost, host: host, application: app.slug,
                detail: "application '\(app.slug)' has provider '\(provider.name)' for https://\(host), a host no route serves"))
        }
        return findings.sorted { ($0.host, $0.kind.rawValue) < ($1.host, $1.kind.rawValue) }
    }
}
