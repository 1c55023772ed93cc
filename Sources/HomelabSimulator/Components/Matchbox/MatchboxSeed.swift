import Foundation
import HomelabCore

/// The simulated matchbox's starting data directory.
enum MatchboxSeed {
    /// Placeholder boot assets (a few bytes each: nothing boots them, they are served and listed).
    static let assets = [
        "debian/bookworm/linux", "debian/bookworm/initrd.gz", "talos/v1.11.5/vmlinuz-amd64", "talos/v1.11.5/initramfs-amd64.xz",
    ]

    /// Writes profiles, groups and templates for the bare-metal nodes, and the placeholder assets.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when a file cannot be written.
    static func write(homelab: Homelab, to root: String) async throws {
        let store = LocalPXEFileStore()
        let directory = MatchboxDataDirectory(store: store, root: root)
        for directory in ["profiles", "groups", "generic", "ignition", "cloud", "assets"] {
            try FileManager.default.createDirectory(
                atPath: PXEPath.join(root, directory), withIntermediateDirectories: true)
        }
        for asset in assets {
            try await store.write(PXEPath.join(PXEPath.join(root, "assets"), asset), Array("simulated \(asset)\n".utf8))
        }
        var seeded = homelab
        if seeded.pxe == nil, let subnet = IPv4Network("192.0.2.0/24"), let server = IPv4Address("192.0.2.1") {
            seeded.pxe = PXESettings(subnet: subnet, server: server, matchboxURL: "http://192.0.2.1:8080")
        }
        let provisioning = BareMetalProvisioning(homelab: seeded, matchbox: directory, dnsmasq: nil)
        let nodes = seeded.nodes.filter { $0.platform == .bareMetal && $0.mac != nil }
        for (index, node) in nodes.enumerated() {
            let os: BareMetalProvisioning.OperatingSystem = index == 0 ? .debian : .talos
            let request = BareMetalProvisioning.Request(
                node: node, operatingSystem: os, authorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISimulatedKeyForHomelab \(node.ssh.user)@homelab"])
            let (profile, group, templates) = try provisioning.matchboxFiles(request)
            try await directory.write(profile)
            try await directory.write(group)
            for (path, text) in templates { try await directory.writeFile(path, Array(text.utf8)) }
            if os == .talos {
                try await directory.writeTemplate("generic", id: profile.genericID ?? "talos.yaml", text: talosConfig)
            }
            if index == 0, let mac = node.mac {
                // The installed system asks with os=installed: a more specific group answers its metadata.
                try await directory.write(Matchbox.Profile(id: "debian-installed", name: "Debian, installed", genericID: "debian-installed.env"))
                try await directory.writeTemplate("generic", id: "debian-installed.env", text: "HOSTNAME={{.hostname}}\nINSTALLED=true\n")
                try await directory.write(Matchbox.Group(
                    id: "\(node.name)-installed", name: "\(node.name) after its install", profile: "debian-installed",
                    selector: ["mac": mac, "os": "installed"], metadata: ["hostname": .string(node.name)]))
            }
        }
    }

    /// A stand-in Talos worker config (no cluster secrets: the simulator never boots it).
    static let talosConfig = """
        # Simulated Talos worker config for {{.hostname}} ({{.mac}}): a real one comes from `talosctl gen config`.
        version: v1alpha1
        machine:
          type: worker
          network:
            hostname: {{.hostname}}
          install:
            disk: /dev/sda

        """
}
