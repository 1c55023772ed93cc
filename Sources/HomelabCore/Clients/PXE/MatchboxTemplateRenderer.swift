import Foundation
/// Renders parsed template nodes with Go `text/template` semantics under `missingkey=error`.
struct TemplateRenderer {
    typealias Problem = Matchbox.Template.Problem

    let name: String
    let root: JSONValue
    /// Variables in scope, innermost last.
    private var scopes: [[String: JSONValue]]

    init(name: String, root: JSONValue) {
        self.name = name
        self.root = root
        scopes = [["$": root]]
    }

    mutating func run(_ nodes: [TemplateNode], dot: JSONValue, into out: inout String) throws(Problem) {
        for node in nodes {
            switch node {
            case .text(let text): out += text
            case .output(let expression, _): out += Self.printed(try evaluate(expression, dot: dot))
            case .assign(let variable, let expression):
                let value = try evaluate(expression, dot: dot)
                scopes[scopes.count - 1][variable] = value
            case .conditional(let branches, let otherwise):
                var done = false
                for (condition, body) in branches where !done {
                    if Self.truth(try evaluate(condition, dot: dot)) {
                        try scoped { (renderer: inout TemplateRenderer) throws(Problem) in try renderer.run(body, dot: dot, into: &out) }
                        done = true
                    }
                }
                if !done, let otherwise {
                    try scoped { (renderer: inout TemplateRenderer) throws(Problem) in try renderer.run(otherwise, dot: dot, into: &out) }
                }
            case .with(let expression, let body, let otherwise):
                let value = try evaluate(expression, dot: dot)
                if Self.truth(value) {
                    try scoped { (renderer: inout TemplateRenderer) throws(Problem) in try renderer.run(body, dot: value, into: &out) }
                } else if let otherwise {
                    try scoped { (renderer: inout TemplateRenderer) throws(Problem) in try renderer.run(otherwise, dot: dot, into: &out) }
                }
            case .range(let key, let element, let over, let body, let otherwise, let position):
                let value = try evaluate(over, dot: dot)
                var items: [(JSONValue, JSONValue)] = []
                switch value {
                case .array(let list): items = list.enumerated().map { (.integer(Int64($0.offset)), $0.element) }
                case .object(let map): items = map.keys.sorted().map { (.string($0), map[$0] ?? .null) }
                case .null: items = []
                case .integer(let count) where count >= 0: items = (0..<count).map { (.integer($0), .integer($0)) }
                default: throw problem("range can't iterate over \(Self.printed(value))", at: position)
                }
                if items.isEmpty {
                    if let otherwise {
                        try scoped { (renderer: inout TemplateRenderer) throws(Problem) in try renderer.run(otherwise, dot: dot, into: &out) }
                    }
                    continue
                }
                for (index, item) in items {
                    try scoped { (renderer: inout TemplateRenderer) throws(Problem) in
                        if let key { renderer.scopes[renderer.scopes.count - 1][key] = index }
                        if let element { renderer.scopes[renderer.scopes.count - 1][element] = item }
                        try renderer.run(body, dot: item, into: &out)
                    }
                }
            }
        }
    }

    private mutating func scoped(_ body: (inout TemplateRenderer) throws(Problem) -> Void) throws(Problem) {
        scopes.append([:])
        defer { scopes.removeLast() }
        try body(&self)
    }

    private func problem(_ message: String, at position: TemplatePosition) -> Problem {
        Problem(name: name, line: position.line, column: position.column, message: message, isUnsupported: false)
    }

    private func evaluate(_ expression: TemplateExpression, dot: JSONValue) throws(Problem) -> JSONValue {
        switch expression {
        case .literal(let value): return value
        case .field(let variable, let path, let position):
            var value: JSONValue
            if let variable {
                guard let found = scopes.reversed().lazy.compactMap({ $0[variable] }).first else {
                    throw problem("undefined variable \(variable)", at: position)
                }
                value = found
            } else {
                value = dot
            }
            for key in path {
                switch value {
                case .object(let map):
                    guard let next = map[key] else { throw problem("map has no entry for key \"\(key)\"", at: position) }
                    value = next
                case .null: throw problem("nil pointer evaluating .\(key)", at: position)
                default: throw problem("can't evaluate field \(key) in \(Self.kind(of: value))", at: position)
                }
            }
            return value
        case .call(let function, let arguments, let position):
            let values = try arguments.map { argument throws(Problem) in try evaluate(argument, dot: dot) }
            return try call(function, values, at: position)
        }
    }

    private func call(_ function: String, _ values: [JSONValue], at position: TemplatePosition) throws(Problem) -> JSONValue {
        func count(_ wanted: Int) throws(Problem) {
            guard values.count == wanted else { throw problem("wrong number of args for \(function): want \(wanted) got \(values.count)", at: position) }
        }
        switch function {
        case "index":
            guard var value = values.first else { throw problem("index of nothing", at: position) }
            for key in values.dropFirst() {
                switch (value, key) {
                case (.object(let map), .string(let name)): value = map[name] ?? .null
                case (.array(let list), .integer(let i)):
                    guard i >= 0, i < list.count else { throw problem("index out of range: \(i)", at: position) }
                    value = list[Int(i)]
                case (.null, _): throw problem("index of untyped nil", at: position)
                default: throw problem("can't index \(Self.kind(of: value)) with \(Self.printed(key))", at: position)
                }
            }
            return value
        case "len":
            try count(1)
            switch values[0] {
            case .string(let text): return .integer(Int64(text.utf8.count))
            case .array(let list): return .integer(Int64(list.count))
            case .object(let map): return .integer(Int64(map.count))
            default: throw problem("len of \(Self.kind(of: values[0]))", at: position)
            }
        case "not":
            try count(1)
            return .bool(!Self.truth(values[0]))
        case "and":
            guard !values.isEmpty else { throw problem("and needs arguments", at: position) }
            return values.first { !Self.truth($0) } ?? values[values.count - 1]
        case "or":
            guard !values.isEmpty else { throw problem("or needs arguments", at: position) }
            return values.first { Self.truth($0) } ?? values[values.count - 1]
        case "eq":
            guard values.count >= 2 else { throw problem("missing argument for comparison", at: position) }
            return .bool(values.dropFirst().contains { Self.equal(values[0], $0) })
        case "ne":
            try count(2)
            return .bool(!Self.equal(values[0], values[1]))
        default:
            throw problem("function \(function) is not supported", at: position)
        }
    }

    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.integer(let x), .number(let y)), (.number(let y), .integer(let x)): return Double(x) == y
        default: return a == b
        }
    }

    /// Go's truth: false, 0, nil and empty strings, lists and maps are false.
    static func truth(_ value: JSONValue) -> Bool {
        switch value {
        case .null: return false
        case .bool(let flag): return flag
        case .integer(let n): return n != 0
        case .number(let d): return d != 0
        case .string(let text): return !text.isEmpty
        case .array(let list): return !list.isEmpty
        case .object(let map): return !map.isEmpty
        }
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "nil"
        case .bool: return "bool"
        case .integer, .number: return "float64"
        case .string: return "string"
        case .array: return "[]interface {}"
        case .object: return "map[string]interface {}"
        }
    }

    /// How Go's `fmt` prints a value decoded from JSON (numbers are float64: `%v` switches to exponent form at 1e21,
    /// and at 1e+06 for whole numbers printed shortest).
    static func printed(_ value: JSONValue) -> String {
        switch value {
        case .null: return "<no value>"
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return text
        case .integer(let n): return goFloat(Double(n), integer: n)
        case .number(let d): return goFloat(d, integer: Int64(exactly: d))
        case .array(let list): return "[" + list.map(printed).joined(separator: " ") + "]"
        case .object(let map): return "map[" + map.keys.sorted().map { "\($0):\(printed(map[$0] ?? .null))" }.joined(separator: " ") + "]"
        }
    }

    private static func goFloat(_ value: Double, integer: Int64?) -> String {
        if let integer, abs(integer) < 1_000_000 { return String(integer) }
        if let integer {
            var digits = String(abs(integer))
            let exponent = digits.count - 1
            while digits.hasSuffix("0") { digits.removeLast() }
            let mantissa = digits.count > 1 ? "\(digits.first ?? "0").\(digits.dropFirst())" : digits
            return (integer < 0 ? "-" : "") + mantissa + "e+" + (exponent < 10 ? "0" : "") + String(exponent)
        }
        return String(value)
    }
}
