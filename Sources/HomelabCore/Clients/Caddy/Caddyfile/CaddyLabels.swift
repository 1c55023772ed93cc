import Foundation

/// caddy-docker-proxy's label grammar (`caddyfile/fromlabels.go`, `generator/labels.go`): one service's
/// `caddy`, `caddy.*` and `caddy_N.*` labels become Caddyfile blocks.
///
/// - `caddy` (or `caddy_N`, to isolate several sites on one service) with a value is a site block (the value is
///   its addresses) or a snippet (`(name)`); without a `caddy` value it is global options.
/// - Each dot nests: `caddy.reverse_proxy.health_uri: /ping`. A `N_` prefix on a segment orders siblings
///   (`caddy.1_tls`), a `_N` suffix only isolates them; `\.` is a literal dot.
/// - Values are templates. This SDK supports `{{upstreams [http|https|h2c] [PORT]}}`, `{{""}}` and
///   `{{.Spec.Name}}`; other Go-template or Sprig syntax is reported as unsupported rather than guessed.
public enum CaddyLabels {
    /// Whether a label belongs to caddy-docker-proxy with prefix `prefix`: `caddy`, `caddy.x`, `caddy_N`, `caddy_N.x`
    /// (not `caddy_ingress_network` or `caddy_controlled_server`).
    public static func isCaddyLabel(_ key: String, prefix: String = "caddy") -> Bool {
        guard key.hasPrefix(prefix) else { return false }
        var rest = Substring(key.dropFirst(prefix.count))
        if rest.first == "_" {
            let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { return false }
            rest = rest.dropFirst(1 + digits.count)
        }
        return rest.isEmpty || rest.first == "."
    }

    /// What templates in label values may use.
    public struct TemplateData: Sendable, Hashable {
        /// The Swarm service's name (`{{.Spec.Name}}`).
        public var serviceName: String
        /// The targets `{{upstreams}}` lists: task addresses on the ingress networks, or the service name.
        public var targets: [String]

        /// Template data for a service.
        public init(serviceName: String, targets: [String]) {
            self.serviceName = serviceName
            self.targets = targets
        }
    }

    /// One service's caddy labels as Caddyfile blocks (unsorted; ``Caddyfile/text`` sorts).
    /// - Throws: ``HomelabError/Code/invalidArgument`` naming the label for an unsupported or malformed template
    ///   or an unterminated quote.
    public static func caddyfile(from labels: [String: String], prefix: String = "caddy", data: TemplateData) throws -> Caddyfile {
        let builder = Builder()
        for (label, value) in labels.sorted(by: { $0.key < $1.key }) where isCaddyLabel(label, prefix: prefix) {
            let node = builder.node(for: label)
            let expanded: String
            do {
                expanded = try expand(value, data: data)
            } catch let error as HomelabError {
                throw HomelabError(.invalidArgument, "label \(label): \(error.message)", component: "caddy")
            }
            do {
                node.keys += try CaddyfileLexer.arguments(expanded)
            } catch let error as HomelabError {
                throw HomelabError(.invalidArgument, "label \(label): \(error.message)", component: "caddy")
            }
        }
        return Caddyfile(blocks: builder.roots.map { $0.block })
    }

    // MARK: Paths

    /// Splits a label path into its parent path, order and name, as fromlabels.go's
    /// `^(?:(.+)\.)?(?:(\d+)_)?([^.]+?)(?:_(\d+))?$` does (on a path whose `\.` were replaced first).
    static func parsePath(_ path: String) -> (parent: String, order: Int, name: String) {
        let placeholder: Character = "\u{0}"
        let escaped = path.replacingOccurrences(of: "\\.", with: String(placeholder))
        var parent = ""
        var segment = Substring(escaped)
        if let dot = escaped.lastIndex(of: "."), dot != escaped.startIndex {
            parent = String(escaped[..<dot])
            segment = escaped[escaped.index(after: dot)...]
        }
        var order = Caddyfile.unordered
        let digits = segment.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, segment.dropFirst(digits.count).first == "_", segment.count > digits.count + 1, let number = Int(digits) {
            order = number
            segment = segment.dropFirst(digits.count + 1)
        }
        if let underscore = segment.lastIndex(of: "_"), underscore != segment.startIndex {
            let suffix = segment[segment.index(after: underscore)...]
            if !suffix.isEmpty, suffix.allSatisfy({ $0.isASCII && $0.isNumber }) { segment = segment[..<underscore] }
        }
        let restore = { (text: String) in text.replacingOccurrences(of: String(placeholder), with: "\\.") }
        return (restore(parent), order, String(segment).replacingOccurrences(of: String(placeholder), with: "."))
    }

    /// Builds the block tree; blocks are shared by path while building, so a class is used here only.
    private final class Builder {
        final class Node {
            var keys: [String] = []
            var order = Caddyfile.unordered
            var children: [Node] = []
            var block: Caddyfile.Block { Caddyfile.Block(keys, order: order, children: children.map(\.block)) }
        }

        var roots: [Node] = []
        var byPath: [String: Node] = [:]

        func node(for path: String) -> Node {
            if let existing = byPath[path] { return existing }
            let (parentPath, order, name) = CaddyLabels.parsePath(path)
            let node = Node()
            node.order = order
            if parentPath.isEmpty {
                roots.append(node)
            } else {
                node.keys.append(name)
                self.node(for: parentPath).children.append(node)
            }
            byPath[path] = node
            return node
        }
    }

    // MARK: Templates

    /// Expands `{{ ... }}` actions in a label value.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for an action this SDK does not evaluate or an unclosed `{{`.
    static func expand(_ value: String, data: TemplateData) throws -> String {
        var out = ""
        var rest = Substring(value)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) else {
                throw HomelabError(.invalidArgument, "unclosed template action '{{' in '\(value)'", component: "caddy")
            }
            var action = rest[open.upperBound..<close.lowerBound]
            if action.hasPrefix("-") { action = action.dropFirst() }
            if action.hasSuffix("-") { action = action.dropLast() }
            out += try evaluate(action.trimmingCharacters(in: .whitespaces), data: data)
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private static func evaluate(_ action: String, data: TemplateData) throws -> String {
        let words = action.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let head = words.first else { return "" }
        if words.count == 1, head.hasPrefix("\""), head.hasSuffix("\""), head.count >= 2 {
            return String(head.dropFirst().dropLast())
        }
        if words.count == 1, head == ".Spec.Name" { return data.serviceName }
        guard head == "upstreams" else {
            throw HomelabError(
                .invalidArgument, "template action '{{\(action)}}' is not supported (only upstreams, .Spec.Name and string literals)",
                component: "caddy")
        }
        var targets = data.targets.sorted()
        for argument in words.dropFirst() {
            let word = argument.hasPrefix("\"") && argument.hasSuffix("\"") && argument.count >= 2
                ? String(argument.dropFirst().dropLast()) : argument
            if let port = Int(word) {
                targets = targets.map { "\($0):\(port)" }
            } else if ["http", "https", "h2c"].contains(word) {
                targets = targets.map { "\(word)://\($0)" }
            } else {
                throw HomelabError(.invalidArgument, "upstreams takes http, https, h2c or a port, not '\(word)'", component: "caddy")
            }
        }
        return targets.sorted().joined(separator: " ")
    }
}
