import HomelabCore

extension DemoCommand {
    /// The demo's TrueNAS part: the JSON-RPC session, pools, a snapshot before an upgrade, an app whose start fails
    /// (a job's error and traceback), all on the simulated barbary.
    func trueNASPart(homelab: Homelab, transport: any HTTPTransport) async throws {
        guard homelab.components[.truenas] != nil else { return }
        let title = "Storage: TrueNAS on barbary (JSON-RPC over wss, one session)"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let truenas = try await connections.trueNAS()
            print("  logged in to API \(truenas.version) with SCRAM-SHA-512 bound to the server's certificate (the key never crossed the wire)")
            for pool in try await truenas.pools.list() {
                print("  pool \(pool.name): \(pool.status), \(StorageRenderer.bytes(pool.allocated)) of \(StorageRenderer.bytes(pool.size)) used")
            }
            if let service = homelab.services.first(where: \.isStateful) {
                let dataset = "tank/apps/\(service.stack)/\(service.name)"
                let snapshot = try await truenas.snapshots.create(dataset: dataset, name: "demo-before-upgrade")
                let count = try await truenas.snapshots.list(dataset: dataset).count
                print("  snapshot \(snapshot.id) taken (\(count) snapshots of \(dataset); `homelab truenas snapshot rollback` undoes an upgrade)")
            }
            let job = try await truenas.apps.start("immich")
            do {
                _ = try await job.result(timeout: .seconds(60)) { update in
                    print("  job \(update.id) app.start immich: \(update.state) \(Int(update.progress?.percent ?? 0))%")
                }
            } catch let error as HomelabError {
                print("  -> \(error.message)")
            }
        } catch {
            print("  TrueNAS could not be shown: \(error)")
        }
        await connections.close()
    }
}
