import Foundation

/// A template with `op://` secret references, rendered with `op inject`'s semantics.
///
/// References are written enclosed, `{{ op://vault/item/field }}` (spaces inside the braces optional), or bare,
/// `op://vault/item/field` (ending at the first character that is not a letter, digit, `-`, `_`, `.` or `/`).
/// `{{ "text" }}` writes `text` as it is (an escape for text that looks like a reference). Other `{{ ... }}`
/// (Homepage's `{{HOMEPAGE_VAR_X}}`, Go templates) and `$VAR` pass through unchanged: unlike `op inject`, no
/// environment variables are substituted, so shell snippets and compose interpolation in a template survive.
public struct SecretTemplate: Sendable {
    /// One piece of a template.
    enum Piece: Sendable, Hashable {
        case text(String)
        case reference(CredentialReference)
    }

    let pieces: [Piece]

    /// Parses `text`.
    /// - Throws: ``HomelabError/Code/invalidArgument`` naming the line and column of a reference that is not a valid
    ///   `op://vault/item[/section]/field` (the problem is described, the text is not repeated).
    public init(parsing text: String) throws {
        var pieces: [Piece] = []
        var literal = ""
        let characters = Array(text)
        var index = 0
        var line = 1
        var column = 1
        func advance(_ count: Int) {
            for character in characters[index..<min(characters.count, index + count)] {
                if character == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            index += count
        }
        func starts(_ prefix: String, at position: Int) -> Bool {
            let needle = Array(prefix)
            guard position + needle.count <= characters.count else { return false }
            return Array(characters[position..<(position + needle.count)]) == needle
        }
        func reference(_ raw: String) throws -> CredentialReference {
            switch CredentialReference.parse(raw) {
            case .success(let reference) where reference.kind == .onePassword: return reference
            case .success: throw HomelabError(.invalidArgument, "template line \(line), column \(column): only op:// references are injected", component: "secrets")
            case .failure(let problem):
                throw HomelabError(.invalidArgument, "template line \(line), column \(column): \(problem.message)", component: "secrets")
            }
        }
        func flush() {
            if !literal.isEmpty { pieces.append(.text(literal)) }
            literal = ""
        }
        while index < characters.count {
            if starts("{{", at: index), let close = Self.find("}}", in: characters, from: index + 2) {
                let inner = String(characters[(index + 2)..<close]).trimmingCharacters(in: .whitespaces)
                if inner.hasPrefix("op://") {
                    flush()
                    pieces.append(.reference(try reference(inner)))
                    advance(close + 2 - index)
                    continue
                }
                if inner.count >= 2, inner.hasPrefix("\""), inner.hasSuffix("\"") {
                    literal += inner.dropFirst().dropLast()
                    advance(close + 2 - index)
                    continue
                }
            }
            if starts("op://", at: index) {
                var end = index + 5
                while end < characters.count, Self.isBareReferenceCharacter(characters[end]) { end += 1 }
                flush()
                pieces.append(.reference(try reference(String(characters[index..<end]))))
                advance(end - index)
                continue
            }
            literal.append(characters[index])
            advance(1)
        }
        flush()
        self.pieces = pieces
    }

    /// The distinct references, in the order they first appear.
    public var references: [CredentialReference] {
        var seen: Set<CredentialReference> = []
        return pieces.compactMap { piece in
            guard case .reference(let reference) = piece, seen.insert(reference).inserted else { return nil }
            return reference
        }
    }

    /// The template with every reference replaced by its value, as a ``Secret`` (it never prints).
    ///
    /// Every reference is resolved before anything is produced; one that fails fails the whole render.
    /// - Throws: ``HomelabError/Code/secretUnavailable`` listing every reference that could not be resolved and why
    ///   (never a value).
    public func render(with resolver: any SecretResolver) async throws -> Secret {
        var values: [CredentialReference: Secret] = [:]
        var failures: [String] = []
        for reference in references {
            do {
                values[reference] = try await resolver.resolve(reference)
            } catch let error as HomelabError {
                failures.append(error.message.hasPrefix(reference.description) ? error.message : "\(reference): \(error.message)")
            } catch {
                failures.append("\(reference): \(Redaction.redactText(String(describing: error)))")
            }
        }
        guard failures.isEmpty else {
            throw HomelabError(
                .secretUnavailable,
                "\(failures.count) of \(references.count) references could not be resolved, so nothing was rendered: "
                    + failures.joined(separator: "; "),
                component: "secrets")
        }
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let text): out += text
            case .reference(let reference): out += values[reference]?.reveal() ?? ""
            }
        }
        return Secret(out)
    }

    static func isBareReferenceCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-_./".contains(character))
    }

    static func find(_ needle: String, in characters: [Character], from start: Int) -> Int? {
        let target = Array(needle)
        var position = start
        while position + target.count <= characters.count {
            if characters[position] == "\n" { return nil }
            if Array(characters[position..<(position + target.count)]) == target { return position }
            position += 1
        }
        return nil
    }
}
