import Logging

/// Proxmox VE's state as the metric families of prometheus-pve-exporter (prompve/prometheus-pve-exporter 3.x,
/// `collector/cluster.py` and `collector/node.py`): the same names, label names and label values, so that its
/// Grafana dashboards keep working on our exporter. Its status, version, node, cluster, resources and config
/// collectors are covered; backup-info, qdevice, replication and subscription are not.
public enum ProxmoxMetrics {
    /// What one collection read.
    public struct Snapshot: Sendable {
        /// `GET /cluster/status`.
        public var status: [Proxmox.ClusterStatusEntry]
        /// `GET /cluster/resources` (all types).
        public var resources: [Proxmox.Resource]
        /// `GET /version`.
        public var version: Proxmox.Version
        /// `onboot` of each guest on the answering node (`qemu/101` → its node and value), from their configs.
        public var onboot: [(id: String, node: String, type: String, value: Double)]

        /// A snapshot value.
        public init(
            status: [Proxmox.ClusterStatusEntry], resources: [Proxmox.Resource], version: Proxmox.Version,
            onboot: [(id: String, node: String, type: String, value: Double)] = []
        ) {
            self.status = status
            self.resources = resources
            self.version = version
            self.onboot = onboot
        }
    }

    /// Reads a snapshot: cluster status, resources and version concurrently, then the configs of the guests on
    /// the node that answered (`local`), as the exporter's config collector does.
    /// - Throws: ``HomelabError`` from any of the calls.
    public static func snapshot(of client: ProxmoxClient, logger: Logger? = nil) async throws -> Snapshot {
        async let status = client.cluster.status(logger: logger)
        async let resources = client.cluster.resources(logger: logger)
        async let version = client.version(logger: logger)
        let entries = try await status
        var snapshot = Snapshot(status: entries, resources: try await resources, version: try await version)
        guard let local = entries.first(where: { $0.type == .node && $0.local == true })?.name else { return snapshot }
        let guests = snapshot.resources.filter { ($0.type == .qemu || $0.type == .lxc) && $0.node == local && $0.vmid != nil }
        snapshot.onboot = try await withThrowingTaskGroup(of: (String, String, String, Double)?.self) { group in
            for guest in guests {
                group.addTask {
                    guard let vmid = guest.vmid else { return nil }
                    let config: Proxmox.VMConfig = try await client.data(
                        Proxmox.VMConfig.self, "/nodes/\(local.percentEncodedQueryComponent)/\(guest.type.rawValue)/\(vmid)/config",
                        logger: logger)
                    guard let value = config[text: "onboot"].flatMap(Double.init) else { return nil }
                    return ("\(guest.type.rawValue)/\(vmid)", local, guest.type.rawValue, value)
                }
            }
            var out: [(id: String, node: String, type: String, value: Double)] = []
            for try await entry in group { if let entry { out.append(entry) } }
            return out.sorted { $0.id < $1.id }
        }
        return snapshot
    }

    /// The families for one snapshot.
    public static func families(_ snapshot: Snapshot) -> [MetricFamily] {
        statusFamilies(snapshot) + [versionFamily(snapshot.version)] + clusterFamilies(snapshot.status)
            + resourceFamilies(snapshot.resources) + [onbootFamily(snapshot.onboot)]
    }

    static func statusFamilies(_ snapshot: Snapshot) -> [MetricFamily] {
        var up = MetricFamily("pve_up", help: "Node/VM/CT-Status is online/running")
        for entry in snapshot.status {
            switch entry.type {
            case .node: up.add(entry.online == true ? 1 : 0, ["id": entry.id])
            case .cluster: up.add(entry.quorate == true ? 1 : 0, ["id": "cluster/\(entry.name)"])
            case .unknown: continue
            }
        }
        for resource in snapshot.resources where resource.type == .qemu || resource.type == .lxc {
            up.add(resource.status == "running" ? 1 : 0, ["id": resource.id])
        }
        for resource in snapshot.resources where resource.type == .storage {
            up.add(resource.status == "available" ? 1 : 0, ["id": resource.id])
        }
        return [up]
    }

    static func versionFamily(_ version: Proxmox.Version) -> MetricFamily {
        var info = MetricFamily("pve_version_info", help: "Proxmox VE version info")
        var labels = [MetricFamily.Label("release", version.release)]
        if let repoid = version.repoid { labels.append(MetricFamily.Label("repoid", repoid)) }
        labels.append(MetricFamily.Label("version", version.version))
        info.add(1, labels: labels)
        return info
    }

    static func clusterFamilies(_ status: [Proxmox.ClusterStatusEntry]) -> [MetricFamily] {
        var families: [MetricFamily] = []
        let nodes = status.filter { $0.type == .node }
        if !nodes.isEmpty {
            var info = MetricFamily("pve_node_info", help: "Node info")
            for node in nodes {
                info.add(1, ["id": node.id, "level": node.level ?? "", "name": node.name, "nodeid": node.nodeid.map(String.init) ?? ""])
            }
            families.append(info)
        }
        let clusters = status.filter { $0.type == .cluster }
        if !clusters.isEmpty {
            var info = MetricFamily("pve_cluster_info", help: "Cluster info")
            for cluster in clusters {
                var labels = [MetricFamily.Label("id", "cluster/\(cluster.name)")]
                if let nodes = cluster.nodes { labels.append(MetricFamily.Label("nodes", String(nodes))) }
                if let quorate = cluster.quorate { labels.append(MetricFamily.Label("quorate", quorate ? "1" : "0")) }
                if let version = cluster.version { labels.append(MetricFamily.Label("version", String(version))) }
                info.add(1, labels: labels)
            }
            families.append(info)
        }
        return families
    }

    /// The guest lock states and HA states the exporter one-hot encodes.
    static let lockStates = ["backup", "clone", "create", "migrate", "rollback", "snapshot", "snapshot-delete", "suspended", "suspending"]
    static let guestHAStates = [
        "stopped", "request_stop", "request_start", "request_start_balance", "started", "fence", "recovery", "migrate", "relocate",
        "freeze", "error",
    ]
    static let nodeHAStates = ["online", "maintenance", "unknown", "fence", "gone"]

    static func resourceFamilies(_ resources: [Proxmox.Resource]) -> [MetricFamily] {
        typealias Field = (name: String, help: String, value: (Proxmox.Resource) -> Double?)
        let gauges: [Field] = [
            ("pve_disk_size_bytes", "Storage size in bytes (for type 'storage'), root image size for VMs (for types 'qemu' and 'lxc').", { $0.maxdisk.map(Double.init) }),
            ("pve_disk_usage_bytes", "Used disk space in bytes (for type 'storage'), used root image space for VMs (for types 'qemu' and 'lxc').", { $0.disk.map(Double.init) }),
            ("pve_memory_size_bytes", "Number of available memory in bytes (for types 'node', 'qemu' and 'lxc').", { $0.maxmem.map(Double.init) }),
            ("pve_memory_usage_bytes", "Used memory in bytes (for types 'node', 'qemu' and 'lxc').", { $0.mem.map(Double.init) }),
            ("pve_network_transmit_bytes", "The amount of traffic in bytes that was sent from the guest over the network since it was started. (for types 'qemu' and 'lxc') DEPRECATED: Use pve_network_transmit_bytes_total instead.", { $0.netout.map(Double.init) }),
            ("pve_network_receive_bytes", "The amount of traffic in bytes that was sent to the guest over the network since it was started. (for types 'qemu' and 'lxc') DEPRECATED: Use pve_network_receive_bytes_total instead.", { $0.netin.map(Double.init) }),
            ("pve_disk_write_bytes", "The amount of bytes the guest wrote to its block devices since the guest was started. This info is not available for all storage types. (for types 'qemu' and 'lxc') DEPRECATED: Use pve_disk_written_bytes_total instead.", { $0.diskwrite.map(Double.init) }),
            ("pve_disk_read_bytes", "The amount of bytes the guest read from its block devices since the guest was started. This info is not available for all storage types. (for types 'qemu' and 'lxc') DEPRECATED: Use pve_disk_read_bytes_total instead.", { $0.diskread.map(Double.init) }),
            ("pve_cpu_usage_ratio", "CPU utilization (for types 'node', 'qemu' and 'lxc').", { $0.cpu }),
            ("pve_cpu_usage_limit", "Number of available CPUs (for types 'node', 'qemu' and 'lxc').", { $0.maxcpu }),
            ("pve_uptime_seconds", "Uptime of node or virtual guest in seconds (for types 'node', 'qemu' and 'lxc').", { $0.uptime.map(Double.init) }),
            ("pve_storage_shared", "Whether or not the storage is shared among cluster nodes", { $0.shared.map { $0 ? 1 : 0 } }),
        ]
        let counters: [Field] = [
            ("pve_network_transmit_bytes_total", "The amount of traffic in bytes that was sent from the guest over the network since it was started. (for types 'qemu' and 'lxc')", { $0.netout.map(Double.init) }),
            ("pve_network_receive_bytes_total", "The amount of traffic in bytes that was sent to the guest over the network since it was started. (for types 'qemu' and 'lxc')", { $0.netin.map(Double.init) }),
            ("pve_disk_written_bytes_total", "The amount of bytes the guest wrote to its block devices since the guest was started. This info is not available for all storage types. (for types 'qemu' and 'lxc')", { $0.diskwrite.map(Double.init) }),
            ("pve_disk_read_bytes_total", "The amount of bytes the guest read from its block devices since the guest was started. This info is not available for all storage types. (for types 'qemu' and 'lxc')", { $0.diskread.map(Double.init) }),
        ]
        var gaugeFamilies = gauges.map { MetricFamily($0.name, help: $0.help) }
        var counterFamilies = counters.map { MetricFamily($0.name, help: $0.help, kind: .counter) }
        var ha = MetricFamily("pve_ha_state", help: "HA service status (for HA managed VMs).")
        var lock = MetricFamily("pve_lock_state", help: "The guest's current config lock (for types 'qemu' and 'lxc')")
        var guestInfo = MetricFamily("pve_guest_info", help: "VM/CT info")
        var storageInfo = MetricFamily("pve_storage_info", help: "Storage info")
        for resource in resources {
            let id = resource.id
            switch resource.type {
            case .qemu, .lxc:
                guestInfo.add(1, [
                    "id": id, "node": resource.node ?? "", "name": resource.name ?? "", "type": resource.type.rawValue,
                    "template": resource.template.map { $0 ? "1" : "0" } ?? "", "tags": resource.tags ?? "",
                ])
                for state in guestHAStates { ha.add(resource.hastate == state ? 1 : 0, ["id": id, "state": state]) }
                for state in lockStates { lock.add(resource.lock == state ? 1 : 0, ["id": id, "state": state]) }
            case .node:
                for state in nodeHAStates { ha.add(resource.hastate == state ? 1 : 0, ["id": id, "state": state]) }
            case .storage:
                let content = (resource.content ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init).sorted()
                storageInfo.add(1, [
                    "id": id, "node": resource.node ?? "", "storage": resource.storage ?? "", "plugintype": resource.plugintype ?? "",
                    "content": content.joined(separator: ","),
                ])
            default:
                break
            }
            for (index, field) in gauges.enumerated() {
                if let value = field.value(resource) { gaugeFamilies[index].add(value, ["id": id]) }
            }
            for (index, field) in counters.enumerated() {
                if let value = field.value(resource) { counterFamilies[index].add(value, ["id": id]) }
            }
        }
        return gaugeFamilies + counterFamilies + [ha, lock, guestInfo, storageInfo]
    }

    static func onbootFamily(_ onboot: [(id: String, node: String, type: String, value: Double)]) -> MetricFamily {
        var family = MetricFamily("pve_onboot_status", help: "Proxmox vm config onboot value")
        for entry in onboot { family.add(entry.value, ["id": entry.id, "node": entry.node, "type": entry.type]) }
        return family
    }
}
