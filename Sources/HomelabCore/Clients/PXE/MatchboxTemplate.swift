import Foundation
extension Matchbox {
    /// The part of Go's `text/template` that matchbox templates use, parsed and rendered as matchbox renders them
    /// (`missingkey=error`): text; `{{.a.b}}`, `{{.}}`, `{{$}}`, `{{$x.a}}`; `{{- ` and ` -}}` trimming; comments;
    /// `if`/`else if`/`else`, `range` (with `$e :=` or `$i, $e :=`, over lists and maps, and `else`), `with`;
    /// `{{$x := ...}}`; the functions `index`, `len`, `not`, `and`, `or`, `eq`, `ne`; string, number and boolean
    /// literals.
    ///
    /// Anything else (pipes `|`, parentheses, `printf` and other functions, `define`/`template`/`block`, `break`)
    /// is refused when parsing with a ``Problem`` saying what and where, rather than rendered differently from
    /// matchbox.
    public struct Template: Sendable {
        /// The template's name in problems (`generic/debian-preseed.cfg`).
        public let name: String
        let nodes: [TemplateNode]

        /// Parses `text`.
        /// - Throws: ``Problem`` at the first syntax error or unsupported construct.
        public init(_ text: String, name: String) throws(Problem) {
            self.name = name
            var parser = TemplateParser(source: text, name: name)
            nodes = try parser.parseAll()
        }

        /// Renders with `data` as `.` (and `$`).
        /// - Throws: ``Problem`` for a missing map key, a field of a non-map, a bad function argument.
        public func render(_ data: JSONValue) throws(Problem) -> String {
            var renderer = TemplateRenderer(name: name, root: data)
            var out = ""
            try renderer.run(nodes, dot: data, into: &out)
            return out
        }

        /// A template problem with its place: `generic/x.cfg:3:14: map has no entry for key "hostname"`.
        public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
            /// The template's name.
            public var name: String
            /// 1-based line.
            public var line: Int
            /// 1-based column.
            public var column: Int
            /// What is wrong.
            public var message: String
            /// Whether the template uses something this SDK does not render (matchbox might).
            public var isUnsupported: Bool

            /// `name:line:column: message`.
            public var description: String { "\(name):\(line):\(column): \(message)" }
        }
    }

    /// The data matchbox renders a group's templates with (`collectVariables`): the group's metadata, its selectors
    /// (keys lower-cased), and `request` with `query` (the labels) and `raw_query`.
    public static func templateData(group: Group, query: [(String, String)]) -> JSONValue {
        var data = group.metadata
        for (key, value) in group.selector { data[key.lowercased()] = .string(value) }
        let labels = Matchbox.labels(query)
        let raw = query.map { "\($0.0.percentEncodedQueryComponent)=\($0.1.percentEncodedQueryComponent)" }.joined(separator: "&")
        data["request"] = .object(["query": .object(labels.mapValues { .string($0) }), "raw_query": .string(raw)])
        return .object(data)
    }
}

/// A position in a template's text.
struct TemplatePosition: Sendable, Hashable {
    var line: Int
    var column: Int
}

indirect enum TemplateExpression: Sendable {
    /// `.a.b` (`path` empty: `.`), `$x.a` (`variable` set), `$` (variable "$").
    case field(variable: String?, path: [String], at: TemplatePosition)
    case literal(JSONValue)
    case call(String, [TemplateExpression], at: TemplatePosition)
}

indirect enum TemplateNode: Sendable {
    case text(String)
    case output(TemplateExpression, at: TemplatePosition)
    case assign(String, TemplateExpression)
    case conditional(branches: [(TemplateExpression, [TemplateNode])], otherwise: [TemplateNode]?)
    case range(key: String?, element: String?, over: TemplateExpression, body: [TemplateNode], otherwise: [TemplateNode]?, at: TemplatePosition)
    case with(TemplateExpression, body: [TemplateNode], otherwise: [TemplateNode]?)
}

extension Matchbox.Template {
    /// How Go's `fmt` prints a value decoded from JSON, as templates and matchbox's `/metadata` print it.
    public static func printed(_ value: JSONValue) -> String { TemplateRenderer.printed(value) }
}
