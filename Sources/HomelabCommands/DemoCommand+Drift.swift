import Foundation
import HomelabCore

extension DemoCommand {
    /// The demo's drift part (`homelab drift`), before any rollout changes the swarm: the stack files in Forgejo, at
    /// the branch Komodo deploys, against the live services; the simulated homelab has one deliberate drift (a
    /// variable git sets on Grafana in a commit Komodo has not deployed) and Komodo's pending sync changes.
    func driftPart(homelab: Homelab, transport: any HTTPTransport) async throws {
        guard homelab.components[.forgejo] != nil else { return }
        let title = "Drift: does the swarm run what git says? (homelab drift)"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let drift = try await DriftDetector(connections: connections, timeout: .seconds(20)).drift()
            let where_ = drift.stacks.first.map { "\($0.repository)" + ($0.ref.map { "@\($0)" } ?? "") } ?? "git"
            print("  \(drift.stacks.count) stack files read from \(where_), \(drift.inSync.count) services as git says")
            for service in drift.services {
                let fields = service.fields.map(\.description)
                print("  \(service.name): \(service.kind.rawValue)" + (fields.isEmpty ? "" : ": " + fields.joined(separator: "; ")))
            }
            for change in drift.pending { print("  Komodo's sync \(change.sync) would \(change.action) \(change.kind) \(change.name)") }
            print("  exit \(drift.isDrifted ? ExitStatus.degraded.rawValue : ExitStatus.success.rawValue): "
                + (drift.isDrifted ? "drifted" : "in sync"))
        } catch {
            print("  drift could not be shown: \(error)")
        }
        await connections.close()
    }
}
