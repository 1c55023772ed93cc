import Foundation
import HomelabCore

extension DemoCommand {
    /// The demo's provisioning part: the bare-metal worker `dhow` leaves the simulated swarm (its disk "was wiped"),
    /// then `homelab provision dhow`'s pipeline brings it back: PXE registration in the simulated matchbox, SSH and the
    /// default setup steps on a simulated machine (each check fails until its apply ran), the join with the simulated
    /// manager's token, its labels, and Komodo's deploys; then the same plan again, all skipped from the journal.
    func provisionPart(simulation: any DemoSimulation, transport: any HTTPTransport, store: StateStore) async throws {
        let homelab = simulation.homelab
        guard let node = homelab.nodes.first(where: { $0.platform == .bareMetal && $0.mac != nil }), let joiner = simulation.swarmJoiner,
            homelab.components[.matchbox] != nil
        else { return }
        let title = "Provisioning a node: homelab provision \(node.name) (machine, SSH, setup, join, labels, deploy)"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let manager = try await connections.swarm()
            if let old = try await manager.nodes.list().first(where: { $0.nodeName == node.name })?.id {
                try await manager.nodes.remove(old, force: true)
                print("  \(node.name) left the swarm (its machine is to be reinstalled)")
            }
            let dnsmasq = homelab.components[.dnsmasq] == nil ? nil : try connections.dnsmasqFile()
            let pxe = BareMetalProvisioning(homelab: homelab, matchbox: try connections.matchboxDirectory(), dnsmasq: dnsmasq)
            let parts = NodeProvisioning.Parts(
                machine: PXEMachine(provisioning: pxe, request: .init(node: node, operatingSystem: .debian)),
                shell: DemoMachineShell(steps: homelab.provisionSteps(for: node)), manager: manager, joiner: joiner,
                komodo: homelab.components[.komodo] == nil ? nil : try await connections.komodo(), journal: store.provisionJournal)
            let runner = NodeProvisioning(parts: parts, timeouts: .init(ssh: .seconds(10), join: .seconds(30), deploy: .seconds(60)))
            let reports = try await runner.run(ProvisionPlan(node: node, homelab: homelab)) { print("  " + ProvisionDocument.line($0)) }
            let again = try await runner.run(
                ProvisionPlan(node: node, homelab: homelab, journal: try await store.provisionJournal.entries(node: node.name)))
            print("  run again: \(again.filter { $0.outcome == .skipped }.count) of \(again.count) steps skipped (done in the journal); "
                + "\(reports.filter { $0.outcome == .changed }.count) changed the first time")
        } catch {
            print("  provisioning could not be shown: \(error)")
        }
        await connections.close()
    }
}

/// A freshly installed simulated machine: every setup step's check fails until its apply ran.
final class DemoMachineShell: NodeMaintenanceShell {
    private let steps: [ProvisionStep]
    private let applied = Locked<Set<String>>([])

    init(steps: [ProvisionStep]) { self.steps = steps }

    func run(_ command: String, on node: Homelab.Node, timeout: Duration) async throws -> SSHCommandResult {
        let status: Int32 = applied.withLock { applied in
            if let step = steps.first(where: { $0.apply == command }) {
                applied.insert(step.name)
                return 0
            }
            if let step = steps.first(where: { $0.check == command }) { return applied.contains(step.name) ? 0 : 1 }
            return 0
        }
        return SSHCommandResult(command: command, stdout: [], stderr: [], exitStatus: status, duration: .zero)
    }
}
