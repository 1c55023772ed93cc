import ArgumentParser
import HomelabCore

extension LiveNames {
    /// The hosts the live Caddy serves; the hosts the inventory's `caddy` labels name when Caddy does not answer.
    public static let caddyHosts = CompletionKind.custom { words, index, prefix in
        await matching(prefix) { try await caddyHosts(words: words) }
    }

    /// The hosts of the live Caddy of the homelab the command line names, or of its inventory's labels.
    public static func caddyHosts(words: [String]) async throws -> [String] {
        let options = configOptions(words: words)
        do {
            return try await HomelabContext.withConnections(options) { connections in
                let config = try await connections.caddy().config().value
                return Array(Set(Caddy.siteRoutes(in: config).map(\.host))).sorted()
            }
        } catch {
            let homelab = try options.loadInventory()
            let hosts = homelab.services.flatMap { service in
                service.labels.filter { CaddyLabels.isCaddyLabel($0.key) && !$0.key.contains(".") }.flatMap { Caddy.siteHosts([$0.value]) }
            }
            return Array(Set(hosts.filter { !$0.hasPrefix("(") })).sorted()
        }
    }
}
