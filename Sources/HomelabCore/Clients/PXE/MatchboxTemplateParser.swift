import Foundation
/// Parses the supported `text/template` subset (see ``Matchbox/Template``) into nodes.
struct TemplateParser {
    typealias Problem = Matchbox.Template.Problem

    /// One piece of the source: text, or an action's inside with where it starts.
    enum Piece {
        case text(String)
        case action(String, TemplatePosition)
    }

    enum Token: Equatable {
        case field([String])  // .a.b ([] is `.`)
        case variable(String, [String])  // $x.a.b ("$" alone is the root)
        case string(String)
        case number(Double, isInteger: Bool)
        case word(String)  // keywords, functions, true/false/nil
        case declare  // :=
        case assign  // =
        case comma
        case pipe
        case paren(Character)
    }

    let name: String
    private var pieces: [Piece] = []
    private var index = 0
    private let source: String

    init(source: String, name: String) {
        self.source = source
        self.name = name
    }

    mutating func parseAll() throws(Problem) -> [TemplateNode] {
        pieces = try Self.split(source, name: name)
        index = 0
        let (nodes, stop) = try parseList()
        if let (keyword, position) = stop {
            throw problem("unexpected {{\(keyword)}}", at: position)
        }
        return nodes
    }

    private func problem(_ message: String, at position: TemplatePosition, unsupported: Bool = false) -> Problem {
        Problem(name: name, line: position.line, column: position.column, message: message, isUnsupported: unsupported)
    }

    // MARK: Splitting

    /// Text and actions, with `{{-`/`-}}` trimming applied and comments dropped.
    static func split(_ source: String, name: String) throws(Problem) -> [Piece] {
        let chars = Array(source)
        var pieces: [Piece] = []
        var text = ""
        var i = 0
        var line = 1
        var column = 1
        func advance(_ count: Int) {
            for _ in 0..<count {
                if chars[i] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                i += 1
            }
        }
        while i < chars.count {
            if chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" {
                let start = TemplatePosition(line: line, column: column)
                advance(2)
                if i + 1 < chars.count, chars[i] == "-", chars[i + 1].isWhitespace {
                    while let last = text.last, last.isWhitespace { text.removeLast() }
                    advance(2)
                }
                if !text.isEmpty { pieces.append(.text(text)) }
                text = ""
                var inside = ""
                var quote: Character?
                var closed = false
                var trimAfter = false
                while i < chars.count {
                    let c = chars[i]
                    if let q = quote {
                        inside.append(c)
                        if c == "\\", q == "\"", i + 1 < chars.count {
                            advance(1)
                            inside.append(chars[i])
                        } else if c == q {
                            quote = nil
                        }
                        advance(1)
                        continue
                    }
                    if c == "\"" || c == "`" || c == "'" {
                        quote = c
                        inside.append(c)
                        advance(1)
                        continue
                    }
                    if c.isWhitespace, i + 3 < chars.count, chars[i + 1] == "-", chars[i + 2] == "}", chars[i + 3] == "}" {
                        trimAfter = true
                        advance(4)
                        closed = true
                        break
                    }
                    if c == "}", i + 1 < chars.count, chars[i + 1] == "}" {
                        advance(2)
                        closed = true
                        break
                    }
                    inside.append(c)
                    advance(1)
                }
                guard closed else {
                    throw Problem(name: name, line: start.line, column: start.column, message: "unclosed action", isUnsupported: false)
                }
                let trimmed = inside.trimmingWhitespace
                if trimmed.hasPrefix("/*") {
                    guard trimmed.hasSuffix("*/") else {
                        throw Problem(name: name, line: start.line, column: start.column, message: "unclosed comment", isUnsupported: false)
                    }
                } else {
                    pieces.append(.action(trimmed, start))
                }
                if trimAfter {
                    while i < chars.count, chars[i].isWhitespace { advance(1) }
                }
            } else {
                text.append(chars[i])
                advance(1)
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    // MARK: Structure

    /// Nodes up to an `{{end}}` or `{{else...}}` (returned with its position) or the end of the source.
    private mutating func parseList() throws(Problem) -> ([TemplateNode], (String, TemplatePosition)?) {
        var nodes: [TemplateNode] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            switch piece {
            case .text(let text): nodes.append(.text(text))
            case .action(let inside, let position):
                var tokens = try tokenize(inside, at: position)
                guard let first = tokens.first else { throw problem("empty action", at: position) }
                if case .word(let word) = first {
                    switch word {
                    case "end": return (nodes, ("end", position))
                    case "else":
                        return (nodes, ("else" + (tokens.count > 1 ? " " + String(inside.dropFirst(4)).trimmingWhitespace : ""), position))
                    case "if":
                        tokens.removeFirst()
                        nodes.append(try parseIf(tokens, at: position))
                        continue
                    case "range":
                        tokens.removeFirst()
                        nodes.append(try parseRange(tokens, at: position))
                        continue
                    case "with":
                        tokens.removeFirst()
                        let expression = try expression(tokens, at: position)
                        let (body, otherwise) = try parseBody(keyword: "with", at: position)
                        nodes.append(.with(expression, body: body, otherwise: otherwise))
                        continue
                    case "define", "template", "block", "break", "continue":
                        throw problem("{{\(word)}} is not supported by this SDK's template renderer", at: position, unsupported: true)
                    default: break
                    }
                }
                if tokens.count >= 2, case .variable(let variable, let path) = tokens[0], path.isEmpty, tokens[1] == .declare || tokens[1] == .assign {
                    nodes.append(.assign(variable, try expression(Array(tokens.dropFirst(2)), at: position)))
                    continue
                }
                nodes.append(.output(try expression(tokens, at: position), at: position))
            }
        }
        return (nodes, nil)
    }

    /// A block's body and its `{{else}}` part, up to `{{end}}`.
    private mutating func parseBody(keyword: String, at position: TemplatePosition) throws(Problem) -> ([TemplateNode], [TemplateNode]?) {
        let (body, stop) = try parseList()
        guard let (word, at) = stop else { throw problem("{{\(keyword)}} has no {{end}}", at: position) }
        if word == "end" { return (body, nil) }
        guard word == "else" else { throw problem("{{\(word)}} is not supported after {{\(keyword)}}", at: at, unsupported: true) }
        let (otherwise, last) = try parseList()
        guard let (end, endAt) = last else { throw problem("{{\(keyword)}} has no {{end}}", at: position) }
        guard end == "end" else { throw problem("unexpected {{\(end)}}", at: endAt) }
        return (body, otherwise)
    }

    private mutating func parseIf(_ tokens: [Token], at position: TemplatePosition) throws(Problem) -> TemplateNode {
        var branches: [(TemplateExpression, [TemplateNode])] = []
        var condition = try expression(tokens, at: position)
        while true {
            let (body, stop) = try parseList()
            branches.append((condition, body))
            guard let (word, at) = stop else { throw problem("{{if}} has no {{end}}", at: position) }
            if word == "end" { return .conditional(branches: branches, otherwise: nil) }
            if word.hasPrefix("else if ") {
                let rest = String(word.dropFirst("else if ".count))
                condition = try expression(try tokenize(rest, at: at), at: at)
                continue
            }
            guard word == "else" else { throw problem("unexpected {{\(word)}}", at: at) }
            let (otherwise, last) = try parseList()
            guard let (end, endAt) = last else { throw problem("{{if}} has no {{end}}", at: position) }
            guard end == "end" else { throw problem("unexpected {{\(end)}} after {{else}}", at: endAt) }
            return .conditional(branches: branches, otherwise: otherwise)
        }
    }

    private mutating func parseRange(_ tokens: [Token], at position: TemplatePosition) throws(Problem) -> TemplateNode {
        var key: String?
        var element: String?
        var rest = tokens
        if let declare = tokens.firstIndex(of: .declare) {
            let names = tokens[..<declare]
            rest = Array(tokens[(declare + 1)...])
            var variables: [String] = []
            for token in names where token != .comma {
                guard case .variable(let variable, let path) = token, path.isEmpty else {
                    throw problem("range declares variables: {{range $e := ...}} or {{range $i, $e := ...}}", at: position)
                }
                variables.append(variable)
            }
            switch variables.count {
            case 1: element = variables[0]
            case 2: (key, element) = (variables[0], variables[1])
            default: throw problem("range declares one or two variables", at: position)
            }
        }
        let over = try expression(rest, at: position)
        let (body, otherwise) = try parseBody(keyword: "range", at: position)
        return .range(key: key, element: element, over: over, body: body, otherwise: otherwise, at: position)
    }

    // MARK: Expressions

    private static let functions: Set<String> = ["index", "len", "not", "and", "or", "eq", "ne"]

    private func expression(_ tokens: [Token], at position: TemplatePosition) throws(Problem) -> TemplateExpression {
        guard let first = tokens.first else { throw problem("missing value", at: position) }
        if tokens.contains(.pipe) { throw problem("pipelines (|) are not supported by this SDK's template renderer", at: position, unsupported: true) }
        if tokens.contains(where: { if case .paren = $0 { return true } else { return false } }) {
            throw problem("parentheses are not supported by this SDK's template renderer", at: position, unsupported: true)
        }
        if case .word(let word) = first, !["true", "false", "nil"].contains(word) {
            guard Self.functions.contains(word) else {
                throw problem("function \(word) is not supported by this SDK's template renderer", at: position, unsupported: true)
            }
            let arguments = try Array(tokens.dropFirst()).map { token throws(Problem) in try operand(token, at: position) }
            return .call(word, arguments, at: position)
        }
        guard tokens.count == 1 else { throw problem("\(tokens.count - 1) unexpected value(s) after the first", at: position) }
        return try operand(first, at: position)
    }

    private func operand(_ token: Token, at position: TemplatePosition) throws(Problem) -> TemplateExpression {
        switch token {
        case .field(let path): return .field(variable: nil, path: path, at: position)
        case .variable(let name, let path): return .field(variable: name, path: path, at: position)
        case .string(let text): return .literal(.string(text))
        case .number(let value, let isInteger): return .literal(isInteger ? .integer(Int64(value)) : .number(value))
        case .word("true"): return .literal(.bool(true))
        case .word("false"): return .literal(.bool(false))
        case .word("nil"): return .literal(.null)
        case .word(let word): throw problem("function \(word) cannot be an argument without parentheses", at: position, unsupported: true)
        default: throw problem("unexpected \(token) in an expression", at: position)
        }
    }

    // MARK: Tokens

    func tokenize(_ text: String, at position: TemplatePosition) throws(Problem) -> [Token] {
        let chars = Array(text)
        var tokens: [Token] = []
        var i = 0
        func path(_ text: String) -> [String] { text.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            if c == "\"" || c == "`" {
                var value = ""
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == c {
                        closed = true
                        i += 1
                        break
                    }
                    if c == "\"", chars[i] == "\\", i + 1 < chars.count {
                        i += 1
                        switch chars[i] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        default: throw problem("escape \\\(chars[i]) is not supported", at: position, unsupported: true)
                        }
                    } else {
                        value.append(chars[i])
                    }
                    i += 1
                }
                guard closed else { throw problem("unterminated string", at: position) }
                tokens.append(.string(value))
                continue
            }
            if c == "'" { throw problem("character constants are not supported", at: position, unsupported: true) }
            if c == ":", i + 1 < chars.count, chars[i + 1] == "=" {
                tokens.append(.declare)
                i += 2
                continue
            }
            if c == "=" { tokens.append(.assign); i += 1; continue }
            if c == "," { tokens.append(.comma); i += 1; continue }
            if c == "|" { tokens.append(.pipe); i += 1; continue }
            if c == "(" || c == ")" { tokens.append(.paren(c)); i += 1; continue }
            var word = ""
            while i < chars.count, !chars[i].isWhitespace, !",|()=".contains(chars[i]) {
                if chars[i] == ":", i + 1 < chars.count, chars[i + 1] == "=" { break }
                word.append(chars[i])
                i += 1
            }
            guard !word.isEmpty else { throw problem("unexpected '\(chars[i])'", at: position) }
            if word.hasPrefix(".") {
                let parts = word == "." ? [] : path(String(word.dropFirst()))
                guard parts.allSatisfy(Self.isIdentifier) else { throw problem("bad field name '\(word)'", at: position) }
                tokens.append(.field(parts))
            } else if word.hasPrefix("$") {
                let parts = path(String(word.dropFirst()))
                let variable = "$" + (parts.first ?? "")
                let rest = Array(parts.dropFirst())
                guard variable == "$" || Self.isIdentifier(String(variable.dropFirst())), rest.allSatisfy(Self.isIdentifier) else {
                    throw problem("bad variable '\(word)'", at: position)
                }
                tokens.append(.variable(variable, rest))
            } else if let first = word.first, first.isNumber || ((first == "-" || first == "+") && word.count > 1) {
                guard let value = Double(word) else { throw problem("bad number '\(word)'", at: position) }
                tokens.append(.number(value, isInteger: Int64(exactly: value) != nil && !word.contains(".") && !word.lowercased().contains("e")))
            } else if Self.isIdentifier(word) {
                tokens.append(.word(word))
            } else {
                throw problem("unexpected '\(word)'", at: position)
            }
        }
        return tokens
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}

extension String {
    /// Without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
