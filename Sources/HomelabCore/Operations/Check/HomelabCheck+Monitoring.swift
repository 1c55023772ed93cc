import Foundation

extension HomelabCheck {
    /// The label asking Prometheus to scrape a service.
    public static let scrapeLabel = "prometheus.scrape"

    /// Rule `monitoring`: every routed service (a live `caddy` label) carries each `required_labels:` prefix
    /// (`homepage.*`, `kuma.*`) on its LIVE Swarm service, and the inventory's own labels of those prefixes with the
    /// inventory's values; every service labelled `prometheus.scrape=true` is an active Prometheus target (its `job`,
    /// or its `instance` host, is the service's name, Swarm name or `tasks.<name>`) whose last scrape worked.
    static func monitoring(_ snapshot: CheckSnapshot) -> CheckRuleResult {
        guard let swarm = snapshot.swarm.value else {
            return .unknown(.monitoring, snapshot.swarm.problem ?? "the swarm was not read")
        }
        let homelab = snapshot.homelab
        var findings: [CheckFinding] = []
        var checked = 0
        var wantScrape: [Homelab.Service] = []
        for service in homelab.services {
            guard let labels = swarm.service(service)?.spec?.labels else { continue }
            if labels[scrapeLabel] == "true" { wantScrape.append(service) }
            guard labels.keys.contains(where: { CaddyLabels.isCaddyLabel($0) }) else { continue }
            checked += 1
            for prefix in homelab.requiredLabels {
                let given = service.labels.filter { $0.key.hasPrefix(prefix + ".") }
                for (key, value) in given.sorted(by: { $0.key < $1.key }) where labels[key] != value {
                    findings.append(CheckFinding(
                        rule: .monitoring, service: service.name, expected: "label \(key)=\(value) (the inventory's)",
                        found: labels[key].map { "\(key)=\($0) on the live service" } ?? "no \(key) on the live service",
                        hint: "redeploy the stack (its file and the inventory disagree, or the service was changed by hand)"))
                }
            }
            for prefix in homelab.missingLabelPrefixes(in: labels) where !service.labels.keys.contains(where: { $0.hasPrefix(prefix + ".") }) {
                findings.append(CheckFinding(
                    rule: .monitoring, service: service.name, expected: "\(prefix).* labels on the routed service (the inventory's required_labels)",
                    found: "no \(prefix).* label on the live service", hint: Self.labelHint(prefix, service: service)))
            }
        }
        var unknown: String?
        if !wantScrape.isEmpty {
            switch snapshot.prometheus {
            case .read(let targets):
                for service in wantScrape {
                    checked += 1
                    let names: Set<String> = [service.name, service.swarmName, "tasks.\(service.name)", "tasks.\(service.swarmName)"]
                    let matching = targets.filter { target in
                        let host = target.instance.map { String($0.split(separator: ":").first ?? "") }
                        return target.job.map(names.contains) == true || host.map(names.contains) == true
                    }
                    if matching.isEmpty {
                        findings.append(CheckFinding(
                            rule: .monitoring, service: service.name, expected: "an active Prometheus target for it (\(scrapeLabel)=true)",
                            found: "no active target has job or instance \(service.name)",
                            hint: "add a scrape job for it (dns_sd_configs on tasks.\(service.name), or dockerswarm_sd_configs)"))
                    } else if !matching.contains(where: \.isUp) {
                        let down = matching.map { "\($0.scrapeUrl ?? $0.instance ?? "?") is \($0.health)" + (($0.lastError ?? "").isEmpty ? "" : ": \($0.lastError ?? "")") }
                        findings.append(CheckFinding(
                            rule: .monitoring, service: service.name, expected: "its Prometheus target up",
                            found: down.joined(separator: "; "), hint: "check the service's metrics endpoint and the network between Prometheus and it"))
                    }
                }
            case .failed(let reason), .absent(let reason):
                unknown = "\(wantScrape.count) service\(wantScrape.count == 1 ? "" : "s") labelled \(scrapeLabel)=true, and Prometheus could not be read: \(reason)"
            }
        }
        return CheckRuleResult(rule: .monitoring, findings: findings, checked: checked, unknown: unknown)
    }

    /// What to add for a missing label prefix.
    static func labelHint(_ prefix: String, service: Homelab.Service) -> String {
        switch prefix {
        case "kuma": return "add kuma.\(service.name).http.name and kuma.\(service.name).http.url so AutoKuma creates its monitor"
        case "homepage": return "add homepage.name, homepage.href and homepage.group so Homepage shows its tile"
        default: return "add the \(prefix).* labels to deploy.labels in its stack file (`homelab lint --rule labels` finds them offline)"
        }
    }
}
