import HomelabCore

/// Draws a ``HomelabOverview`` as text tables (shared by `homelab status`, `homelab demo` and the REPL).
public enum OverviewRenderer {
    /// The whole overview; states in colour when `colour` (a terminal without `NO_COLOR`).
    public static func render(_ overview: HomelabOverview, name: String, colour: Bool = false, width: Int? = nil) -> String {
        let services = overview.services
        let healthy = services.filter { $0.health == .healthy }.count
        var lines = ["Homelab \(name): \(overview.nodes.count) nodes, \(services.count) services (\(healthy) healthy)", ""]
        let down = overview.components.filter { row in
            switch row.state {
            case .down, .credentialsRejected: return true
            case .up, .notConfigured: return false
            }
        }
        if !down.isEmpty {
            lines.append("NOT UP: " + down.map { "\($0.kind.rawValue) (\($0.detail))" }.joined(separator: "; "))
            lines.append("")
        }
        if let failure = overview.swarmFailure {
            lines += wrap("The swarm could not be listed (\(failure)): nodes and service states are unknown.", indent: 0, width: width)
            lines.append("")
        }
        lines.append("NODES")
        lines += table(
            ["NAME", "ROLE", "PLATFORM", "AVAILABILITY", "STATE", ""],
            overview.nodes.map { [$0.name, $0.role, $0.platform ?? "-", $0.availability, $0.state, $0.isLeader ? "leader" : ""] },
            width: width)
        lines.append("")
        lines.append("SERVICES")
        for (index, tier) in overview.tiers.enumerated() {
            lines.append("  \(index + 1). \(tier.name)")
            lines += table(
                ["SERVICE", "REPLICAS", "HEALTH", "IMAGE", "PLACEMENT"],
                tier.services.map { service in
                    [
                        "\(service.stack)/\(service.name)", "\(service.running)/\(service.desired)", tone(service.health).apply(to: symbol(service.health), colour: colour),
                        service.image ?? "-", service.pinnedNode.map { "on \($0)" } ?? "floats",
                    ]
                }, indent: 5, width: width)
        }
        lines.append("")
        lines.append("COMPONENTS")
        lines += table(
            ["KIND", "ENDPOINT", "STATE", "DETAIL"],
            overview.components.map { [$0.kind.rawValue, $0.endpoint, tone($0.state).apply(to: state($0.state), colour: colour), $0.detail] },
            width: width)
        if let storage = overview.storage { lines += [""] + StorageRenderer.lines(storage, width: width) }
        return lines.joined(separator: "\n")
    }

    static func symbol(_ health: HomelabOverview.Health) -> String {
        switch health {
        case .healthy: return "healthy"
        case .degraded: return "DEGRADED"
        case .down: return "DOWN"
        case .updating: return "updating"
        case .attention: return "ATTENTION"
        case .missing: return "missing"
        case .unknown: return "unknown"
        }
    }

    static func tone(_ health: HomelabOverview.Health) -> Tone {
        switch health {
        case .healthy: return .good
        case .updating, .attention, .missing: return .warning
        case .degraded, .down: return .bad
        case .unknown: return .muted
        }
    }

    static func tone(_ state: HomelabOverview.ComponentState) -> Tone {
        switch state {
        case .up: return .good
        case .credentialsRejected, .down: return .bad
        case .notConfigured: return .muted
        }
    }

    static func state(_ state: HomelabOverview.ComponentState) -> String {
        switch state {
        case .up: return "up"
        case .credentialsRejected: return "REJECTED"
        case .down: return "DOWN"
        case .notConfigured: return "-"
        }
    }

    /// `text` after `indent` spaces, wrapped at spaces to fit `width` (when known), continuation lines two spaces
    /// further in; a word longer than a line is broken. A message is never cut: every word stays.
    static func wrap(_ text: String, indent: Int, width: Int?) -> [String] {
        let pad = String(repeating: " ", count: indent)
        guard let width, indent + text.count > width else { return [pad + text] }
        let continuation = pad + "  "
        var lines: [String] = []
        var line = pad
        var lineIsEmpty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            let separator = lineIsEmpty ? 0 : 1
            if !lineIsEmpty, line.count + separator + word.count > width {
                lines.append(line)
                line = continuation
                lineIsEmpty = true
            }
            // A word too long for any line is broken where the line ends.
            while line.count + (lineIsEmpty ? 0 : 1) + word.count > width {
                let room = max(1, width - line.count - (lineIsEmpty ? 0 : 1))
                line += (lineIsEmpty ? "" : " ") + word.prefix(room)
                word = word.dropFirst(room)
                lines.append(line)
                line = continuation
                lineIsEmpty = true
            }
            if !word.isEmpty {
                line += (lineIsEmpty ? "" : " ") + word
                lineIsEmpty = false
            }
        }
        if !lineIsEmpty { lines.append(line) }
        return lines
    }

    /// Left-aligned columns, two spaces apart; within `width` when given (the widest column cut with "…", as
    /// ``Table`` does; a coloured cell is never cut).
    static func table(_ header: [String], _ rows: [[String]], indent: Int = 2, width: Int? = nil) -> [String] {
        let all = [header] + rows
        var widths = header.indices.map { column in all.map { visibleCount($0[column]) }.max() ?? 0 }
        if let width { Table<[String]>.fit(&widths, into: width - indent - 2 * (header.count - 1)) }
        let pad = String(repeating: " ", count: indent)
        return all.map { row in
            var line = pad
            for (column, cell) in row.enumerated() {
                let shown = cell.contains("\u{1B}") ? cell : Table<[String]>.cut(cell, to: widths[column])
                line += shown + String(repeating: " ", count: column == row.count - 1 ? 0 : max(0, widths[column] - visibleCount(shown)) + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// Characters a terminal shows: ANSI colour sequences take no room.
    static func visibleCount(_ text: String) -> Int {
        var count = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }
}
