import Foundation
import HomelabCore

extension DemoCommand {
    /// The demo's PXE part: which group each bare-metal node gets from the simulated matchbox and why, what its
    /// /ipxe answers, a provisioning dry run, and the dnsmasq configuration the inventory's pxe: block generates.
    func pxePart(homelab: Homelab, transport: any HTTPTransport) async throws {
        guard homelab.components[.matchbox] != nil else { return }
        let title = "Network boot: matchbox groups for the bare-metal nodes, dnsmasq proxy-DHCP"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let directory = try connections.matchboxDirectory()
            let data = try await directory.load()
            print("  data directory: \(data.profileFiles.count) profiles, \(data.groupFiles.count) groups, \(data.validate().filter { $0.severity == .error }.count) errors")
            let matchbox = try await connections.matchbox()
            for node in homelab.nodes where node.platform == .bareMetal {
                guard let mac = node.mac else { continue }
                let selection = data.which(["mac": mac])
                print("  \(node.name) (\(mac)) -> group \(selection.chosen?.id ?? "none"): \(selection.reason)")
                let script = try await matchbox.ipxe(MatchboxClient.Labels(mac: mac))
                print("    /ipxe?mac=\(mac): kernel \(script.kernel ?? "?"), \(script.initrd.count) initrd, \(script.args.count) args")
            }
            if let first = homelab.nodes.first(where: { $0.platform == .bareMetal && $0.mac != nil }), let mac = first.mac {
                let installed = data.which(["mac": mac, "os": "installed"])
                print("  \(first.name) after its install (os=installed) -> group \(installed.chosen?.id ?? "none"): \(installed.reason)")
                let provisioning = BareMetalProvisioning(homelab: homelab, matchbox: directory, dnsmasq: nil)
                let plan = try await provisioning.plan(.init(node: first, operatingSystem: .debian))
                let changed = plan.files.filter(\.changes).map(\.path)
                print("  `homelab provision bare-metal \(first.name)` dry run: \(changed.isEmpty ? "nothing to change" : changed.joined(separator: ", ")), valid: \(plan.isValid)")
            }
            if homelab.pxe != nil {
                let configuration = try DnsmasqConfiguration(homelab: homelab)
                let lines = configuration.render().split(separator: "\n").filter { !$0.hasPrefix("#") }
                print("  dnsmasq (\(configuration.mode.rawValue) mode, `homelab pxe dnsmasq-config`): \(lines.count) lines, among them:")
                for line in lines where line.hasPrefix("dhcp-range") || line.hasPrefix("pxe-service") { print("    " + line) }
            }
        } catch {
            print("  PXE could not be shown: \(error)")
        }
        await connections.close()
    }
}
