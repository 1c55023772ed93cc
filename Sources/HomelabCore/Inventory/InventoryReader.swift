import Yams

/// A value read from the document, with the YAML position and key path it came from.
struct Located<Value> {
    var value: Value
    var mark: Mark?
    var path: String
}

/// A YAML node and its key path (`nodes[2].ssh`).
struct YAMLValue {
    let node: Yams.Node
    let path: String
    var mark: Mark? { node.mark }
}

/// The recognised keys of one YAML mapping.
struct YAMLFields {
    let path: String
    let mark: Mark?
    fileprivate var entries: [String: (key: Yams.Node, value: Yams.Node)] = [:]

    subscript(key: String) -> YAMLValue? {
        entries[key].map { YAMLValue(node: $0.value, path: joinKeyPath(path, key)) }
    }

    /// Where the key itself is written.
    func keyMark(_ key: String) -> Mark? { entries[key]?.key.mark }

    func has(_ key: String) -> Bool { entries[key] != nil }
}

func joinKeyPath(_ base: String, _ key: String) -> String { base.isEmpty ? key : base + "." + key }

/// Reads typed values out of a composed YAML tree, collecting every problem with its location instead of
/// stopping at the first. Lives for one load; not shared across threads.
final class InventoryReader {
    let file: String
    private var collected: [InventoryIssue] = []

    init(file: String) { self.file = file }

    /// The problems so far, in file order (ties keep the order they were found in).
    var issues: [InventoryIssue] {
        collected.enumerated().sorted { a, b in
            (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
        }.map(\.element)
    }

    var hasIssues: Bool { !collected.isEmpty }

    func report(_ message: String, at mark: Mark?, path: String) {
        report(message, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path)
    }

    func report(_ message: String, line: Int, column: Int, path: String) {
        collected.append(InventoryIssue(file: file, line: line, column: column, keyPath: path, message: message))
    }

    // MARK: Structure

    /// The keys of a mapping. Reports a non-mapping, unknown keys (with a suggestion) and missing required keys.
    func fields(_ value: YAMLValue, allowed: [String], required: [String] = []) -> YAMLFields? {
        guard case .mapping(let mapping) = value.node else {
            report("expected a mapping, got \(describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
        var fields = YAMLFields(path: value.path, mark: value.mark)
        var suggested: Set<String> = []
        for (key, child) in mapping {
            guard case .scalar(let scalar) = key, !key.isNullValue else {
                report("mapping keys must be strings, got \(describe(key))", at: key.mark, path: value.path)
                continue
            }
            let name = scalar.string
            guard allowed.contains(name) else {
                var message = "unknown key '\(shortened(name))'"
                if let suggestion = closestMatch(to: name, in: allowed) {
                    message += "; did you mean '\(suggestion)'?"
                    suggested.insert(suggestion)
                } else {
                    message += " (expected \(phrase(allowed, conjunction: "or")))"
                }
                report(message, at: key.mark, path: joinKeyPath(value.path, name))
                continue
            }
            fields.entries[name] = (key, child)
        }
        for key in required where !fields.has(key) && !suggested.contains(key) {
            report("missing required key '\(key)'", at: value.mark, path: joinKeyPath(value.path, key))
        }
        return fields
    }

    /// The items of a list, each with its indexed key path.
    func list(_ value: YAMLValue?) -> [YAMLValue]? {
        guard let value else { return nil }
        guard case .sequence(let sequence) = value.node else {
            report("expected a list, got \(describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
        return sequence.enumerated().map { YAMLValue(node: $0.element, path: "\(value.path)[\($0.offset)]") }
    }

    // MARK: Scalars

    /// A non-empty string. Numbers and booleans are taken as written.
    func string(_ value: YAMLValue?) -> Located<String>? {
        guard let value else { return nil }
        guard case .scalar(let scalar) = value.node, !value.node.isNullValue else {
            report("expected a string, got \(describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
        guard !scalar.string.isEmpty else {
            report("expected a non-empty string", at: value.mark, path: value.path)
            return nil
        }
        return Located(value: scalar.string, mark: value.mark, path: value.path)
    }

    /// A name for a node, stack or service: lowercase letters, digits, `-`, `_` and `.`, starting with a
    /// letter or digit, at most 63 characters.
    func name(_ value: YAMLValue?, of what: String) -> Located<String>? {
        guard let name = string(value) else { return nil }
        let characters = name.value.unicodeScalars
        let valid =
            name.value.count <= 63
            && characters.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
            && characters.first.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) } == true
        guard valid else {
            report(
                "'\(shortened(name.value))' is not a valid \(what) name: use lowercase letters, digits, '-', '_' and '.', "
                    + "starting with a letter or digit (at most 63 characters)",
                at: name.mark, path: name.path)
            return nil
        }
        return name
    }

    /// A decimal integer within `range`; `what` names it in the out-of-range message ("a port").
    func int(_ value: YAMLValue?, in range: ClosedRange<Int>, what: String) -> Located<Int>? {
        guard let value else { return nil }
        guard case .scalar(let scalar) = value.node, !value.node.isNullValue,
            let number = Int(scalar.string.hasPrefix("+") ? String(scalar.string.dropFirst()) : scalar.string)
        else {
            report("expected an integer, got \(describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
        guard range.contains(number) else {
            let bounds = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            report("expected \(what) \(bounds), got \(number)", at: value.mark, path: value.path)
            return nil
        }
        return Located(value: number, mark: value.mark, path: value.path)
    }

    /// `true` or `false` (any letter case; YAML 1.1's yes/no/on/off are refused as ambiguous).
    func bool(_ value: YAMLValue?) -> Located<Bool>? {
        guard let value else { return nil }
        if case .scalar(let scalar) = value.node {
            switch scalar.string.lowercased() {
            case "true": return Located(value: true, mark: value.mark, path: value.path)
            case "false": return Located(value: false, mark: value.mark, path: value.path)
            default: break
            }
        }
        report("expected true or false, got \(describe(value.node))", at: value.mark, path: value.path)
        return nil
    }

    /// One of an enum's raw values, with a suggestion when the text is close to one.
    func choice<Choice: RawRepresentable & CaseIterable>(_ value: YAMLValue?, _ type: Choice.Type) -> Located<Choice>?
    where Choice.RawValue == String {
        guard let value else { return nil }
        let options = Choice.allCases.map(\.rawValue)
        if case .scalar(let scalar) = value.node, !value.node.isNullValue, let choice = Choice(rawValue: scalar.string) {
            return Located(value: choice, mark: value.mark, path: value.path)
        }
        var message = "expected \(phrase(options, conjunction: "or")), got \(describe(value.node))"
        if case .scalar(let scalar) = value.node, let suggestion = closestMatch(to: scalar.string, in: options) {
            message += "; did you mean '\(suggestion)'?"
        }
        report(message, at: value.mark, path: value.path)
        return nil
    }

    /// A list of strings.
    func stringList(_ value: YAMLValue?) -> [Located<String>]? {
        guard let items = list(value) else { return nil }
        return items.compactMap { string($0) }
    }

    /// An absolute path (`/...`); `~/...` too when `allowHome`.
    func absolutePath(_ value: YAMLValue?, allowHome: Bool = false) -> Located<String>? {
        guard let path = string(value) else { return nil }
        guard path.value.hasPrefix("/") || (allowHome && path.value.hasPrefix("~/")) else {
            report(
                "expected an absolute path (starting with /\(allowHome ? " or ~/" : "")), got '\(shortened(path.value))'",
                at: path.mark, path: path.path)
            return nil
        }
        return path
    }

    // MARK: Wording

    /// How a value is shown in a message: `'text'` for scalars (shortened), else what kind of node it is.
    /// Never use it on a value that may be a secret.
    func describe(_ node: Yams.Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if node.isNullValue { return "nothing" }
            return "'\(shortened(scalar.string))'"
        }
    }

    func shortened(_ text: String) -> String {
        let flat = text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n")
        return flat.count > 60 ? String(flat.prefix(57)) + "..." : flat
    }
}

/// `a`, `a or b`, `one of a, b or c`.
func phrase(_ options: [String], conjunction: String) -> String {
    switch options.count {
    case 0: return "nothing"
    case 1: return options[0]
    case 2: return "\(options[0]) \(conjunction) \(options[1])"
    default: return "one of " + options.dropLast().joined(separator: ", ") + " \(conjunction) " + (options.last ?? "")
    }
}

extension Yams.Node {
    /// Whether this is a null scalar (`~`, `null`, or nothing after the colon).
    var isNullValue: Bool {
        guard case .scalar = self else { return false }
        return tag.rawValue == Tag.Name.null.rawValue
    }
}
