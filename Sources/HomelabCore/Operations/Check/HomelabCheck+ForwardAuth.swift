import Foundation

extension HomelabCheck {
    /// Rule `forward-auth`: every routed service the inventory protects (``Homelab/isProtected(_:)``) has, for each
    /// host its labels route, a live Caddy route through Authentik's forward auth, and an Authentik proxy provider
    /// in forward-auth mode for the host, bound to an application and to an outpost with a healthy instance
    /// (``ForwardAuthCheck``). Protected services without a route have nothing to protect and are not counted.
    static func forwardAuth(_ snapshot: CheckSnapshot) -> CheckRuleResult {
        let homelab = snapshot.homelab
        guard let routing = snapshot.routing.value else {
            return .unknown(.forwardAuth, snapshot.routing.problem ?? "Caddy was not read")
        }
        guard let rendering = routing.rendering else {
            return .unknown(.forwardAuth, "the services' caddy labels were not read")
        }
        var hostsByService: [String: [String]] = [:]
        for (host, owners) in rendering.owners {
            for owner in owners { hostsByService[owner, default: []].append(host) }
        }
        let live = Caddy.byHost(routing.live)
        var authFindings: [String: [ForwardAuthFinding]] = [:]
        if let state = snapshot.authentik.value {
            let routes = ForwardAuthRoute.routes(from: routing.live)
            for finding in ForwardAuthCheck.findings(routes: routes, state: state, now: snapshot.now) where finding.kind != .unroutedHost {
                authFindings[finding.host, default: []].append(finding)
            }
        }
        var findings: [CheckFinding] = []
        var checked = 0
        for service in homelab.services where homelab.isProtected(service) {
            let hosts = Set(hostsByService[service.swarmName] ?? hostsByService[service.name] ?? []).sorted()
            guard !hosts.isEmpty else { continue }
            checked += 1
            func add(_ expected: String, _ found: String, _ hint: String) {
                findings.append(CheckFinding(rule: .forwardAuth, service: service.name, expected: expected, found: found, hint: hint))
            }
            let why = service.protected == true ? "protected: true" : "tier \(service.tier) is in protected_tiers"
            for host in hosts {
                guard let route = live[host] else {
                    add(
                        "a Caddy route for \(host) through Authentik's outpost (\(why))", "Caddy serves no route for \(host)",
                        "caddy-docker-proxy has not rendered the service's labels: see `homelab caddy diff`, then `homelab caddy reload`")
                    continue
                }
                guard route.isProtected else {
                    add(
                        "the route for \(host) through Authentik's forward auth (\(why))",
                        route.forwardAuth.map { "its forward_auth does not ask Authentik's outpost (\($0.uri ?? "no uri"))" }
                            ?? "the live route for \(host) has no forward_auth",
                        "add the label caddy.import: authentik to the service (or protected: false in the inventory if it is meant to be public); see `homelab caddy unprotected`")
                    continue
                }
                for finding in authFindings[host] ?? [] {
                    let (expected, hint) = Self.expectation(finding.kind, host: host)
                    add(expected, finding.detail, hint)
                }
            }
        }
        return CheckRuleResult(
            rule: .forwardAuth, findings: findings, checked: checked,
            unknown: snapshot.authentik.value == nil ? snapshot.authentik.problem ?? "Authentik was not read" : nil)
    }

    /// What a ``ForwardAuthFinding`` kind expected, and what to do.
    static func expectation(_ kind: ForwardAuthFinding.Kind, host: String) -> (String, String) {
        switch kind {
        case .noProvider:
            return (
                "an Authentik proxy provider in forward-auth mode with external host https://\(host)",
                "create a proxy provider (forward auth, single application) for https://\(host) and bind it to an application")
        case .noApplication:
            return ("an Authentik application using the proxy provider of \(host)", "create an application for it, or set its provider")
        case .noOutpost:
            return (
                "the proxy provider of \(host) bound to an outpost",
                "add the provider to the embedded outpost (Applications > Outposts); see `homelab auth check`")
        case .outpostUnhealthy, .unroutedHost:
            return (
                "a healthy outpost answering forward auth for \(host)",
                "check the outpost's container and its connection to Authentik; see `homelab auth outposts`")
        }
    }
}
