import Hummingbird

extension HTTPFields {
    /// A header field name (`HTTPField.Name`, reached through the collection's element type).
    typealias FieldName = HTTPFields.Element.Name

    /// Sets header `name` (a valid token such as `Api-Version`) to `value`; an invalid name is ignored.
    mutating func set(_ name: String, _ value: String) {
        guard let field = FieldName(name) else { return }
        self[field] = value
    }

    /// The value of header `name`, if present.
    func value(_ name: String) -> String? {
        guard let field = FieldName(name) else { return nil }
        return self[field]
    }
}
