import Foundation

/// A Caddyfile as blocks of tokens, the way caddy-docker-proxy builds, merges, orders and prints it
/// (`caddyfile/caddyfile.go`, `marshal.go`, `merge.go` in lucaslorentz/caddy-docker-proxy).
///
/// A ``Block`` is any line of a Caddyfile with its optional `{ ... }` body: global options (no keys), a snippet
/// (`(name)`), a site (`a.example, b.example`), a matcher definition (`@name`), a directive or a sub-directive.
public struct Caddyfile: Sendable, Hashable {
    /// The top-level blocks.
    public var blocks: [Block]

    /// A Caddyfile of `blocks`.
    public init(blocks: [Block] = []) { self.blocks = blocks }

    /// One line and its body.
    public struct Block: Sendable, Hashable {
        /// The tokens of the line (`reverse_proxy`, `10.0.1.5:80`).
        public var keys: [String]
        /// Its place among siblings: a `N_` label prefix, or its line order when parsed; unordered blocks
        /// (`Int32.max`) come after ordered ones.
        public var order: Int
        /// The lines of its body.
        public var children: [Block]

        /// A block.
        public init(_ keys: [String], order: Int = Caddyfile.unordered, children: [Block] = []) {
            self.keys = keys
            self.order = order
            self.children = children
        }

        /// Global options: a block without keys.
        public var isGlobal: Bool { keys.isEmpty }
        /// A snippet: `(name)`.
        public var isSnippet: Bool { keys.count == 1 && keys[0].hasPrefix("(") && keys[0].hasSuffix(")") }
        /// A named matcher definition: `@name ...`.
        public var isMatcher: Bool { keys.first?.hasPrefix("@") ?? false }
        /// The snippet's name without parentheses, for a snippet.
        public var snippetName: String? { isSnippet ? String(keys[0].dropFirst().dropLast()) : nil }
    }

    /// The order of a block that did not ask for one.
    public static let unordered = Int(Int32.max)

    // MARK: Merging

    /// Merges `other` into this Caddyfile as caddy-docker-proxy merges one service's labels into the rest: a
    /// `reverse_proxy` (or `php_fastcgi`) with the same matcher gains the other's upstreams; a block with exactly
    /// the same keys merges its body; anything else is added.
    public mutating func merge(_ other: Caddyfile) { Self.merge(&blocks, other.blocks) }

    static func merge(_ into: inout [Block], _ other: [Block]) {
        outer: for block in other {
            let first = block.keys.first ?? ""
            for index in into.indices where (into[index].keys.first ?? "") == first {
                if first == "reverse_proxy" || first == "php_fastcgi", matcher(into[index]) == matcher(block) {
                    for (position, key) in block.keys.dropFirst().enumerated() where position > 0 || !isMatcherToken(key) {
                        into[index].keys.append(key)
                    }
                    merge(&into[index].children, block.children)
                    continue outer
                } else if into[index].keys == block.keys {
                    merge(&into[index].children, block.children)
                    continue outer
                }
            }
            into.append(block)
        }
    }

    private static func matcher(_ block: Block) -> String {
        block.keys.count > 1 && isMatcherToken(block.keys[1]) ? block.keys[1] : "*"
    }

    private static func isMatcherToken(_ token: String) -> Bool {
        token == "*" || token.hasPrefix("/") || token.hasPrefix("@")
    }

    // MARK: Ordering and printing

    /// The blocks in caddy-docker-proxy's order at every level: global options, snippets, matchers, then by
    /// order, keys, key count and bodies.
    public func sorted() -> Caddyfile { Caddyfile(blocks: Self.sorted(blocks)) }

    static func sorted(_ blocks: [Block]) -> [Block] {
        let children = blocks.map { block -> Block in
            var block = block
            block.children = sorted(block.children)
            return block
        }
        // A stable sort: equal blocks keep their places.
        return children.enumerated().sorted { a, b in
            let comparison = compare(a.element, b.element)
            return comparison != 0 ? comparison < 0 : a.offset < b.offset
        }.map(\.element)
    }

    static func compare(_ a: Block, _ b: Block) -> Int {
        if a.isGlobal != b.isGlobal { return a.isGlobal ? -1 : 1 }
        if a.isSnippet != b.isSnippet { return a.isSnippet ? -1 : 1 }
        if a.isMatcher != b.isMatcher { return a.isMatcher ? -1 : 1 }
        if a.order != b.order { return a.order < b.order ? -1 : 1 }
        for (keyA, keyB) in zip(a.keys, b.keys) where keyA != keyB {
            // Go compares strings byte by byte.
            return Array(keyA.utf8).lexicographicallyPrecedes(Array(keyB.utf8)) ? -1 : 1
        }
        if a.keys.count != b.keys.count { return a.keys.count < b.keys.count ? -1 : 1 }
        for (childA, childB) in zip(a.children, b.children) {
            let comparison = compare(childA, childB)
            if comparison != 0 { return comparison }
        }
        if a.children.count != b.children.count { return a.children.count < b.children.count ? -1 : 1 }
        return 0
    }

    /// The Caddyfile text, sorted, tab-indented, as caddy-docker-proxy writes `Caddyfile.autosave`.
    public var text: String {
        var out = ""
        for block in Self.sorted(blocks) { Self.write(block, level: 0, into: &out) }
        return out
    }

    private static func write(_ block: Block, level: Int, into out: inout String) {
        out += String(repeating: "\t", count: level)
        out += block.keys.map(quoted).joined(separator: " ")
        if !block.children.isEmpty {
            if !block.keys.isEmpty { out += " " }
            out += "{\n"
            for child in block.children { write(child, level: level + 1, into: &out) }
            out += String(repeating: "\t", count: level) + "}"
        }
        out += "\n"
    }

    /// A token as the Caddyfile needs it: backticks around line breaks or quotes, double quotes around spaces.
    static func quoted(_ token: String) -> String {
        if token.contains("\n") || token.contains("\"") {
            return "`" + token.replacingOccurrences(of: "`", with: "\\`") + "`"
        }
        if token.contains(" ") {
            return "\"" + token.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return token
    }
}
