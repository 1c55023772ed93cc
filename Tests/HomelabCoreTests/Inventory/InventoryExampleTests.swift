import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// The example inventory at `Examples/homelab.yaml`, found from this file's path.
enum ExampleInventory {
    static var path: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Inventory
            .deletingLastPathComponent()  // HomelabCoreTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("Examples/homelab.yaml").path
    }

    static func text() throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}

@Suite("The example inventory")
struct InventoryExampleTests {
    @Test("loads without a single issue")
    func loads() throws {
        let issues = InventoryLoader.issues(in: try ExampleInventory.text(), file: "homelab.yaml")
        #expect(issues.isEmpty, "\(issues.map(\.description).joined(separator: "\n"))")
        _ = try InventoryLoader.load(path: ExampleInventory.path)
    }

    @Test("has the five nodes of the architecture, barbary leading")
    func nodes() throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        #expect(homelab.nodes.map(\.name) == ["barbary", "ching", "angre", "lorcha", "dhow"])
        #expect(homelab.managers.map(\.name) == ["barbary", "ching", "angre"])
        #expect(homelab.leader?.name == "barbary")
        #expect(homelab.node(named: "barbary")?.platform == .truenas)
        #expect(homelab.node(named: "ching")?.platform == .proxmoxVM)
        #expect(homelab.node(named: "angre")?.platform == .proxmoxVM)
        #expect(homelab.node(named: "lorcha")?.platform == .bareMetal)
        #expect(homelab.node(named: "dhow")?.role == .worker)
        #expect(homelab.node(named: "barbary")?.ssh.user == "admin")
        #expect(homelab.node(named: "barbary")?.labels["storage"] == "zfs")
    }

    @Test("has the three tiers in order, each with stacks")
    func tiers() throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        #expect(homelab.tiers == ["infrastructure", "platform", "application"])
        #expect(homelab.stacks(inTier: "infrastructure").map(\.name) == ["ingress", "secrets", "komodo", "cloudflared", "pxe"])
        #expect(homelab.stacks(inTier: "application").map(\.name) == ["media-core", "media-support", "media-enrichment"])
    }

    @Test("names every service of the architecture", arguments: [
        "caddy", "caddy-docker-proxy", "connect-api", "connect-sync", "komodo-core", "cloudflared", "matchbox", "dnsmasq",
        "authentik-server", "authentik-worker", "postgres", "prometheus", "loki", "grafana", "homepage", "uptime-kuma",
        "autokuma", "forgejo", "woodpecker-server", "woodpecker-agent", "plex", "jellyfin", "sonarr", "radarr",
        "prowlarr", "sabnzbd", "bazarr", "tautulli", "maintainerr", "seerr", "wizarr", "kometa", "titlecardmaker",
        "posterizarr",
    ])
    func service(name: String) throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        #expect(homelab.service(named: name) != nil)
    }

    @Test("pins every stateful service to barbary")
    func statefulPinned() throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        let stateful = homelab.services.filter(\.isStateful)
        #expect(stateful.count >= 20)
        for service in stateful {
            #expect(service.pinnedNode == "barbary", "\(service.name)")
            #expect(service.mode == .replicated(1), "\(service.name)")
        }
        #expect(homelab.service(named: "authentik-server")?.pinnedNode == nil)
        #expect(homelab.service(named: "komodo-periphery")?.mode == .global)
        #expect(homelab.service(named: "sonarr")?.dependsOn == ["prowlarr", "sabnzbd", "authentik-server"])
        #expect(homelab.service(named: "sonarr")?.tier == "application")
    }

    @Test("describes every component, with credentials as references")
    func components() throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        #expect(Set(homelab.components.keys) == Set(ComponentKind.allCases))
        let truenas = try #require(homelab.components[.truenas])
        #expect(truenas.endpoint?.tls.trust == .pinnedKeyOnly)
        #expect(truenas.endpoint?.tls.pinnedPublicKeys.count == 1)
        #expect(truenas.credentials["api_key"] == .onePassword(vault: "homelab", item: "truenas-api-key", section: nil, field: "credential"))
        let docker = try #require(homelab.components[.docker])
        #expect(docker.endpoint?.usesTLS == true)
        #expect(docker.endpoint?.tls.clientCertificate?.keyFile == "~/.docker/homelab/key.pem")
        #expect(homelab.components[.onepassword]?.credentials["token"] == .env("OP_CONNECT_TOKEN"))
        #expect(homelab.components[.caddy]?.sshTunnel == "barbary")
        #expect(homelab.components[.dnsmasq]?.endpoint == nil)
        #expect(homelab.components[.dnsmasq]?.configPath == "/mnt/tank/apps/pxe/dnsmasq.conf")
        #expect(homelab.components[.proxmox]?.username == "homelab@pve!sdk")
    }

    @Test("no service depends on a higher tier")
    func tierOrder() throws {
        let homelab = try InventoryLoader.load(path: ExampleInventory.path)
        for service in homelab.services {
            let own = try #require(homelab.tierIndex(of: service.tier))
            for dependency in service.dependsOn {
                let other = try #require(homelab.service(named: dependency))
                #expect(try #require(homelab.tierIndex(of: other.tier)) <= own, "\(service.name) -> \(dependency)")
            }
        }
    }
}
