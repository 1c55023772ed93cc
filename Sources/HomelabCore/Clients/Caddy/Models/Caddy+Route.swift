import Foundation

extension Caddy {
    /// One route: matcher sets (any may match), handlers run in order, and whether matching stops here.
    public struct Route: Codable, Sendable, Hashable {
        /// Its `@id`, for `/id/<id>` addressing.
        public var id: String?
        /// Its group (only the first matching route of a group runs).
        public var group: String?
        /// Matcher sets; the route applies when any set matches (every matcher of a set must).
        public var match: [MatcherSet]?
        /// The handler chain.
        public var handle: [Handler]?
        /// Whether no later route runs after this one matched.
        public var terminal: Bool?
        /// Every other key, verbatim.
        public var other: [String: JSONValue] = [:]

        /// A route value.
        public init(
            id: String? = nil, group: String? = nil, match: [MatcherSet]? = nil, handle: [Handler]? = nil, terminal: Bool? = nil,
            other: [String: JSONValue] = [:]
        ) {
            self.id = id
            self.group = group
            self.match = match
            self.handle = handle
            self.terminal = terminal
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case id = "@id"
            case group, match, handle, terminal
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            group = try container.decodeIfPresent(String.self, forKey: .group)
            match = try container.decodeIfPresent([MatcherSet].self, forKey: .match)
            handle = try container.decodeIfPresent([Handler].self, forKey: .handle)
            terminal = try container.decodeIfPresent(Bool.self, forKey: .terminal)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encodeIfPresent(group, forKey: .group)
            try container.encodeIfPresent(match, forKey: .match)
            try container.encodeIfPresent(handle, forKey: .handle)
            try container.encodeIfPresent(terminal, forKey: .terminal)
        }

        /// Every host the route's matcher sets name (in order, without repeats).
        public var hosts: [String] {
            var seen: Set<String> = []
            return (match ?? []).flatMap { $0.host ?? [] }.filter { seen.insert($0).inserted }
        }
    }

    /// One matcher set: the `host` and `path` matchers typed, the others (`header`, `not`, `remote_ip`, ...) kept.
    public struct MatcherSet: Codable, Sendable, Hashable {
        /// Host names (wildcards allowed: `*.example.com`).
        public var host: [String]?
        /// Path patterns (`/api/*`).
        public var path: [String]?
        /// Every other matcher, verbatim.
        public var other: [String: JSONValue] = [:]

        /// A matcher set value.
        public init(host: [String]? = nil, path: [String]? = nil, other: [String: JSONValue] = [:]) {
            self.host = host
            self.path = path
            self.other = other
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case host, path
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            host = try container.decodeIfPresent([String].self, forKey: .host)
            path = try container.decodeIfPresent([String].self, forKey: .path)
            other = try CaddyOpenObject.other(from: decoder, known: Set(CodingKeys.allCases.map(\.stringValue)))
        }

        public func encode(to encoder: any Encoder) throws {
            try CaddyOpenObject.encode(other, to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(host, forKey: .host)
            try container.encodeIfPresent(path, forKey: .path)
        }
    }
}
