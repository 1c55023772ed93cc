import Foundation
import HomelabCore

/// What the simulated homelab deploys for each inventory service, shared by the simulated swarm's seed
/// (``DockerWorld``) and the stack files of the simulated Forgejo (``StacksRepositoryHistory``), so that a stack
/// file converts (as `docker stack deploy` would) to the spec the swarm runs: the same labels, mode, placement,
/// health check, secrets, configs and networks.
///
/// One difference is deliberate (``drift``): the newest commit of the monitoring stack, which Komodo has not
/// deployed yet, sets an environment variable on Grafana that the running service does not have, so that
/// `homelab drift` has exactly one drifted service to find.
enum SimulatedStackFile {
    /// Secrets a typical homelab's services mount, by user.
    static let secretUsers: [(name: String, users: [String])] = [
        ("postgres_password", ["postgres", "authentik-server", "authentik-worker", "grafana", "forgejo", "woodpecker-server"]),
        ("authentik_secret_key", ["authentik-server", "authentik-worker"]),
        ("op_connect_credentials", ["connect-api", "connect-sync"]),
        ("cloudflared_tunnel_token", ["cloudflared"]),
        ("komodo_passkey", ["komodo-core", "komodo-periphery"]),
    ]
    /// Configs a typical homelab's services mount, by user, with their content.
    static let configUsers: [(name: String, users: [String], content: String)] = [
        ("prometheus_yml", ["prometheus"], "global:\n  scrape_interval: 30s\n"),
        ("loki_yaml", ["loki"], "auth_enabled: false\n"),
        ("grafana_datasources", ["grafana"], "apiVersion: 1\ndatasources: []\n"),
        ("homepage_settings", ["homepage"], "title: fleet\n"),
    ]
    /// Where a config is mounted in the container.
    static func configTarget(_ name: String) -> String { "/etc/\(name)" }

    /// The deliberate drift: the stack, its service and the variables its newest commit adds.
    static let drift = (stack: "monitoring", service: "grafana", environment: ["GF_LOG_LEVEL": "warn"])

    /// The image a service runs.
    static func image(_ service: Homelab.Service) -> String { service.image ?? "registry.home.arpa/\(service.name):latest" }

    /// The service's `deploy.labels`: the inventory's, its tier, its dependencies in its own stack (a stack file can
    /// only name those), whether it is stateful, `prometheus.scrape=true` and `prometheus.port` on the services of
    /// ``SimulatedFindings/metricsPorts``, and on a routed service the labels of each of the inventory's
    /// `required_labels:` prefixes (`homepage.*`, `kuma.*`) it lacks, except ``SimulatedFindings/unmonitoredService``'s
    /// `kuma.*` (`homelab check`'s monitoring finding).
    /// - Parameter siblings: the names of the services of its stack.
    static func deployLabels(_ service: Homelab.Service, in homelab: Homelab, siblings: Set<String>) -> [String: String] {
        var labels = service.labels
        labels["homelab.tier"] = service.tier
        let dependencies = service.dependsOn.filter { siblings.contains($0) && $0 != service.name }
        if !dependencies.isEmpty { labels[RolloutDependencies.labelKey] = dependencies.joined(separator: ",") }
        if service.isStateful { labels["homelab.stateful"] = "true" }
        if let port = SimulatedFindings.metricsPorts[service.name], labels[HomelabCheck.scrapeLabel] == nil {
            labels[HomelabCheck.scrapeLabel] = "true"
            labels["prometheus.port"] = String(port)
        }
        let host = service.labels.filter { CaddyLabels.isCaddyLabel($0.key) && !$0.key.contains(".") && !$0.value.hasPrefix("(") }
            .sorted { $0.key < $1.key }.first?.value
        guard let host else { return labels }
        for prefix in homelab.requiredLabels where !labels.keys.contains(where: { $0 == prefix || $0.hasPrefix(prefix + ".") }) {
            switch prefix {
            case "kuma" where service.name == SimulatedFindings.unmonitoredService:
                continue
            case "kuma":
                labels["kuma.\(service.name).http.name"] = service.name
                labels["kuma.\(service.name).http.url"] = "https://\(host)"
            case "homepage":
                labels["homepage.group"] = service.tier
                labels["homepage.name"] = service.name
                labels["homepage.href"] = "https://\(host)"
            default:
                labels["\(prefix).enable"] = "true"
            }
        }
        return labels
    }

    /// Where a stateful service keeps its data: its TrueNAS dataset's path (`/mnt/tank/apps/<stack>/<service>`)
    /// bind-mounted at `/config`, except ``SimulatedFindings/unbackedService``'s, a named stack volume on the node's
    /// own disk (`homelab check`'s backups finding). `nil` for a stateless service.
    static func dataMount(_ service: Homelab.Service) -> (source: String, target: String, isVolume: Bool)? {
        guard service.isStateful else { return nil }
        if service.name == SimulatedFindings.unbackedService { return ("\(service.name)-data", "/data/db", true) }
        return ("/mnt/tank/apps/\(service.stack)/\(service.name)", "/config", false)
    }

    /// The placement constraint of a pinned service: `node.hostname == <pinned_node>`, except
    /// ``SimulatedFindings/looselyPinnedService``'s, a node label of its node (`homelab check`'s placement finding).
    static func constraint(_ service: Homelab.Service, in homelab: Homelab) -> String? {
        guard let pinned = service.pinnedNode else { return nil }
        if service.name == SimulatedFindings.looselyPinnedService, let node = homelab.node(named: pinned),
            let label = node.labels.first(where: { $0.key == "storage" }) ?? node.labels.sorted(by: { $0.key < $1.key }).first
        {
            return "node.labels.\(label.key) == \(label.value)"
        }
        return "node.hostname == \(pinned)"
    }

    /// The stack of the inventory's `caddy` service.
    static func caddyStack(in homelab: Homelab) -> String? { homelab.service(named: "caddy")?.stack }

    /// The stack whose network Caddy reaches a routed service over (Caddy's own, `caddy`), when it is not the
    /// service's own.
    static func caddyStack(for service: Homelab.Service, caddy: String?) -> String? {
        guard let caddy, caddy != service.stack, service.labels.keys.contains(where: { CaddyLabels.isCaddyLabel($0) }) else { return nil }
        return caddy
    }

    /// The health check command for a health URL.
    static func healthTest(_ url: String) -> [String] { ["CMD-SHELL", "wget -q --spider \(url) || exit 1"] }

    /// The secrets and configs `service` mounts.
    static func references(of service: Homelab.Service) -> (secrets: [String], configs: [String]) {
        (secretUsers.filter { $0.users.contains(service.name) }.map(\.name), configUsers.filter { $0.users.contains(service.name) }.map(\.name))
    }

    // MARK: The compose file

    /// Stack `stack`'s compose file at `revision` (1: imported, as the swarm runs it; 2: its own commit, which for
    /// the ``drift`` stack adds the drifted variables).
    static func compose(_ stack: Homelab.Stack, in homelab: Homelab, revision: Int) -> String {
        var text = "# stack \(stack.name) (\(stack.tier)), revision \(revision)\nservices:\n"
        var secrets: Set<String> = []
        var configs: Set<String> = []
        var caddyNetwork: String?
        var volumes: Set<String> = []
        let caddy = caddyStack(in: homelab)
        let siblings = Set(stack.services.map(\.name))
        for service in stack.services {
            text += "  \(quoted(service.name)):\n    image: \(quoted(image(service)))\n"
            if revision >= 2, stack.name == drift.stack, service.name == drift.service {
                text += "    environment:\n"
                for (name, value) in drift.environment.sorted(by: { $0.key < $1.key }) { text += "      \(quoted(name)): \(quoted(value))\n" }
            }
            if let url = service.healthURL {
                text += "    healthcheck:\n      test: [\(healthTest(url).map(quoted).joined(separator: ", "))]\n"
                text += "      interval: 30s\n      timeout: 5s\n      retries: 3\n"
            }
            if let data = dataMount(service) {
                text += "    volumes: [\(quoted("\(data.source):\(data.target)"))]\n"
                if data.isVolume { volumes.insert(data.source) }
            }
            let (usedSecrets, usedConfigs) = references(of: service)
            if !usedSecrets.isEmpty { text += "    secrets: [\(usedSecrets.map(quoted).joined(separator: ", "))]\n" }
            if !usedConfigs.isEmpty {
                text += "    configs:\n"
                for config in usedConfigs { text += "      - source: \(quoted(config))\n        target: \(quoted(configTarget(config)))\n" }
            }
            secrets.formUnion(usedSecrets)
            configs.formUnion(usedConfigs)
            if let network = caddyStack(for: service, caddy: caddy) {
                caddyNetwork = "\(network)_default"
                text += "    networks: [default, caddy]\n"
            }
            text += "    deploy:\n"
            switch service.mode {
            case .global: text += "      mode: global\n"
            case .replicated(let count): text += "      replicas: \(max(0, count))\n"
            }
            if let constraint = constraint(service, in: homelab) { text += "      placement:\n        constraints: [\(quoted(constraint))]\n" }
            text += "      labels:\n"
            for (key, value) in deployLabels(service, in: homelab, siblings: siblings).sorted(by: { $0.key < $1.key }) {
                text += "        \(quoted(key)): \(quoted(value))\n"
            }
        }
        if let caddyNetwork { text += "networks:\n  caddy:\n    external: true\n    name: \(quoted(caddyNetwork))\n" }
        if !volumes.isEmpty { text += "volumes:\n" + volumes.sorted().map { "  \(quoted($0)): {}\n" }.joined() }
        if !secrets.isEmpty {
            text += "secrets:\n" + secrets.sorted().map { "  \(quoted($0)):\n    external: true\n" }.joined()
        }
        if !configs.isEmpty {
            text += "configs:\n" + configs.sorted().map { "  \(quoted($0)):\n    external: true\n" }.joined()
        }
        return text
    }

    /// `text` as a YAML double-quoted scalar (JSON's escapes are YAML's), with `$` doubled so that compose
    /// interpolation leaves it alone.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.replacingOccurrences(of: "$", with: "$$").unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
