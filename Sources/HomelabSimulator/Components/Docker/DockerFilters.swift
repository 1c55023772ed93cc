import Foundation

/// The `filters` query parameter: JSON `{"name": ["web"]}` or the older `{"name": {"web": true}}` the docker
/// CLI still sends, checked against the keys an endpoint accepts.
struct DockerFilters: Sendable {
    private(set) var values: [String: [String]] = [:]

    /// No filters.
    init() {}

    /// Parses the query parameter (absent or empty: no filters).
    /// - Throws: ``DockerAPIError`` 400 for malformed JSON or a key outside `accepted`, worded as the daemon does.
    init(_ text: String?, accepted: Set<String>) throws {
        guard let text, !text.isEmpty else { return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw DockerAPIError.badRequest("invalid filter: \(text) is not a JSON object")
        }
        for (key, raw) in object {
            guard accepted.contains(key) else { throw DockerAPIError.badRequest("invalid filter '\(key)'") }
            if let list = raw as? [String] {
                values[key] = list
            } else if let map = raw as? [String: Bool] {
                values[key] = map.filter(\.value).map(\.key).sorted()
            } else {
                throw DockerAPIError.badRequest("invalid filter: the values of '\(key)' must be a list of strings")
            }
        }
    }

    /// The values given for `key` (empty when the key is absent).
    subscript(key: String) -> [String] { values[key] ?? [] }

    /// Whether `key` was given.
    func contains(_ key: String) -> Bool { values[key] != nil }

    /// No values for `key`, or `value` matches one of them exactly.
    func allows(_ key: String, exactly value: String?) -> Bool {
        guard let wanted = values[key], !wanted.isEmpty else { return true }
        return value.map { wanted.contains($0) } ?? false
    }

    /// No values for `key`, or one of them is a prefix of `value` (swarmkit's NamePrefixes/IDPrefixes).
    func allows(_ key: String, prefixOf value: String?) -> Bool {
        guard let wanted = values[key], !wanted.isEmpty else { return true }
        guard let value else { return false }
        return wanted.contains { value.hasPrefix($0) }
    }

    /// No `label` values, or `labels` has every one (`key` present, or `key=value` equal).
    func allowsLabels(_ labels: [String: String]?, key: String = "label") -> Bool {
        for condition in self[key] {
            if let equals = condition.firstIndex(of: "=") {
                let name = String(condition[..<equals])
                let value = String(condition[condition.index(after: equals)...])
                guard labels?[name] == value else { return false }
            } else {
                guard labels?[condition] != nil else { return false }
            }
        }
        return true
    }
}
