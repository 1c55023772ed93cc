import Foundation
import HomelabCore

/// The swarm object itself: its spec, version, join tokens and autolock key.
struct ClusterState: Sendable {
    /// The swarm-wide settings (`POST /swarm/update` replaces them whole).
    var spec: Swarm.SwarmSpec
    /// The version `POST /swarm/update` must name.
    var version: UInt64
    /// When the spec or a token last changed.
    var updatedAt: String
    /// The worker and manager join tokens.
    var joinTokens: Swarm.JoinTokens
    /// The key that unlocks a locked manager, while autolock is on (`SWMKEY-1-...`).
    var unlockKey: Secret?
}

/// `POST /swarm/update`, `POST /swarm/unlock`, `GET /swarm/unlockkey`, as swarmkit's controlapi `UpdateCluster`
/// and the daemon's cluster code answer them.
extension DockerWorld {
    /// The settings of a new swarm (`docker swarm init` defaults).
    nonisolated static let defaultSwarmSpec = Swarm.SwarmSpec(
        name: "default", labels: [:], orchestration: Swarm.OrchestrationConfig(taskHistoryRetentionLimit: 5),
        raft: Swarm.RaftConfig(snapshotInterval: 10_000, keepOldSnapshots: 0, logEntriesForSlowFollowers: 500, electionTick: 10, heartbeatTick: 1),
        dispatcher: Swarm.DispatcherConfig(heartbeatPeriod: .seconds(5)), caConfig: Swarm.CAConfig(nodeCertExpiry: .seconds(7_776_000)),
        encryptionConfig: Swarm.EncryptionConfig(autoLockManagers: false), taskDefaults: Swarm.TaskDefaults())

    /// What `POST /swarm/update` should rotate besides replacing the spec.
    struct Rotation: Sendable {
        var workerToken = false
        var managerToken = false
        var unlockKey = false
    }

    /// `POST /swarm/update?version=N`: replaces the spec, rotates what `rotation` names, moves the version.
    /// Autolock turned on makes an unlock key; turned off drops it.
    /// - Throws: ``DockerAPIError`` 500 `update out of sequence` for a stale version.
    func updateSwarm(version: UInt64, spec: Swarm.SwarmSpec, rotation: Rotation) throws {
        guard version == cluster.version else { throw DockerAPIError.outOfSequence }
        var spec = spec
        if spec.name?.isEmpty ?? true { spec.name = "default" }
        cluster.spec = spec
        if rotation.workerToken { cluster.joinTokens.worker = cluster.joinTokens.worker.map { rotated($0) } }
        if rotation.managerToken { cluster.joinTokens.manager = cluster.joinTokens.manager.map { rotated($0) } }
        let autolock = spec.encryptionConfig?.autoLockManagers ?? false
        if !autolock {
            cluster.unlockKey = nil
        } else if cluster.unlockKey == nil || rotation.unlockKey {
            cluster.unlockKey = Secret("SWMKEY-1-" + ids.objectID() + ids.objectID().prefix(18))
        }
        cluster.version = nextIndex()
        cluster.updatedAt = timestamp()
        for service in serviceOrder { pruneAllSlots(of: service) }
    }

    /// `GET /swarm/unlockkey`: the key, or empty while autolock is off.
    func unlockKey() -> String { cluster.unlockKey?.reveal() ?? "" }

    /// `POST /swarm/unlock`: this manager is never locked (the simulator does not restart).
    /// - Throws: ``DockerAPIError`` 409 `swarm is not locked`, the daemon's `notLockedError`.
    func unlockSwarm() throws {
        throw DockerAPIError.conflict("swarm is not locked")
    }

    /// A token with the same CA digest and a new secret, as swarmkit's `GenerateJoinToken` for the same root CA.
    private func rotated(_ token: Secret) -> Secret {
        let parts = token.reveal().split(separator: "-")
        guard parts.count == 4 else { return Secret(ids.joinToken()) }
        return Secret("\(parts[0])-\(parts[1])-\(parts[2])-\(ids.objectID())")
    }

    /// Applies a lowered history limit to every slot of a service at once.
    private func pruneAllSlots(of serviceID: String) {
        guard let service = services[serviceID] else { return }
        let slots = Set(service.taskIDs.compactMap { tasks[$0]?.slot })
        for slot in slots.sorted() { pruneHistory(serviceID: serviceID, slot: slot) }
    }
}
