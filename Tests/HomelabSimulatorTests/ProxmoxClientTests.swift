import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("ProxmoxClient against the simulated Proxmox VE (https, token and ticket)")
struct ProxmoxClientTests {
    @Test("Reads: version, cluster status and resources, nodes with fingerprint, VMs, containers, storage, tasks")
    func reads() async throws {
        try await withSimulation { sim in
            let client = try sim.proxmox()
            let version = try await client.version()
            #expect(version.release == "9.1")
            #expect(version.majorMinor.map { $0.0 == 9 && $0.1 == 1 } == true)
            let status = try await client.cluster.status()
            #expect(status.contains { $0.type == .cluster && $0.quorate == true })
            #expect(status.contains { $0.type == .node && $0.name == "pve1" && $0.online == true && $0.local == true })
            let resources = try await client.cluster.resources()
            #expect(resources.contains { $0.id == "qemu/101" && $0.name == "ching" && $0.status == "running" })
            #expect(resources.contains { $0.type == .sdn && $0.type.isKnown }, "the sdn entry reads as a known type")
            #expect(resources.contains { $0.type == .storage && $0.storage == "local-lvm" })
            let nodes = try await client.nodes.list()
            let pve1 = try #require(nodes.first)
            #expect(pve1.node == "pve1" && pve1.status == .online)
            #expect(try CertificateFingerprint(try #require(pve1.sslFingerprint)).bytes.count == 32)
            let nodeStatus = try await client.nodes.status("pve1")
            #expect((nodeStatus.memory?.total ?? 0) > 0 && (nodeStatus.uptime ?? 0) > 0)
            let vms = try await client.vms(node: "pve1").list()
            #expect(Set(vms.compactMap(\.name)).isSuperset(of: ["ching", "angre", "debian-12-cloud"]))
            #expect(vms.first { $0.vmid == 9000 }?.template == true)
            let ching = try await client.vms(node: "pve1").status(101)
            #expect(ching.status == .running && (ching.uptime ?? 0) > 0)
            let containers = try await client.containers(node: "pve1").list()
            #expect(containers.map(\.vmid) == [200])
            #expect(try await client.containers(node: "pve1").status(200).status == .running)
            let storages = try await client.storage(node: "pve1").list()
            #expect(storages.map(\.storage) == ["local", "local-lvm"])
            let images = try await client.storage(node: "pve1").content("local-lvm", content: "images")
            #expect(images.contains { $0.volid == "local-lvm:base-9000-disk-0" })
            #expect(try await client.cluster.nextID() == 100)
        }
    }

    @Test("Power: stop takes the swarm node down, start brings it back; tasks are listed with their UPIDs")
    func powerFollowsTheSwarm() async throws {
        try await withSimulation { sim in
            let vms = try sim.proxmox().vms(node: "pve1")
            let stopped = try await vms.stop(102)
            #expect(stopped.succeeded && stopped.exitstatus == "OK")
            #expect(try await vms.status(102).status == .stopped)
            #expect(await sim.simulation.world.nodes.node("angre")?.power == .off)
            let down = try await sim.get(Swarm.Node.self, "/v1.47/nodes/angre")
            #expect(down.status?.state == .down, "the simulated swarm marks the VM's node down")
            let again = try await vms.shutdown(102)
            #expect(again.exitstatus == "WARNINGS: 1", "shutting down a stopped VM warns, and counts as success")
            try await vms.start(102)
            #expect(await sim.simulation.world.nodes.node("angre")?.power == .on)
            #expect(try await sim.get(Swarm.Node.self, "/v1.47/nodes/angre").status?.state == .ready)
            try await vms.reboot(102)
            let upid = try await vms.request(.start, 101)
            #expect(upid.node == "pve1" && upid.type == "qmstart" && upid.id == "101" && upid.user == "homelab@pve!sdk")
            try await sim.proxmox().tasks.wait(upid)
            let tasks = try await sim.proxmox().tasks.list(node: "pve1", pageSize: 2).collect()
            #expect(tasks.count == 5)
            #expect(tasks.first?.upid == upid.rawValue && tasks.allSatisfy { $0.status == .stopped })
            let log = try await sim.proxmox().tasks.log(upid)
            #expect(log.last?.t == "TASK OK")
        }
    }

    @Test("Config: digest-checked writes, a stale digest refused, modify re-reads; clone, cloud-init, resize, delete")
    func configAndLifecycle() async throws {
        try await withSimulation { sim in
            let vms = try sim.proxmox().vms(node: "pve1")
            let read = try await vms.config(101)
            #expect(read.name == "ching" && read.memory == 8192 && read.onboot && read.digest?.count == 40)
            try await vms.updateConfig(101, set: ["memory": "12288"], digest: read.digest)
            let stale = try await #require(throws: HomelabError.self) {
                try await vms.updateConfig(101, set: ["memory": "4096"], digest: read.digest)
            }
            #expect(stale.code == .outOfSequence)
            var attempts = 0
            let written = try await vms.modifyConfig(101) { config in
                attempts += 1
                config[text: "cores"] = "6"
                config.values["tags"] = nil
            }
            #expect(attempts == 1 && written.cores == 6)
            let after = try await vms.config(101)
            #expect(after.memory == 12288 && after.cores == 6 && after.values["tags"] == nil && after[text: "agent"] == "1")

            try await vms.clone(9000, newID: 110, name: "junk", full: true)
            #expect(try await vms.config(110).name == "junk")
            try await vms.setCloudInit(110, Proxmox.CloudInit(user: "ops", sshKeys: ["ssh-ed25519 AAAAC3Nza test@lab"], ipConfig: "ip=10.0.0.30/24,gw=10.0.0.1"))
            let cloud = try await vms.config(110)
            #expect(cloud[text: "ciuser"] == "ops" && cloud[text: "ipconfig0"] == "ip=10.0.0.30/24,gw=10.0.0.1")
            #expect(cloud[text: "sshkeys"]?.removingPercentEncoding == "ssh-ed25519 AAAAC3Nza test@lab")
            try await vms.resize(110, disk: "scsi0", size: "+8G")
            #expect(try await vms.config(110)[text: "scsi0"]?.contains("size=16G") == true)
            try await vms.delete(110)
            let gone = try await #require(throws: HomelabError.self) { try await vms.config(110) }
            #expect(gone.code == .notFound)
        }
    }

    @Test("A locked VM is retried until the lock goes; a lock that stays is a conflict after the retries")
    func lockedVM() async throws {
        try await withSimulation { sim in
            let vms = try sim.proxmox().vms(node: "pve1")
            try await sim.proxmoxAdmin("/_sim/proxmox/guests/102/lock", ["lock": "backup", "seconds": 0.4])
            let before = sim.proxmoxRequests
            try await vms.stop(102)
            #expect(sim.proxmoxRequests - before > 3, "the locked answers were retried")
            try await sim.proxmoxAdmin("/_sim/proxmox/guests/101/lock", ["lock": "backup"])
            let refused = try await #require(throws: HomelabError.self) { try await vms.stop(101) }
            #expect(refused.code == .conflict)
            #expect(refused.serverMessage?.contains("VM is locked (backup)") == true)
            #expect(try await vms.status(101).lock == "backup")
        }
    }

    @Test("A task that fails is an error carrying its exit status and the tail of its log")
    func failingTask() async throws {
        try await withSimulation { sim in
            let vms = try sim.proxmox().vms(node: "pve1")
            try await vms.stop(102)
            try await sim.proxmoxAdmin("/_sim/proxmox/tasks/fail-next", ["type": "qmstart", "exitstatus": "start failed: QEMU exited with code 1"])
            let failed = try await #require(throws: HomelabError.self) { try await vms.start(102) }
            #expect(failed.code == .commandFailed)
            #expect(failed.message.contains("start failed: QEMU exited with code 1"))
            #expect(failed.serverMessage?.contains("TASK ERROR: start failed") == true)
            #expect(try await vms.status(102).status == .stopped)
        }
    }

    @Test("Rejected credentials: a wrong token secret is unauthorized, and the secret never shows in the error")
    func rejectedCredentials() async throws {
        try await withSimulation { sim in
            let wrong = "0badc0de-0000-4000-8000-" + String(UUID().uuidString.suffix(12)).lowercased()
            let error = try await #require(throws: HomelabError.self) { try await sim.proxmox(secret: wrong).version() }
            #expect(error.code == .unauthorized && error.status == 401)
            #expect(!error.description.contains(wrong))
        }
        try await withSimulation(faults: [.proxmox: FaultPlan(rejectCredentials: true)]) { faulted in
            let rejected = try await #require(throws: HomelabError.self) { try await faulted.proxmox().nodes.list() }
            #expect(rejected.code == .unauthorized)
        }
    }

    @Test("Ticket login: CSRF token on writes, one login shared, a new login after the server forgets the ticket")
    func ticketLogin() async throws {
        try await withSimulation { sim in
            let cluster = sim.proxmoxCluster
            let auth = ProxmoxTicketAuth(username: cluster.passwordUser, password: Secret(cluster.password))
            let client = try sim.proxmox(auth: [auth])
            async let a = client.nodes.list()
            async let b = client.cluster.status()
            _ = try await (a, b)
            try await client.vms(node: "pve1").stop(102)
            #expect(try await client.vms(node: "pve1").status(102).status == .stopped)
            let bad = ProxmoxTicketAuth(username: cluster.passwordUser, password: Secret("wrong-password"))
            let refused = try await #require(throws: HomelabError.self) { try await sim.proxmox(auth: [bad]).version() }
            #expect(refused.code == .unauthorized)
            let aged = ProxmoxTicketAuth(username: cluster.passwordUser, password: Secret(cluster.password), renewAfter: .zero)
            let renewing = try sim.proxmox(auth: [aged])
            _ = try await renewing.version()
            _ = try await renewing.version()
        }
    }

    @Test("The certificate fingerprint pins the connection: the right one works, a wrong one is refused before any request")
    func fingerprintPin() async throws {
        try await withSimulation { sim in
            let shown = try #require(try await sim.proxmox().nodes.list().first?.sslFingerprint)
            let pinned = Endpoint.url(sim.proxmoxBase + "/api2/json", tls: TLSOptions(certificateFingerprint: shown))
            #expect(try await sim.proxmox(endpoint: pinned).version().release == "9.1")
            let wrong = String(repeating: "AB:", count: 31) + "CD"
            let before = sim.proxmoxRequests
            let mismatch = Endpoint.url(sim.proxmoxBase + "/api2/json", tls: TLSOptions(certificateFingerprint: wrong))
            let refused = try await #require(throws: HomelabError.self) { try await sim.proxmox(endpoint: mismatch).version() }
            #expect(refused.code == .tlsFailure)
            #expect(refused.message.contains(wrong) && refused.message.contains(shown))
            #expect(sim.proxmoxRequests == before, "no request (so no credential) reached the server")
            let system = try await #require(throws: HomelabError.self) {
                try await sim.proxmox(endpoint: .url(sim.proxmoxBase + "/api2/json")).version()
            }
            #expect(system.code == .tlsFailure, "the self-signed certificate is refused without a CA, pin or fingerprint")
        }
    }
}
