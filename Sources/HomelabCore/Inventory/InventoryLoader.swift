import Foundation
import Yams

/// Reads `homelab.yaml` into a ``Homelab``, reporting every problem at once with its file, line, column
/// and key path (`homelab.yaml:14:11 nodes[2].role: expected manager or worker, got 'leader'`).
///
/// Besides types, required and unknown keys and value formats, it checks: unique node, stack and service
/// names; tiers, pinned nodes and `depends_on` entries that exist; no dependency on a higher tier; no
/// dependency cycle; credentials given as references (`env:`, `file:`, `op://`), never literals.
///
/// A stateful service that is not pinned to a node is an error, not a warning: its data would stay
/// behind when Swarm moves it, and the rollout scheduler relies on stateful services being pinned.
public enum InventoryLoader {
    /// Documents with more YAML nodes than this (after alias expansion) are refused, so a few lines of
    /// nested aliases cannot make the loader walk billions of nodes.
    public static let maximumNodeCount = 200_000

    /// Reads and checks the inventory file at `path`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration``: the file cannot be read, or it has problems;
    ///   then ``HomelabError/inventoryIssues`` lists them all and the description prints one per line.
    public static func load(path: String) throws -> Homelab {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HomelabError(
                .invalidConfiguration, "cannot read inventory \(Redaction.redactText(path)): no such file or not readable",
                component: "inventory")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure([InventoryIssue(file: path, line: 1, column: 1, keyPath: "", message: "the file is not UTF-8 text")])
        }
        return try load(yaml: text, file: path)
    }

    /// Reads and checks inventory text; `file` names it in issues.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` with every problem (see ``load(path:)``).
    public static func load(yaml: String, file: String = "homelab.yaml") throws -> Homelab {
        let (homelab, issues) = read(yaml: yaml, file: file)
        guard issues.isEmpty, let homelab else {
            throw failure(issues.isEmpty ? [InventoryIssue(file: file, line: 1, column: 1, keyPath: "", message: "the inventory could not be read")] : issues)
        }
        return homelab
    }

    /// Every problem in inventory text, in file order; empty when it loads.
    public static func issues(in yaml: String, file: String = "homelab.yaml") -> [InventoryIssue] {
        read(yaml: yaml, file: file).issues
    }

    private static func failure(_ issues: [InventoryIssue]) -> HomelabError {
        let error = InventoryValidationError(issues: issues)
        return HomelabError(.invalidConfiguration, error.description, underlying: error)
    }

    static func read(yaml: String, file: String) -> (Homelab?, issues: [InventoryIssue]) {
        let reader = InventoryReader(file: file)
        // Yams's default resolver compiles seven regular expressions through ICU on first use, a tenth of a CLI
        // command's start-up, to tag plain scalars as bools, numbers, timestamps or null; the inventory reads every
        // scalar as text and only asks whether one is null. So a document without explicit tags (no `!` anywhere)
        // composes with `Resolver.basic`, and `taggingPlainNulls()` then tags its null spellings exactly as the
        // default resolver's null rule would (once the node count is known to be bounded); a document with a `!`
        // composes with the default resolver, as before.
        let basic = !yaml.utf8.contains(UInt8(ascii: "!"))
        var root: Yams.Node
        do {
            guard let composed = try Yams.compose(yaml: yaml, basic ? .basic : .default) else {
                reader.report("the inventory is empty", at: nil, path: "")
                return (nil, reader.issues)
            }
            root = composed
        } catch {
            reader.report(yamlError: error, yaml: yaml, document: "an inventory")
            return (nil, reader.issues)
        }
        guard fitsLimit(root) else {
            reader.report(
                "the document expands to more than \(maximumNodeCount) YAML nodes (aliases nested too deep?)",
                at: root.mark, path: "")
            return (nil, reader.issues)
        }
        if basic { root = root.taggingPlainNulls() }
        let draft = InventoryDecoder(reader: reader).document(YAMLValue(node: root, path: ""))
        InventoryChecks(reader: reader, draft: draft).run()
        guard !reader.hasIssues, let name = draft.name else { return (nil, reader.issues) }
        let nodes = draft.nodes.compactMap(\.built)
        let stacks = draft.stacks.map { stack in
            Homelab.Stack(name: stack.name.value, tier: stack.tier?.value ?? "", services: stack.services.compactMap(\.built))
        }
        var components: [ComponentKind: ComponentEndpoint] = [:]
        for component in draft.components {
            if let built = component.built { components[component.kind] = built }
        }
        var homelab = Homelab(name: name, nodes: nodes, tiers: draft.tiers.map(\.value), stacks: stacks, components: components, pxe: draft.pxe)
        homelab.protectedTiers = draft.protectedTiers.map(\.value)
        homelab.requiredLabels = draft.requiredLabels.map(\.value)
        homelab.secrets = draft.secrets
        homelab.provision = draft.provision
        // Every draft is complete when nothing was reported; a shortfall here is a loader bug, not bad input.
        guard nodes.count == draft.nodes.count, homelab.services.count == draft.stacks.reduce(0, { $0 + $1.services.count }),
            components.count == draft.components.count
        else {
            reader.report("internal failure: the inventory was read incompletely (please report this)", at: nil, path: "")
            return (nil, reader.issues)
        }
        return (homelab, [])
    }

    /// Whether the tree has at most ``maximumNodeCount`` nodes, counting shared (aliased) subtrees each time.
    private static func fitsLimit(_ root: Yams.Node) -> Bool {
        var count = 0
        var pending = [root]
        while let node = pending.popLast() {
            count += 1
            if count > maximumNodeCount { return false }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .scalar, .alias: break
            }
        }
        return true
    }


}

extension Yams.Node {
    /// YAML's plain null spellings: the default resolver's null rule, `^(?:~|null|Null|NULL|)$`.
    private static let nullSpellings: Set<String> = ["~", "null", "Null", "NULL", ""]

    /// This tree with every plain scalar spelled as null tagged `null`, as `Resolver.default` tags it (for a tree
    /// composed with `Resolver.basic`, where every plain scalar is a string). Quoted and block scalars stay strings.
    func taggingPlainNulls() -> Yams.Node {
        switch self {
        case .scalar(var scalar):
            guard scalar.style == .plain, Self.nullSpellings.contains(scalar.string) else { return self }
            scalar.tag = Tag(.null, .basic, .default)
            return .scalar(scalar)
        case .mapping(var mapping):
            for index in mapping.indices {
                let (key, value) = mapping[index]
                mapping[index] = (key.taggingPlainNulls(), value.taggingPlainNulls())
            }
            return .mapping(mapping)
        case .sequence(var sequence):
            for index in sequence.indices { sequence[index] = sequence[index].taggingPlainNulls() }
            return .sequence(sequence)
        case .alias: return self
        }
    }
}
