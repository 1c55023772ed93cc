import Yams

/// Prepares a composed YAML tree for reading: applies `<<` merge keys, interpolates every scalar value
/// (not keys, not `x-` extension sections) and refuses trees that expand to too many nodes.
final class ComposeTree {
    /// Documents with more YAML nodes than this (after alias expansion) are refused, as for the inventory.
    static let maximumNodeCount = InventoryLoader.maximumNodeCount

    private let reader: InventoryReader
    private let environment: [String: String]
    private(set) var unsetVariables: [(name: String, mark: Mark?, path: String)] = []
    private var visited = 0
    private(set) var tooLarge = false
    /// Key paths whose value could not be interpolated (already reported; later complaints about the raw
    /// text there are noise).
    private(set) var failedPaths: Set<String> = []

    init(reader: InventoryReader, environment: [String: String]) {
        self.reader = reader
        self.environment = environment
    }

    /// The prepared tree; problems (bad `$` expressions, required variables, bad merges) go to the reader.
    func prepare(_ node: Yams.Node, path: String = "") -> Yams.Node {
        visited += 1
        if visited > Self.maximumNodeCount {
            if !tooLarge {
                tooLarge = true
                reader.report(
                    "the document expands to more than \(Self.maximumNodeCount) YAML nodes (aliases nested too deep?)",
                    at: node.mark, path: "")
            }
            return node
        }
        if tooLarge { return node }
        switch node {
        case .scalar(let scalar):
            return .scalar(interpolated(scalar, node: node, path: path))
        case .sequence(let sequence):
            let items = sequence.enumerated().map { prepare($0.element, path: "\(path)[\($0.offset)]") }
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark))
        case .mapping(let mapping):
            var pairs: [(Yams.Node, Yams.Node)] = []
            for (key, value) in merged(mapping, path: path) {
                let name = key.scalar?.string ?? ""
                if name.hasPrefix("x-") {
                    pairs.append((key, value))
                } else {
                    pairs.append((key, prepare(value, path: joinKeyPath(path, name))))
                }
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .alias:
            return node
        }
    }

    /// The pairs of a mapping with `<<` merge keys applied: explicit keys win, then earlier merged mappings.
    private func merged(_ mapping: Node.Mapping, path: String) -> [(key: Yams.Node, value: Yams.Node)] {
        let isMergeKey: (Yams.Node) -> Bool = { key in
            guard case .scalar(let scalar) = key else { return false }
            return scalar.string == "<<" && scalar.style != .singleQuoted && scalar.style != .doubleQuoted
        }
        guard mapping.contains(where: { isMergeKey($0.key) }) else { return Array(mapping) }
        var explicit: [(key: Yams.Node, value: Yams.Node)] = []
        var sources: [Node.Mapping] = []
        for pair in mapping {
            guard isMergeKey(pair.key) else {
                explicit.append(pair)
                continue
            }
            switch pair.value {
            case .mapping(let source):
                sources.append(source)
            case .sequence(let sequence) where sequence.allSatisfy({ $0.mapping != nil }):
                sources.append(contentsOf: sequence.compactMap(\.mapping))
            default:
                reader.report(
                    "a '<<' merge key needs a mapping or a list of mappings, got \(reader.describe(pair.value))",
                    at: pair.value.mark, path: joinKeyPath(path, "<<"))
            }
        }
        var seen = Set(explicit.compactMap { $0.key.scalar?.string })
        var result = explicit
        for source in sources {
            for pair in merged(source, path: path) {
                guard let name = pair.key.scalar?.string, !seen.contains(name) else { continue }
                seen.insert(name)
                result.append(pair)
            }
        }
        return result
    }

    private func interpolated(_ scalar: Node.Scalar, node: Yams.Node, path: String) -> Node.Scalar {
        guard scalar.string.contains("$") else { return scalar }
        // Resolve the tag from the text as written, so "${PORT}" stays a string after substitution.
        let tag = node.tag
        var unset: [String] = []
        do {
            let text = try ComposeInterpolation.substitute(scalar.string, environment: environment, unset: &unset)
            for name in unset { unsetVariables.append((name, scalar.mark, path)) }
            return Node.Scalar(text, tag, scalar.style, scalar.mark)
        } catch let failure as ComposeInterpolation.Failure {
            reader.report(failure.message, at: scalar.mark, path: path)
        } catch {
            reader.report("cannot interpolate this value", at: scalar.mark, path: path)
        }
        failedPaths.insert(path)
        return scalar
    }
}
