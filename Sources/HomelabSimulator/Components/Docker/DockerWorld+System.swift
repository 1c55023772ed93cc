import Foundation
import HomelabCore

/// The read side of the daemon: version, info, the swarm, nodes and tasks.
extension DockerWorld {
    /// The highest and lowest API versions the simulated daemon speaks (Docker 27.5's window, floor raised to 1.41
    /// where the Swarm endpoints used here are stable).
    nonisolated static let maxAPIVersion = "1.47"
    nonisolated static let minAPIVersion = "1.41"

    /// `GET /version`.
    func systemVersion() -> Swarm.SystemVersion {
        Swarm.SystemVersion(
            platform: Swarm.VersionPlatform(name: "Docker Engine - Community"),
            components: [
                Swarm.VersionComponent(
                    name: "Engine", version: engineVersion,
                    details: [
                        "ApiVersion": .string(Self.maxAPIVersion), "MinAPIVersion": .string(Self.minAPIVersion),
                        "GitCommit": .string("4c9b3b0"), "GoVersion": .string("go1.22.11"), "Os": .string("linux"),
                        "Arch": .string("amd64"), "KernelVersion": .string("6.12.0-homelab-sim"),
                    ])
            ],
            version: engineVersion, apiVersion: Self.maxAPIVersion, minAPIVersion: Self.minAPIVersion, gitCommit: "4c9b3b0",
            goVersion: "go1.22.11", os: "linux", arch: "amd64", kernelVersion: "6.12.0-homelab-sim", experimental: false,
            buildTime: "2025-01-21T00:00:00.000000000+00:00")
    }

    /// `GET /info`, with the swarm as the leader sees it.
    func systemInfo() -> Swarm.SystemInfo {
        let local = node(localNodeID)
        let running = tasks.values.filter { $0.nodeID == localNodeID && $0.state == .running }.count
        var info = Swarm.SystemInfo()
        info.id = "SIM0:HOMELAB:\(clusterID.prefix(8).uppercased())"
        info.name = local?.description?.hostname ?? "homelab-sim"
        info.serverVersion = engineVersion
        info.operatingSystem = "Homelab Simulator"
        info.osVersion = HomelabVersion.string
        info.osType = "linux"
        info.architecture = "x86_64"
        info.kernelVersion = "6.12.0-homelab-sim"
        info.ncpu = Int((local?.description?.resources?.nanoCPUs ?? 4_000_000_000) / 1_000_000_000)
        info.memTotal = local?.description?.resources?.memoryBytes ?? 17_179_869_184
        info.containers = running
        info.containersRunning = running
        info.containersPaused = 0
        info.containersStopped = 0
        info.images = Set(services.values.compactMap { $0.spec.taskTemplate?.containerSpec?.image }).count
        info.driver = "overlay2"
        info.dockerRootDir = "/var/lib/docker"
        info.loggingDriver = "json-file"
        info.cgroupDriver = "systemd"
        info.cgroupVersion = "2"
        info.systemTime = timestamp()
        info.labels = []
        info.experimentalBuild = false
        info.liveRestoreEnabled = false
        info.warnings = []
        let managers = nodes.filter { $0.managerStatus != nil }
        info.swarm = Swarm.SwarmInfo(
            nodeID: localNodeID, nodeAddr: local?.status?.addr, localNodeState: .active, controlAvailable: true, error: "",
            remoteManagers: managers.map { Swarm.PeerNode(nodeID: $0.id, addr: $0.managerStatus?.addr) },
            nodes: nodes.count, managers: managers.count, cluster: clusterInfo())
        return info
    }

    /// The cluster part of `GET /swarm` and `GET /info`.
    func clusterInfo() -> Swarm.ClusterInfo {
        Swarm.ClusterInfo(
            id: clusterID, version: Swarm.ObjectVersion(index: cluster.version), createdAt: clusterCreatedAt, updatedAt: cluster.updatedAt,
            spec: cluster.spec, tlsInfo: node(localNodeID)?.description?.tlsInfo, rootRotationInProgress: false,
            dataPathPort: 4789, defaultAddrPool: ["10.0.0.0/8"], subnetSize: 24)
    }

    /// `GET /swarm`: the cluster and its join tokens.
    func swarm() -> Swarm.Cluster {
        let info = clusterInfo()
        return Swarm.Cluster(
            id: info.id, version: info.version, createdAt: info.createdAt, updatedAt: info.updatedAt, spec: info.spec,
            tlsInfo: info.tlsInfo, rootRotationInProgress: false, dataPathPort: 4789, defaultAddrPool: ["10.0.0.0/8"],
            subnetSize: 24, joinTokens: cluster.joinTokens)
    }

    // MARK: - Nodes

    /// `GET /nodes?filters=`.
    /// - Throws: ``DockerAPIError`` 400 for bad filters.
    func listNodes(filters text: String?) throws -> [Swarm.Node] {
        let filters = try DockerFilters(text, accepted: ["id", "label", "membership", "name", "node.label", "role"])
        return nodes.filter { node in
            filters.allows("id", prefixOf: node.id)
                && (filters.allows("name", prefixOf: node.description?.hostname) || filters.allows("name", prefixOf: node.spec?.name))
                && filters.allows("role", exactly: node.spec?.role?.rawValue) && filters.allows("membership", exactly: "accepted")
                && filters.allowsLabels(node.description?.engine?.labels) && filters.allowsLabels(node.spec?.labels, key: "node.label")
        }
    }

    /// `GET /nodes/{id}`.
    /// - Throws: ``DockerAPIError`` 404 for an unknown node.
    func inspectNode(_ text: String) throws -> Swarm.Node { nodes[try nodePosition(for: text)] }

    // MARK: - Tasks

    /// `GET /tasks?filters=`, including the CLI's `_up-to-date` (tasks that are not dirty).
    /// - Throws: ``DockerAPIError`` 400 for bad filters, 404 for a `service` or `node` filter naming nothing.
    func listTasks(filters text: String?) throws -> [UInt8] {
        let filters = try DockerFilters(
            text, accepted: ["desired-state", "id", "label", "name", "node", "service", "_up-to-date"])
        let serviceIDs = try Set(filters["service"].map { try serviceID(for: $0) })
        let nodeIDs = try Set(filters["node"].map { try nodes[nodePosition(for: $0)].id ?? "" })
        for state in filters["desired-state"] where !["running", "shutdown", "accepted"].contains(state) {
            throw DockerAPIError.badRequest("Invalid desired-state filter: '\(state)'")
        }
        let upToDate = filters.contains("_up-to-date")
        let candidates = serviceIDs.isEmpty ? serviceOrder : serviceOrder.filter(serviceIDs.contains)
        var elements: [[UInt8]] = []
        for serviceID in candidates {
            guard let service = services[serviceID] else { continue }
            for taskID in service.taskIDs {
                guard let record = tasks[taskID] else { continue }
                guard nodeIDs.isEmpty || nodeIDs.contains(record.nodeID ?? ""),
                    filters.allows("id", prefixOf: taskID), filters.allows("name", prefixOf: taskName(record, service: service)),
                    filters.allows("desired-state", exactly: record.desired.rawValue), filters.allowsLabels(record.task.labels),
                    !upToDate || !isDirty(record, of: service)
                else { continue }
                elements.append(encodedTask(taskID))
            }
        }
        return DockerJSON.array(elements)
    }

    /// `GET /tasks/{id}` (full ID or unique prefix).
    /// - Throws: ``DockerAPIError`` 404 for an unknown task.
    func inspectTask(_ text: String) throws -> [UInt8] {
        if tasks[text] != nil { return encodedTask(text) }
        let matches = tasks.keys.filter { $0.hasPrefix(text) }
        guard matches.count == 1, !text.isEmpty, let id = matches.first else { throw DockerAPIError.notFound("task", text) }
        return encodedTask(id)
    }

    /// The name the CLI shows for a task: `service.slot` or `service.nodeID`, then the task ID.
    func taskName(_ record: TaskRecord, service: ServiceRecord) -> String { "\(service.name).\(record.slot).\(record.id)" }

    /// The cached JSON of a task.
    func encodedTask(_ id: String) -> [UInt8] {
        if let bytes = tasks[id]?.encoded { return bytes }
        guard let task = tasks[id]?.task else { return Array("null".utf8) }
        let bytes = DockerJSON.encode(task)
        tasks[id]?.encoded = bytes
        return bytes
    }
}
