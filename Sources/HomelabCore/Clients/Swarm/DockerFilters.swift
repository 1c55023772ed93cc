import Foundation

extension Swarm {
    /// Server-side filters for Docker list and event calls: a map from filter name to accepted values, sent as
    /// `filters={"name":["a","b"]}`. Values of one name are alternatives; different names must all match.
    ///
    /// Build them with the typed helpers (`.service(id)`, `.label("a=b")`, `.desiredState(.running)`, ...) or
    /// with ``adding(_:_:)`` for a name this SDK does not spell out.
    public struct Filters: Sendable, Hashable, ExpressibleByDictionaryLiteral {
        /// The filters, name to accepted values.
        public private(set) var values: [String: [String]]

        /// No filters.
        public init() { values = [:] }

        /// Filters from a dictionary literal: `["service": ["web"], "desired-state": ["running"]]`.
        public init(dictionaryLiteral elements: (String, [String])...) {
            values = [:]
            for (name, list) in elements { values[name, default: []] += list }
        }

        /// Whether no filter is set.
        public var isEmpty: Bool { values.isEmpty }

        /// These filters plus `name=value`.
        public func adding(_ name: String, _ value: String) -> Filters {
            var copy = self
            copy.values[name, default: []].append(value)
            return copy
        }

        /// These filters plus every filter of `other`.
        public func merging(_ other: Filters) -> Filters {
            var copy = self
            for (name, list) in other.values { copy.values[name, default: []] += list }
            return copy
        }

        /// Objects with this ID (or ID prefix).
        public static func id(_ id: String) -> Filters { Filters().adding("id", id) }
        /// Objects with this name.
        public static func name(_ name: String) -> Filters { Filters().adding("name", name) }
        /// Objects with this label: `key` (present) or `key=value`.
        public static func label(_ label: String) -> Filters { Filters().adding("label", label) }
        /// Tasks of this service (ID or name); events of services are filtered with ``type(_:)`` and ``id(_:)``.
        public static func service(_ service: String) -> Filters { Filters().adding("service", service) }
        /// Tasks on this node (ID or name).
        public static func node(_ node: String) -> Filters { Filters().adding("node", node) }
        /// Tasks whose desired state is this one (`running`, `shutdown`, `accepted`).
        public static func desiredState(_ state: TaskState) -> Filters {
            Filters().adding("desired-state", state.rawValue)
        }
        /// Tasks built from the service's current spec only (the filter the docker CLI's progress view uses).
        public static let upToDate = Filters().adding("_up-to-date", "true")
        /// Nodes with this role.
        public static func role(_ role: NodeRole) -> Filters { Filters().adding("role", role.rawValue) }
        /// Services in this mode (`replicated`, `global`).
        public static func mode(_ mode: String) -> Filters { Filters().adding("mode", mode) }
        /// Networks with this driver, e.g. `overlay`.
        public static func driver(_ driver: String) -> Filters { Filters().adding("driver", driver) }
        /// Networks with this scope (`swarm`, `global`, `local`).
        public static func scope(_ scope: String) -> Filters { Filters().adding("scope", scope) }
        /// Events about this kind of object.
        public static func type(_ type: EventType) -> Filters { Filters().adding("type", type.rawValue) }
        /// Events with this action (`create`, `update`, `remove`, ...).
        public static func event(_ action: String) -> Filters { Filters().adding("event", action) }

        /// The JSON the API expects, keys and values sorted so equal filters give equal text.
        public var json: String {
            let sorted = values.mapValues { $0.sorted() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(sorted) else { return "{}" }
            return String(decoding: data, as: UTF8.self)
        }

        /// The `filters` query item, or none when empty.
        var queryItems: [(String, String)] { isEmpty ? [] : [("filters", json)] }
    }
}
