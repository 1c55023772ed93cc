import Foundation
import HomelabCore

/// Draws a ``Homelab`` for `homelab inventory show`: as text (tables and a tier tree) or as JSON.
///
/// Credentials appear by kind only (`op://…`), so neither a secret nor where it is kept is printed.
public enum InventoryRenderer {
    /// The text drawing: a summary line, the nodes, each tier's stacks and services, the components.
    public static func text(_ homelab: Homelab) -> String {
        var out: [String] = []
        let services = homelab.services
        out.append(
            "\(homelab.name): \(count(homelab.nodes.count, "node")), \(count(homelab.tiers.count, "tier")), "
                + "\(count(homelab.stacks.count, "stack")), \(count(services.count, "service")), "
                + "\(count(homelab.components.count, "component"))")

        out.append("")
        out.append("Nodes")
        var nodeRows = [["NAME", "ROLE", "PLATFORM", "ADDRESS", "SSH", "LABELS"]]
        for node in homelab.nodes {
            let labels = node.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            nodeRows.append([
                node.name, node.role.rawValue + (node.isLeader ? " (leader)" : ""), node.platform.rawValue, node.address,
                "\(node.ssh.user), port \(node.ssh.port)", labels.isEmpty ? "-" : labels,
            ])
        }
        out += table(nodeRows).map { "  " + $0 }

        out.append("")
        out.append("Tiers (bottom first: each needs the ones before it to be up)")
        // One table for every service, so the columns line up across stacks and tiers.
        let serviceLines = table(services.map { service in
            [service.name, replicas(service.mode), placement(service),
             service.dependsOn.isEmpty ? "" : "after " + service.dependsOn.joined(separator: ", ")]
        })
        for (index, tier) in homelab.tiers.enumerated() {
            out.append("  \(index + 1). \(tier)")
            let stacks = homelab.stacks(inTier: tier)
            for (stackIndex, stack) in stacks.enumerated() {
                let lastStack = stackIndex == stacks.count - 1
                out.append("     \(lastStack ? "└─" : "├─") \(stack.name)")
                for serviceIndex in stack.services.indices {
                    let lastService = serviceIndex == stack.services.count - 1
                    let line = serviceLines[firstLine(of: stack, in: homelab) + serviceIndex]
                    out.append("     \(lastStack ? "   " : "│  ")\(lastService ? "└─" : "├─") \(line)")
                }
            }
            let inherited = homelab.services.filter { $0.tier == tier && homelab.stack(named: $0.stack)?.tier != tier }
            for service in inherited {
                out.append("     · \(service.name) (of stack \(service.stack))")
            }
        }

        out.append("")
        out.append("Components")
        var componentRows = [["KIND", "ENDPOINT", "TLS", "AUTH"]]
        for kind in homelab.components.keys.sorted() {
            guard let component = homelab.components[kind] else { continue }
            componentRows.append([kind.rawValue, endpoint(component), tls(component), auth(component)])
        }
        out += table(componentRows).map { "  " + $0 }
        return out.joined(separator: "\n")
    }

    /// The JSON drawing: pretty-printed, keys sorted, credentials by kind only.
    /// - Throws: an `EncodingError` (not expected for these plain values).
    public static func json(_ homelab: Homelab) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(InventoryJSON(homelab)), as: UTF8.self)
    }

    // MARK: Pieces

    /// The index in ``Homelab/services`` of the stack's first service.
    static func firstLine(of stack: Homelab.Stack, in homelab: Homelab) -> Int {
        var index = 0
        for other in homelab.stacks {
            if other.name == stack.name { return index }
            index += other.services.count
        }
        return index
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func replicas(_ mode: Homelab.Service.Mode) -> String {
        switch mode {
        case .global: return "global"
        case .replicated(let n): return "×\(n)"
        }
    }

    static func placement(_ service: Homelab.Service) -> String {
        switch (service.pinnedNode, service.isStateful) {
        case (let node?, true): return "on \(node), stateful"
        case (let node?, false): return "on \(node)"
        case (nil, _): return "floats"
        }
    }

    static func endpoint(_ component: ComponentEndpoint) -> String {
        let files = component.configPath.map { path in component.node.map { "\($0):\(path)" } ?? path }
        guard let endpoint = component.endpoint else {
            return files.map { "\($0) (over ssh)" } ?? component.node.map { "\($0) (over ssh)" } ?? "-"
        }
        var text = endpoint.description
        if let tunnel = component.sshTunnel { text += " via ssh \(tunnel)" }
        if let files { text += ", files \(files)" }
        return text
    }

    static func tls(_ component: ComponentEndpoint) -> String {
        guard let endpoint = component.endpoint else { return "-" }
        guard endpoint.usesTLS else {
            if case .unixSocket = endpoint.address { return "-" }
            return component.sshTunnel == nil ? "none (plain http)" : "none (inside ssh)"
        }
        var parts: [String]
        switch endpoint.tls.trust {
        case .system: parts = ["system CAs"]
        case .caFile: parts = ["CA file"]
        case .caPEM: parts = ["inline CA"]
        case .pinnedKeyOnly: parts = ["pinned key only"]
        case .insecure: parts = ["INSECURE: not verified"]
        }
        let pins = endpoint.tls.pinnedPublicKeys.count
        if pins > 0 { parts.append(count(pins, "pin")) }
        if endpoint.tls.clientCertificate != nil { parts.append("client cert") }
        return parts.joined(separator: ", ")
    }

    static func auth(_ component: ComponentEndpoint) -> String {
        var parts: [String] = []
        if let user = component.username { parts.append("user \(user)") }
        for name in component.credentials.keys.sorted() {
            if let reference = component.credentials[name] { parts.append("\(name) \(reference.schemeOnly)") }
        }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// Rows padded into aligned columns, two spaces apart, without trailing spaces.
    static func table(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                line += index == row.count - 1 ? cell : cell.padding(toLength: widths[index] + 2, withPad: " ", startingAt: 0)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
