import Foundation
import HomelabCore

extension DemoCommand {
    /// The demo's Komodo part: servers and stacks, a stack a commit behind deployed only because it changed, a
    /// deploy that fails (its update's logs say why), the resource sync's pending changes applied, and the exported
    /// resource file checked by the same validator as `homelab komodo validate`.
    func komodoPart(homelab: Homelab, transport: any HTTPTransport) async throws {
        guard homelab.components[.komodo] != nil else { return }
        let title = "Deployment: Komodo (git-driven stacks, updates polled until complete)"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let komodo = try await connections.komodo()
            let servers = try await komodo.servers.list()
            print("  Komodo \(try await komodo.version()): servers " + servers.map { "\($0.name) \($0.info.state)" }.joined(separator: ", "))
            let stacks = try await komodo.stacks.list()
            print("  \(stacks.count) stacks (every page read); " + stacks.prefix(4).map { "\($0.name) \($0.info.state) at \($0.info.deployedHash ?? "-")" }
                .joined(separator: ", ") + ", ...")
            if let behind = stacks.first(where: { ($0.info.latestHash ?? "") != ($0.info.deployedHash ?? "") && ($0.info.missingFiles ?? []).isEmpty }) {
                let update = try await komodo.waitForUpdate(try await komodo.stacks.deployIfChanged(behind.name), timeout: .seconds(60))
                print("  \(behind.name) was at \(behind.info.deployedHash ?? "-"), its branch at \(behind.info.latestHash ?? "-"): "
                    + "DeployStackIfChanged -> \(update.success ? "deployed" : "failed") \(update.commitHash ?? "")")
            }
            if let broken = stacks.first(where: { !($0.info.missingFiles ?? []).isEmpty }) {
                let update = try await komodo.waitForUpdate(try await komodo.stacks.deploy(broken.name), timeout: .seconds(60))
                print("  deploying \(broken.name): \(update.success ? "ok" : "FAILED") after \(update.logs.count) stages -> \(update.failureText ?? "")")
            }
            if let sync = try await komodo.syncs.list().first {
                let pending = try await komodo.syncs.pending(sync.name)
                print("  resource sync \(sync.name) is \(sync.info.state): " + (pending.resourceUpdates ?? []).map { "\($0.data.type) \($0.target.type)" }
                    .joined(separator: ", "))
                let update = try await komodo.waitForUpdate(try await komodo.syncs.run(sync.name), timeout: .seconds(60))
                print("  RunSync -> \(update.success ? "applied" : "failed") at \(update.commitHash ?? "-"); now \(try await komodo.syncs.list().first?.info.state.rawValue ?? "?")")
            }
            let file = KomodoResourceFile.parse(try await komodo.exportResources(), file: "export.toml")
            let live = try await KomodoSyncPlan.readLive(for: file, from: komodo)
            let plan = KomodoSyncPlan.compute(file: file, live: live)
            print("  exported resource file: \(file.resources.count) resources, \(file.issues.filter { $0.severity == .error }.count) errors; "
                + "against the live resources it changes \(plan.changes.count) (`homelab komodo validate`, `homelab komodo sync diff --file`)")
        } catch {
            print("  Komodo could not be shown: \(error)")
        }
        await connections.close()
    }
}
