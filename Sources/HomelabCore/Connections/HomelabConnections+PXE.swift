import Foundation
extension HomelabConnections {
    /// matchbox's read-only HTTP client (`components.matchbox.url`, or through its `ssh_tunnel`).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` (located) without a usable entry; tunnel errors.
    public func matchbox() async throws -> MatchboxClient {
        MatchboxClient(http: try await http(for: .matchbox))
    }

    /// matchbox's data directory (`components.matchbox.config_path`): on its `node:` over SSH, or on this machine
    /// when the entry names no node.
    /// - Parameter shell: runs the SSH commands (default: the connections' SSH login to the nodes).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` (located) without `config_path`, with an unknown node,
    ///   or with a node but no SSH login (no known_hosts file).
    public nonisolated func matchboxDirectory(shell: (any NodeMaintenanceShell)? = nil) throws -> MatchboxDataDirectory {
        let (store, path) = try pxeFiles(.matchbox, shell: shell, what: "its data directory (profiles/, groups/)")
        return MatchboxDataDirectory(store: store, root: path)
    }

    /// dnsmasq's configuration file (`components.dnsmasq.config_path` on its `node:`, or on this machine).
    /// - Throws: as ``matchboxDirectory(shell:)``.
    public nonisolated func dnsmasqFile(shell: (any NodeMaintenanceShell)? = nil) throws -> (store: any PXEFileStore, path: String) {
        try pxeFiles(.dnsmasq, shell: shell, what: "its configuration file")
    }

    /// The files of the node dnsmasq runs on (its TFTP root is there), or `nil` when the inventory has no dnsmasq
    /// entry.
    /// - Throws: as ``matchboxDirectory(shell:)``.
    public nonisolated func dnsmasqNodeFiles(shell: (any NodeMaintenanceShell)? = nil) throws -> (any PXEFileStore)? {
        guard homelab.components[.dnsmasq] != nil else { return nil }
        return try dnsmasqFile(shell: shell).store
    }

    private nonisolated func pxeFiles(
        _ kind: ComponentKind, shell: (any NodeMaintenanceShell)?, what: String
    ) throws -> (any PXEFileStore, String) {
        let location = "\(source): components.\(kind.rawValue)"
        guard let component = homelab.components[kind] else {
            throw HomelabError(.invalidConfiguration, "\(location) is not in the inventory", component: kind.rawValue)
        }
        guard let path = component.configPath else {
            throw HomelabError(
                .invalidConfiguration, "\(location).config_path is missing: it names \(what)", component: kind.rawValue)
        }
        guard let nodeName = component.node else { return (LocalPXEFileStore(), path) }
        guard let node = homelab.node(named: nodeName) else {
            throw HomelabError(.invalidConfiguration, "\(location).node names no node '\(nodeName)'", component: kind.rawValue)
        }
        guard let shell = shell ?? sshLogin else {
            throw HomelabError(
                .invalidConfiguration,
                "\(location).node: SSH to node \(nodeName) needs a known_hosts file (set HOMELAB_KNOWN_HOSTS or HOME)",
                component: "ssh")
        }
        return (SSHPXEFileStore(shell: shell, node: node), path)
    }
}
