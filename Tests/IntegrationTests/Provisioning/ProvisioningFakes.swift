import Foundation
import HomelabCore
import HomelabSimulator

/// A node's shell for the setup steps: a step's check passes once its apply ran (or when the step starts out in
/// place); `broken` steps' applies "succeed" but their checks keep failing, printing what a real check would.
final class ScriptedShell: NodeMaintenanceShell {
    struct State {
        var applied: Set<String>
        var broken: Set<String>
        var commands: [String] = []
    }

    private let steps: [ProvisionStep]
    private let state: Locked<State>

    init(steps: [ProvisionStep], inPlace: Set<String> = [], broken: Set<String> = []) {
        self.steps = steps
        state = Locked(State(applied: inPlace, broken: broken))
    }

    var commands: [String] { state.withLock { $0.commands } }
    func repair(_ step: String) { state.withLock { _ = $0.broken.remove(step) } }

    func run(_ command: String, on node: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult {
        let (status, output): (Int32, String) = state.withLock { state in
            state.commands.append(command)
            if command == "true" { return (0, "") }
            if let step = steps.first(where: { $0.check == command }) {
                let passes = state.applied.contains(step.name) && !state.broken.contains(step.name)
                return passes ? (0, "") : (1, "\(step.name): not in place\npasswordauthentication yes")
            }
            if let step = steps.first(where: { $0.apply == command }) {
                state.applied.insert(step.name)
                return (0, "applied \(step.name)")
            }
            return (127, "unknown command")
        }
        return SSHCommandResult(command: command, stdout: Array(output.utf8), stderr: [], exitStatus: status, exitSignal: nil, duration: .zero)
    }
}

/// Counts the machine step's runs around the real one.
final class CountingMachine: ProvisioningMachine {
    let inner: any ProvisioningMachine
    private let count = Locked(0)
    init(_ inner: any ProvisioningMachine) { self.inner = inner }
    var runs: Int { count.withLock { $0 } }

    func provision(_ node: Homelab.Node) async throws -> (changed: Bool, detail: String) {
        count.withLock { $0 += 1 }
        return try await inner.provision(node)
    }
}

/// The new machine's engine joining the simulated swarm with the token it was given.
final class SimulatedSwarmJoin: SwarmJoining {
    let world: DockerWorld
    private let count = Locked(0)
    init(world: DockerWorld) { self.world = world }
    var joins: Int { count.withLock { $0 } }

    func join(_ node: Homelab.Node, _ request: Swarm.SwarmJoinRequest, timeout: Duration) async throws {
        count.withLock { $0 += 1 }
        try await world.join(node, token: request.joinToken.reveal())
    }
}
