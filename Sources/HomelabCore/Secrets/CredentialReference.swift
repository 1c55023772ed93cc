/// Where a secret lives, written in the inventory instead of the secret itself.
///
/// Three forms: `env:NAME` (an environment variable), `file:PATH` (a file, absolute or `~/`-relative)
/// and `op://vault/item/field` or `op://vault/item/section/field` (a 1Password item field, resolved
/// through 1Password Connect). A reference is not secret: its ``description`` is the reference text.
/// Parse errors never repeat the text they were given, since that text may be a pasted secret.
public enum CredentialReference: Sendable, Hashable, CustomStringConvertible {
    /// An environment variable, read from the environment handed to the resolver.
    case env(String)
    /// A file whose contents (minus one trailing newline) are the secret.
    case file(String)
    /// A 1Password item field: `op://vault/item[/section]/field`, names or IDs.
    case onePassword(vault: String, item: String, section: String?, field: String)

    /// The three kinds of reference.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `env:NAME`
        case env
        /// `file:PATH`
        case file
        /// `op://vault/item/field`
        case onePassword = "op"
    }

    /// The message for a literal where a reference is required. It never contains the literal.
    public static let literalSecretMessage =
        "a literal secret is not allowed; use env:NAME, file:PATH or op://vault/item/field"

    /// Parses `env:NAME`, `file:PATH` or `op://vault/item[/section]/field`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` saying what is wrong, without repeating `text`.
    public init(parsing text: String) throws {
        switch Self.parse(text) {
        case .success(let reference): self = reference
        case .failure(let problem): throw HomelabError(.invalidConfiguration, problem.message, component: "secrets")
        }
    }

    /// Why a text is not a credential reference. ``message`` never repeats the text.
    public struct ParseProblem: Error, Sendable, Hashable {
        /// A sentence saying what is wrong and what would be right.
        public var message: String
        /// Whether the text does not even look like a reference (a probable literal secret).
        public var isLiteral: Bool
    }

    /// Parses a reference, returning a problem instead of throwing.
    public static func parse(_ text: String) -> Result<CredentialReference, ParseProblem> {
        if text.hasPrefix("env:") {
            let name = text.dropFirst(4)
            guard let first = name.first, first == "_" || (first.isASCII && first.isLetter),
                name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            else {
                return .failure(ParseProblem(
                    message: "an env: reference needs a variable name of letters, digits and underscores (env:NAME)",
                    isLiteral: false))
            }
            return .success(.env(String(name)))
        }
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            guard (path.hasPrefix("/") && path.count > 1) || (path.hasPrefix("~/") && path.count > 2),
                !path.contains("\0")
            else {
                return .failure(ParseProblem(
                    message: "a file: reference needs an absolute path (file:/path or file:~/path)", isLiteral: false))
            }
            return .success(.file(path))
        }
        if text.hasPrefix("op://") {
            let segments = text.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard segments.count == 3 || segments.count == 4, segments.allSatisfy({ !$0.isEmpty }) else {
                return .failure(ParseProblem(
                    message: "an op:// reference needs a vault, an item and a field "
                        + "(op://vault/item/field or op://vault/item/section/field)",
                    isLiteral: false))
            }
            let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber) || "-_. ".contains(c) }
            guard segments.allSatisfy({ $0.allSatisfy(allowed) && $0.trimmingSpaces == $0 }) else {
                return .failure(ParseProblem(
                    message: "op:// reference names may hold only letters, digits, '-', '_', '.' and inner spaces "
                        + "(use the item's ID for other names)",
                    isLiteral: false))
            }
            if segments.count == 4 {
                return .success(.onePassword(vault: segments[0], item: segments[1], section: segments[2], field: segments[3]))
            }
            return .success(.onePassword(vault: segments[0], item: segments[1], section: nil, field: segments[2]))
        }
        return .failure(ParseProblem(message: literalSecretMessage, isLiteral: true))
    }

    /// Which kind of reference this is.
    public var kind: Kind {
        switch self {
        case .env: return .env
        case .file: return .file
        case .onePassword: return .onePassword
        }
    }

    /// The reference's scheme followed by an ellipsis (`op://…`, `env:…`, `file:…`), for displays that show
    /// where a credential comes from without naming it.
    public var schemeOnly: String {
        switch kind {
        case .env: return "env:…"
        case .file: return "file:…"
        case .onePassword: return "op://…"
        }
    }

    /// The reference text, e.g. `op://homelab/authentik/api-token`. Not a secret.
    public var description: String {
        switch self {
        case .env(let name): return "env:" + name
        case .file(let path): return "file:" + path
        case .onePassword(let vault, let item, let section, let field):
            return "op://" + ([vault, item] + (section.map { [$0] } ?? []) + [field]).joined(separator: "/")
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex(where: { $0 != " " }) ?? endIndex
        let end = lastIndex(where: { $0 != " " }).map(index(after:)) ?? start
        return self[start..<max(start, end)]
    }
}
