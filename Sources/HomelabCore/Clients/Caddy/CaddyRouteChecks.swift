import Foundation

extension Caddy {
    /// The label saying a route is meant to be public (no forward auth), on the Swarm service: `homelab.public=true`.
    public static let publicLabel = "homelab.public"

    /// One difference between what the labels say and what the live Caddy serves, for one host.
    public struct RouteDifference: Codable, Sendable, Hashable {
        /// What differs.
        public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
            /// The labels name the host; the live Caddy does not serve it.
            case missing
            /// The live Caddy serves a host no label names (a manual edit caddy-docker-proxy will overwrite).
            case unexpected
            /// Both have it, with different upstreams.
            case upstreams
            /// One has a forward auth the other lacks, or they ask different places.
            case forwardAuth = "forward_auth"
        }

        /// The host.
        public var host: String
        /// What differs.
        public var kind: Kind
        /// What the labels say (`-` for nothing).
        public var labels: String
        /// What the live Caddy serves (`-` for nothing).
        public var live: String
    }

    /// The differences between `labels` (from ``siteRoutes(in:)-Caddyfile``) and `live` (from the live config),
    /// per host, sorted by host then kind.
    public static func differences(labels: [SiteRoute], live: [SiteRoute]) -> [RouteDifference] {
        let wanted = byHost(labels)
        let served = byHost(live)
        var differences: [RouteDifference] = []
        for host in Set(wanted.keys).union(served.keys).sorted() {
            switch (wanted[host], served[host]) {
            case (let want?, nil):
                differences.append(RouteDifference(host: host, kind: .missing, labels: summary(want), live: "-"))
            case (nil, let have?):
                differences.append(RouteDifference(host: host, kind: .unexpected, labels: "-", live: summary(have)))
            case (let want?, let have?):
                if want.upstreams != have.upstreams {
                    differences.append(
                        RouteDifference(host: host, kind: .upstreams, labels: words(want.upstreams), live: words(have.upstreams)))
                }
                if authSummary(want) != authSummary(have) {
                    differences.append(RouteDifference(host: host, kind: .forwardAuth, labels: authSummary(want), live: authSummary(have)))
                }
            case (nil, nil):
                break
            }
        }
        return differences
    }

    /// The routes by host, several routes (or path matchers) of one host merged: upstreams joined, protected when any is.
    public static func byHost(_ routes: [SiteRoute]) -> [String: SiteRoute] {
        var merged: [String: SiteRoute] = [:]
        for route in routes {
            guard var existing = merged[route.host] else {
                merged[route.host] = route
                continue
            }
            existing.upstreams = Array(Set(existing.upstreams + route.upstreams)).sorted()
            existing.forwardAuth = existing.forwardAuth ?? route.forwardAuth
            existing.isProtected = existing.isProtected || route.isProtected
            merged[route.host] = existing
        }
        return merged
    }

    private static func words(_ list: [String]) -> String { list.isEmpty ? "-" : list.joined(separator: " ") }

    private static func summary(_ route: SiteRoute) -> String {
        let auth = route.forwardAuth.map { "forward_auth \(words($0.upstreams)) " } ?? ""
        return auth + "reverse_proxy \(words(route.upstreams))"
    }

    private static func authSummary(_ route: SiteRoute) -> String {
        guard let auth = route.forwardAuth else { return "no forward_auth" }
        return "forward_auth \(words(auth.upstreams)) \(auth.uri ?? "-")"
    }

    /// A route that should be protected and is not, or a public route not labelled as meant to be public.
    public struct ProtectionFinding: Codable, Sendable, Hashable {
        /// What is wrong.
        public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
            /// The inventory says the service sits behind Authentik; its live route has no forward auth to the outpost.
            case missingForwardAuth = "missing_forward_auth"
            /// The route is public and its service carries no `homelab.public=true` label.
            case unlabelledPublic = "unlabelled_public"
        }

        /// The host.
        public var host: String
        /// The Swarm service whose labels name the host (`-` when none does).
        public var service: String
        /// What is wrong.
        public var kind: Kind
        /// Why, in words.
        public var detail: String
    }

    /// Checks every live route against the inventory's intent (``Homelab/isProtected(_:)``) and the services'
    /// `homelab.public` labels. `owners` maps a host to the Swarm services whose labels name it, `labels` holds
    /// those services' labels.
    public static func protectionFindings(
        live: [SiteRoute], owners: [String: [String]], labels: [String: [String: String]], homelab: Homelab
    ) -> [ProtectionFinding] {
        var findings: [ProtectionFinding] = []
        for (host, route) in byHost(live).sorted(by: { $0.key < $1.key }) where !route.isProtected {
            let owner = owners[host]?.first
            let service = owner.flatMap { name in homelab.services.first { $0.swarmName == name || $0.name == name } }
            if let service, homelab.isProtected(service) {
                let why = service.protected == true ? "protected: true" : "tier \(service.tier) is in protected_tiers"
                let what = route.forwardAuth.map { "its forward_auth does not ask Authentik's outpost (\($0.uri ?? "no uri"))" }
                    ?? "the live route has no forward_auth"
                findings.append(ProtectionFinding(host: host, service: owner ?? "-", kind: .missingForwardAuth, detail: "\(why), but \(what)"))
            } else if labels[owner ?? ""]?[publicLabel] != "true" {
                let detail = owner == nil
                    ? "public, and no service's labels name this host"
                    : "public, and the service has no \(publicLabel)=true label"
                findings.append(ProtectionFinding(host: host, service: owner ?? "-", kind: .unlabelledPublic, detail: detail))
            }
        }
        return findings
    }
}
