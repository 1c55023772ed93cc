import Foundation
import Yams

/// Line insertions into a text: `lines` go before 1-based line `before` (one past the last line appends).
struct TextEdit: Sendable, Hashable {
    var before: Int
    var lines: [String]
}

enum TextEdits {
    /// Applies insertions bottom-up, keeping the file's line ending (`\r\n` when it uses one).
    static func apply(_ edits: [TextEdit], to text: String) -> String {
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        var lines = text.components(separatedBy: newline)
        for edit in edits.sorted(by: { $0.before > $1.before }) {
            let index = min(max(edit.before - 1, 0), lines.count)
            lines.insert(contentsOf: edit.lines, at: index)
        }
        return lines.joined(separator: newline)
    }
}

/// Lints one parsed compose file.
struct FileLinter {
    let homelab: Homelab
    let file: StackLint.StackFile
    let rules: Set<StackLint.Rule>
    var findings: [StackLint.Finding] = []
    var edits: [TextEdit] = []
    let lines: [Substring]

    init(homelab: Homelab, file: StackLint.StackFile, rules: Set<StackLint.Rule>) {
        self.homelab = homelab
        self.file = file
        self.rules = rules
        self.lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    mutating func lint(_ root: Node) {
        guard let services = value(root, "services")?.mapping else { return }
        let declaredSecrets = Set(keys(value(root, "secrets")))
        let declaredConfigs = Set(keys(value(root, "configs")))
        let servicesKeyColumn = services.first?.key.mark?.column
        for (key, node) in services {
            guard let name = key.string, let service = node.mapping else { continue }
            let inventory = homelab.services.first { $0.name == name }
            image(name, key: key, service: node)
            updateConfig(name, key: key, service: node, mapping: service, parentColumn: servicesKeyColumn)
            if let inventory {
                placement(name, key: key, service: node, inventory: inventory)
            }
            labels(name, key: key, service: node, inventory: inventory)
            references(name, service: node, field: "secrets", declared: declaredSecrets, rule: .undeclaredSecret)
            references(name, service: node, field: "configs", declared: declaredConfigs, rule: .undeclaredConfig)
        }
    }

    // MARK: Rules

    mutating func image(_ name: String, key: Node, service: Node) {
        guard let node = value(service, "image"), let image = node.string else { return }
        guard !StackLint.isPinned(image: image) else { return }
        let tagged = image.split(separator: "/").last?.contains(":") ?? false
        report(
            .imagePinned, at: node, service: name,
            tagged
                ? "image \(image) uses the moving tag latest; pin a version tag or a digest"
                : "image \(image) has no tag, which means latest; pin a version tag or a digest")
    }

    mutating func updateConfig(_ name: String, key: Node, service: Node, mapping: Node.Mapping, parentColumn: Int?) {
        let deploy = value(service, "deploy")
        let update = deploy.flatMap { value($0, "update_config") }
        if let update, let action = value(update, "failure_action"), action.string?.isEmpty == false { return }
        let fix: TextEdit? = hasMerge(service) ? nil : updateConfigFix(service: service, deploy: deploy, update: update, parentColumn: parentColumn)
        let message: String
        let at: Node
        if let update {
            message = "deploy.update_config has no failure_action; say what Swarm does when an update fails (rollback or pause)"
            at = keyNode(in: deploy, "update_config") ?? update
        } else if let deploy {
            message = "deploy has no update_config; add one with a failure_action (rollback or pause)"
            at = keyNode(in: service, "deploy") ?? deploy
        } else {
            message = "no deploy.update_config; add one with a failure_action (rollback or pause)"
            at = key
        }
        report(.updateConfig, at: at, service: name, message, fix: fix)
    }

    mutating func placement(_ name: String, key: Node, service: Node, inventory: Homelab.Service) {
        guard inventory.isStateful || inventory.pinnedNode != nil else { return }
        let deploy = value(service, "deploy")
        let placementNode = deploy.flatMap { value($0, "placement") }
        let constraintsNode = placementNode.flatMap { value($0, "constraints") }
        let constraints = (constraintsNode?.sequence.map { Array($0) } ?? []).compactMap { item in item.string.map { (item, $0) } }
        let hostnames = constraints.compactMap { item, text -> (Node, String)? in
            let parts = text.replacingOccurrences(of: " ", with: "").components(separatedBy: "==")
            guard parts.count == 2, parts[0] == "node.hostname" else { return nil }
            return (item, parts[1])
        }
        let at = constraintsNode.flatMap { _ in keyNode(in: placementNode, "constraints") } ?? keyNode(in: service, "deploy") ?? key
        let why = inventory.isStateful ? "stateful" : "pinned"
        if let pinned = inventory.pinnedNode {
            if let wrong = hostnames.first(where: { $0.1 != pinned }), !hostnames.contains(where: { $0.1 == pinned }) {
                report(.statefulPinned, at: wrong.0, service: name, "constrained to node \(wrong.1), but the inventory pins it to \(pinned)")
            } else if hostnames.isEmpty {
                report(
                    .statefulPinned, at: at, service: name,
                    "the inventory marks it \(why) on \(pinned), but deploy.placement.constraints has no node.hostname == \(pinned)")
            }
        } else if constraints.isEmpty {
            report(.statefulPinned, at: at, service: name, "the inventory marks it stateful, but deploy.placement.constraints pins it nowhere")
        }
    }

    mutating func labels(_ name: String, key: Node, service: Node, inventory: Homelab.Service?) {
        let deploy = value(service, "deploy")
        let labelsNode = deploy.flatMap { value($0, "labels") }
        let labels = labelMap(labelsNode)
        let at = labelsNode.flatMap { _ in keyNode(in: deploy, "labels") } ?? keyNode(in: service, "deploy") ?? key
        for (label, expected) in (inventory?.labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let found = labels[label] {
                if found != expected {
                    report(.labels, at: at, service: name, "label \(label) is '\(found)', the inventory says '\(expected)'")
                }
            } else {
                report(.labels, at: at, service: name, "the inventory gives label \(label), missing from deploy.labels")
            }
        }
        let routed = (labels.keys + (inventory?.labels.keys.map { $0 } ?? [])).contains { isCaddyKey($0) }
        guard routed else { return }
        for prefix in homelab.missingLabelPrefixes(in: labels) {
            report(.labels, at: at, service: name, "a routed service (caddy label) needs \(prefix).* labels (the inventory's required_labels)")
        }
    }

    mutating func references(_ name: String, service: Node, field: String, declared: Set<String>, rule: StackLint.Rule) {
        guard let items = value(service, field)?.sequence else { return }
        let kind = field == "secrets" ? "secret" : "config"
        for item in items {
            let source = item.string ?? item.mapping.flatMap { _ in value(item, "source")?.string }
            guard let source, !declared.contains(source) else { continue }
            report(rule, at: item, service: name, "\(kind) \(source) is not declared in the top-level \(field):")
        }
    }

    // MARK: Fix

    /// The insertion that adds the missing piece, or nil when the text is not plain block YAML there.
    func updateConfigFix(service: Node, deploy: Node?, update: Node?, parentColumn: Int?) -> TextEdit? {
        guard let serviceColumn = firstKeyColumn(service), let parentColumn, serviceColumn > parentColumn else { return nil }
        let step = serviceColumn - parentColumn
        let target: Node
        let block: [String]
        if let update {
            target = update
            block = ["failure_action: \(StackLint.fixFailureAction)"]
        } else if let deploy {
            target = deploy
            block = ["update_config:", pad(step) + "failure_action: \(StackLint.fixFailureAction)"]
        } else {
            target = service
            block = ["deploy:", pad(step) + "update_config:", pad(2 * step) + "failure_action: \(StackLint.fixFailureAction)"]
        }
        guard let mapping = target.mapping, mapping.style != .flow, let first = mapping.first?.key.mark else { return nil }
        let lineIndex = first.line - 1
        guard lineIndex >= 0, lineIndex < lines.count else { return nil }
        let prefix = lines[lineIndex].prefix(first.column - 1)
        guard prefix.count == first.column - 1, prefix.allSatisfy({ $0 == " " }) else { return nil }
        let indent = String(prefix)
        return TextEdit(before: first.line, lines: block.map { indent + $0 })
    }

    // MARK: Helpers

    mutating func report(_ rule: StackLint.Rule, at node: Node, service: String, _ message: String, fix: TextEdit? = nil) {
        guard rules.contains(rule) else { return }
        if let fix { edits.append(fix) }
        findings.append(
            StackLint.Finding(
                rule: rule, file: file.path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, stack: file.stack,
                service: service, message: message, fixable: fix != nil))
    }

    func pad(_ count: Int) -> String { String(repeating: " ", count: count) }

    func isCaddyKey(_ key: String) -> Bool {
        let head = key.split(separator: ".", maxSplits: 1).first.map(String.init) ?? key
        guard head.hasPrefix("caddy") else { return false }
        let rest = head.dropFirst("caddy".count)
        return rest.isEmpty || (rest.first == "_" && rest.dropFirst().allSatisfy(\.isNumber) && rest.count > 1)
    }

    func firstKeyColumn(_ node: Node) -> Int? { node.mapping?.first?.key.mark?.column }

    func hasMerge(_ node: Node) -> Bool {
        guard let mapping = node.mapping else { return false }
        return mapping.contains { $0.key.string == "<<" } || mapping.contains { hasMerge($0.value) }
    }

    /// The value of `key` in a mapping, looking through `<<` merge keys.
    func value(_ node: Node?, _ key: String) -> Node? {
        guard let mapping = node?.mapping else { return nil }
        if let found = mapping.first(where: { $0.key.string == key }) { return found.value }
        for (mergeKey, merged) in mapping where mergeKey.string == "<<" {
            let sources = merged.sequence.map { Array($0) } ?? [merged]
            for source in sources {
                if let found = value(source, key) { return found }
            }
        }
        return nil
    }

    func keyNode(in node: Node?, _ key: String) -> Node? {
        node?.mapping?.first(where: { $0.key.string == key })?.key
    }

    func keys(_ node: Node?) -> [String] {
        node?.mapping?.compactMap { $0.key.string } ?? []
    }

    /// `deploy.labels` as a mapping or a `KEY=VALUE` list.
    func labelMap(_ node: Node?) -> [String: String] {
        guard let node else { return [:] }
        if let mapping = node.mapping {
            var labels: [String: String] = [:]
            for (key, value) in mapping {
                if let key = key.string { labels[key] = value.string ?? "" }
            }
            return labels
        }
        var labels: [String: String] = [:]
        for item in node.sequence.map({ Array($0) }) ?? [] {
            guard let text = item.string else { continue }
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            labels[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return labels
    }
}
