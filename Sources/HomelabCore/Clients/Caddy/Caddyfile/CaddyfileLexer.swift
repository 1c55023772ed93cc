import Foundation

/// Caddyfile tokens: words separated by spaces, `"double quoted"` (with `\"` escapes) and `` `backtick` ``
/// tokens, `#` comments, and the line each token starts on.
struct CaddyfileLexer {
    struct Token: Equatable {
        var text: String
        var line: Int
        /// Whether it was quoted (a quoted `{` is not a brace).
        var quoted: Bool
    }

    /// The tokens of `text`.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for an unterminated quote, naming its line.
    static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var line = 1
        var startLine = 1
        var quote: Character?
        var quotedToken = false
        var escaped = false
        var inComment = false
        var started = false

        func finish() {
            if started { tokens.append(Token(text: current, line: startLine, quoted: quotedToken)) }
            current = ""
            started = false
            quotedToken = false
        }

        for character in text {
            if inComment {
                if character == "\n" {
                    inComment = false
                    line += 1
                }
                continue
            }
            if let open = quote {
                if escaped {
                    if character != open && !(open == "\"" && character == "\\") { current.append("\\") }
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                } else {
                    if character == "\n" { line += 1 }
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"", "`":
                if !started { startLine = line }
                started = true
                quotedToken = true
                quote = character
            case "#" where !started:
                inComment = true
            case "\n":
                finish()
                line += 1
            case " ", "\t", "\r":
                finish()
            default:
                if !started { startLine = line }
                started = true
                current.append(character)
            }
        }
        if quote != nil {
            throw HomelabError(.invalidArgument, "unterminated quote starting on line \(startLine)", component: "caddy")
        }
        if escaped { current.append("\\") }
        finish()
        return tokens
    }

    /// The arguments of one label value, as caddy-docker-proxy splits them (quotes removed).
    static func arguments(_ text: String) throws -> [String] {
        try tokens(text).map(\.text)
    }
}

extension Caddyfile {
    /// Parses Caddyfile text into blocks (one per line, bodies in braces), as caddy-docker-proxy reads a base
    /// Caddyfile or a Swarm config labelled `caddy`; each block's order is its line's place in its body.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for an unexpected `}`, an unclosed `{` or an unterminated
    ///   quote, naming the line.
    public static func parse(_ text: String) throws -> Caddyfile {
        let tokens = try CaddyfileLexer.tokens(text)
        // A stack of bodies being filled; each entry is the blocks so far.
        var stack: [[Block]] = [[]]
        var openLines: [Int] = []
        var currentLine = -1
        var lineOpen = false
        for token in tokens {
            if token.line != currentLine {
                lineOpen = false
                currentLine = token.line
            }
            if token.text == "}" && !token.quoted {
                guard stack.count > 1 else {
                    throw HomelabError(.invalidArgument, "unexpected '}' on line \(token.line)", component: "caddy")
                }
                let body = stack.removeLast()
                openLines.removeLast()
                stack[stack.count - 1][stack[stack.count - 1].count - 1].children = body
                lineOpen = false
                continue
            }
            if !lineOpen {
                stack[stack.count - 1].append(Block([], order: stack[stack.count - 1].count))
                lineOpen = true
            }
            if token.text == "{" && !token.quoted {
                stack.append([])
                openLines.append(token.line)
                lineOpen = false
                // Tokens after `{` on the same line start a new block inside.
                currentLine = token.line
                continue
            }
            stack[stack.count - 1][stack[stack.count - 1].count - 1].keys.append(token.text)
            currentLine = token.line + token.text.filter { $0 == "\n" }.count
        }
        if let line = openLines.last {
            throw HomelabError(.invalidArgument, "the '{' on line \(line) is never closed", component: "caddy")
        }
        return Caddyfile(blocks: stack[0])
    }
}
