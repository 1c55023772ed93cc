import Foundation

/// Authentik's state as metric families: the server's version, and for each outpost whether an instance checked in
/// recently, how many run, their versions and how long ago they were seen. A pure function of what Authentik
/// answered; `homelab_up{component="authentik"}` says whether it answered at all.
public enum AuthentikMetrics {
    /// What one collection read.
    public struct Reading: Sendable {
        /// The server's version.
        public var version: Authentik.Version
        /// Every outpost.
        public var outposts: [Authentik.Outpost]
        /// The running instances of each outpost, by UUID.
        public var health: [String: [Authentik.OutpostHealth]]

        /// A reading.
        public init(version: Authentik.Version, outposts: [Authentik.Outpost], health: [String: [Authentik.OutpostHealth]]) {
            self.version = version
            self.outposts = outposts
            self.health = health
        }
    }

    /// Reads the version, the outposts and each outpost's health, concurrently.
    /// - Throws: the first failed call's error.
    public static func read(_ authentik: AuthentikClient) async throws -> Reading {
        async let version = authentik.version()
        let outposts = try await authentik.outposts.list().collect()
        let health = try await withThrowingTaskGroup(of: (String, [Authentik.OutpostHealth]).self) { group in
            for outpost in outposts { group.addTask { (outpost.pk, try await authentik.outposts.health(outpost.pk)) } }
            var health: [String: [Authentik.OutpostHealth]] = [:]
            for try await (pk, instances) in group { health[pk] = instances }
            return health
        }
        return Reading(version: try await version, outposts: outposts, health: health)
    }

    /// The families for one reading, ages measured from `now`.
    public static func families(_ reading: Reading, now: Date = Date()) -> [MetricFamily] {
        var info = MetricFamily("homelab_authentik_info", help: "Authentik's version (always 1).")
        info.add(1, ["version": reading.version.versionCurrent])
        var outdated = MetricFamily("homelab_authentik_outdated", help: "1 when a newer Authentik release exists.")
        outdated.add(reading.version.outdated == true ? 1 : 0, [:])
        var up = MetricFamily("homelab_authentik_outpost_up", help: "1 when an instance of the outpost checked in within 5 minutes.")
        var instances = MetricFamily("homelab_authentik_outpost_instances", help: "Running instances of the outpost.")
        var providers = MetricFamily("homelab_authentik_outpost_providers", help: "Providers the outpost serves.")
        var version = MetricFamily("homelab_authentik_outpost_instance_info", help: "One running outpost instance and its version (always 1).")
        var seen = MetricFamily("homelab_authentik_outpost_last_seen_age_seconds", help: "Seconds since the outpost's newest check-in.")
        for outpost in reading.outposts.sorted(by: { $0.name < $1.name }) {
            let health = reading.health[outpost.pk] ?? []
            let labels: KeyValuePairs<String, String> = ["outpost": outpost.name, "type": outpost.type.rawValue]
            up.add(health.contains { $0.isHealthy(now: now) } ? 1 : 0, labels)
            instances.add(Double(health.count), ["outpost": outpost.name])
            providers.add(Double(outpost.providers.count), ["outpost": outpost.name])
            for instance in health.sorted(by: { $0.uid < $1.uid }) {
                version.add(1, [
                    "outpost": outpost.name, "hostname": instance.hostname ?? "", "version": instance.version ?? "",
                    "outdated": instance.versionOutdated == true ? "true" : "false",
                ])
            }
            if let newest = health.compactMap(\.lastSeenDate).max() {
                seen.add(max(0, now.timeIntervalSince(newest)), ["outpost": outpost.name])
            }
        }
        return [info, outdated, up, instances, providers, version, seen]
    }
}

/// 1Password Connect's health as metric families: its version, whether every dependency is active, and each
/// dependency's state (the sync's especially). `homelab_up{component="onepassword"}` says whether it answered.
public enum OnePasswordMetrics {
    /// Reads `/health`, and lists the vaults so that a rejected token counts as a failed collection (`/health`
    /// needs none).
    /// - Throws: either call's error.
    public static func read(_ connect: OnePasswordClient) async throws -> OnePassword.Health {
        async let vaults = connect.vaults.list()
        let health = try await connect.health()
        _ = try await vaults
        return health
    }

    /// The families for one health answer.
    public static func families(_ health: OnePassword.Health) -> [MetricFamily] {
        var info = MetricFamily("homelab_onepassword_info", help: "1Password Connect's version (always 1).")
        info.add(1, ["version": health.version ?? ""])
        var healthy = MetricFamily("homelab_onepassword_healthy", help: "1 when every Connect dependency (sync, database) is ACTIVE.")
        healthy.add(health.isHealthy ? 1 : 0, [:])
        var dependency = MetricFamily(
            "homelab_onepassword_dependency_active", help: "1 when the Connect dependency is ACTIVE (its state as a label).")
        for entry in health.dependencies.sorted(by: { $0.service < $1.service }) {
            dependency.add(entry.status.uppercased() == "ACTIVE" ? 1 : 0, ["service": entry.service, "status": entry.status])
        }
        return [info, healthy, dependency]
    }
}
