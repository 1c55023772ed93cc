/// Compose variable substitution (`$VAR`, `${VAR}`, `${VAR:-default}`, ...) from an explicit dictionary;
/// the process environment is never read.
///
/// Forms, as `docker stack deploy` reads them: `${VAR:-d}` (d when unset or empty), `${VAR-d}` (d when
/// unset), `${VAR:?msg}` / `${VAR?msg}` (an error when unset or empty / unset), `${VAR:+alt}` / `${VAR+alt}`
/// (alt when set and non-empty / set), `$$` for a literal `$`. Defaults may hold further variables. An unset
/// variable without a default becomes the empty string and is named in ``Result/unset``.
public enum ComposeInterpolation {
    /// Interpolated text and the variables that were used but not set.
    public struct Result: Sendable, Hashable {
        /// The text with every variable replaced.
        public var text: String
        /// Variables used without a default that were not in the environment, in order of use.
        public var unset: [String]
    }

    /// Why a text could not be interpolated. The message never contains a variable's value.
    struct Failure: Error {
        var message: String
    }

    /// Interpolates one text.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for a malformed `$` expression or a required variable
    ///   (`${VAR:?msg}`) that is missing.
    public static func interpolate(_ text: String, environment: [String: String]) throws -> Result {
        do {
            var unset: [String] = []
            let output = try substitute(text, environment: environment, unset: &unset)
            return Result(text: output, unset: unset)
        } catch let failure as Failure {
            throw HomelabError(.invalidArgument, failure.message, component: "compose")
        }
    }

    /// `text` with every variable replaced; appends unset variable names to `unset`.
    static func substitute(_ text: String, environment: [String: String], unset: inout [String]) throws -> String {
        guard text.contains("$") else { return text }
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                output.append(character)
                index = text.index(after: index)
                continue
            }
            let next = text.index(after: index)
            guard next < text.endIndex else {
                throw Failure(message: "a '$' ends the text; write '$$' for a literal dollar sign")
            }
            if text[next] == "$" {
                output.append("$")
                index = text.index(after: next)
            } else if text[next] == "{" {
                let bodyStart = text.index(after: next)
                guard let close = closingBrace(in: text, from: bodyStart) else {
                    throw Failure(message: "'${' is not closed by '}'")
                }
                output += try braced(String(text[bodyStart..<close]), environment: environment, unset: &unset)
                index = text.index(after: close)
            } else if isNameStart(text[next]) {
                let nameEnd = text[next...].firstIndex { !isNameCharacter($0) } ?? text.endIndex
                let name = String(text[next..<nameEnd])
                if let value = environment[name] {
                    output += value
                } else {
                    unset.append(name)
                }
                index = nameEnd
            } else {
                throw Failure(
                    message: "'$\(text[next])' is not a variable; write '$$' for a literal dollar sign")
            }
        }
        return output
    }

    /// The contents of one `${...}`.
    private static func braced(_ body: String, environment: [String: String], unset: inout [String]) throws -> String {
        let nameEnd = body.firstIndex { !isNameCharacter($0) } ?? body.endIndex
        let name = String(body[..<nameEnd])
        guard let first = name.first, isNameStart(first) else {
            throw Failure(message: "'${\(shortened(body))}' does not start with a variable name")
        }
        let rest = body[nameEnd...]
        let value = environment[name]
        let isSetNonEmpty = !(value ?? "").isEmpty
        if rest.isEmpty {
            if value == nil { unset.append(name) }
            return value ?? ""
        }
        for (marker, needsNonEmpty) in [(":-", true), ("-", false), (":?", true), ("?", false), (":+", true), ("+", false)]
        where rest.hasPrefix(marker) {
            let argument = String(rest.dropFirst(marker.count))
            let present = needsNonEmpty ? isSetNonEmpty : value != nil
            switch marker.last {
            case "-":
                return present ? (value ?? "") : try substitute(argument, environment: environment, unset: &unset)
            case "?":
                guard present, let value else {
                    let detail = argument.isEmpty ? "" : ": \(argument)"
                    let state = needsNonEmpty ? "is not set or empty" : "is not set"
                    throw Failure(message: "required variable \(name) \(state)\(detail)")
                }
                return value
            default:
                return present ? try substitute(argument, environment: environment, unset: &unset) : ""
            }
        }
        throw Failure(message: "'${\(shortened(body))}' is not a valid substitution (use ${NAME}, ${NAME:-default} or ${NAME:?message})")
    }

    /// The `}` closing a `${` whose body starts at `start`, skipping nested `${...}`.
    private static func closingBrace(in text: String, from start: String.Index) -> String.Index? {
        var depth = 0
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if character == "$" {
                let next = text.index(after: index)
                if next < text.endIndex, text[next] == "{" {
                    depth += 1
                    index = text.index(after: next)
                    continue
                }
                if next < text.endIndex, text[next] == "$" {
                    index = text.index(after: next)
                    continue
                }
            } else if character == "}" {
                if depth == 0 { return index }
                depth -= 1
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func isNameStart(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && character.isLetter)
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && (character.isLetter || character.isNumber))
    }

    private static func shortened(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(37)) + "..." : text
    }
}
