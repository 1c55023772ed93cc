import Foundation
import HomelabCore

/// The middleware's query filters and options over JSON objects: `[field, op, value]` (=, !=, >, <, >=, <=, ~, in,
/// nin, ^, $), `OR` groups, and `order_by`, `offset`, `limit`, `count`, `get`.
enum TrueNASQueryFilter {
    /// Applies `params` (`[filters, options]`) to `items`.
    /// - Throws: ``TrueNASFault`` for malformed filters, or `get` matching nothing.
    static func apply(_ items: [JSONValue], params: [JSONValue]) throws -> JSONValue {
        var result = items
        if case .array(let filters)? = params.first {
            result = try result.filter { item in try filters.allSatisfy { try matches(item, $0) } }
        }
        guard params.count > 1, case .object(let options) = params[1] else { return .array(result) }
        if case .array(let order)? = options["order_by"] {
            for key in order.reversed() {
                guard case .string(var field) = key else { continue }
                let descending = field.hasPrefix("-")
                if descending { field.removeFirst() }
                result = result.sorted { lhs, rhs in
                    let ordered = compare(value(lhs, field), value(rhs, field)) == .orderedAscending
                    return descending ? compare(value(lhs, field), value(rhs, field)) == .orderedDescending : ordered
                }
            }
        }
        if case .integer(let offset)? = options["offset"] { result = Array(result.dropFirst(Int(max(0, offset)))) }
        if case .integer(let limit)? = options["limit"], limit > 0 { result = Array(result.prefix(Int(limit))) }
        if options["count"] == .bool(true) { return .integer(Int64(result.count)) }
        if options["get"] == .bool(true) {
            guard let first = result.first else { throw TrueNASFault.notFound("MatchNotFound") }
            return first
        }
        return .array(result)
    }

    static func matches(_ item: JSONValue, _ filter: JSONValue) throws -> Bool {
        guard case .array(let parts) = filter else { throw TrueNASFault.invalid("query-filters", "a filter must be a list") }
        if parts.count == 2, parts[0] == .string("OR"), case .array(let alternatives) = parts[1] {
            return try alternatives.contains { try matches(item, $0) }
        }
        guard parts.count == 3, case .string(let field) = parts[0], case .string(let op) = parts[1] else {
            throw TrueNASFault.invalid("query-filters", "a filter is [field, operator, value]")
        }
        let actual = value(item, field)
        let expected = parts[2]
        switch op {
        case "=": return compare(actual, expected) == .orderedSame
        case "!=": return compare(actual, expected) != .orderedSame
        case ">": return compare(actual, expected) == .orderedDescending
        case "<": return compare(actual, expected) == .orderedAscending
        case ">=": return compare(actual, expected) != .orderedAscending
        case "<=": return compare(actual, expected) != .orderedDescending
        case "~": return text(actual).range(of: text(expected), options: .regularExpression) != nil
        case "^": return text(actual).hasPrefix(text(expected))
        case "$": return text(actual).hasSuffix(text(expected))
        case "in", "nin":
            guard case .array(let options) = expected else { throw TrueNASFault.invalid("query-filters", "\(op) takes a list") }
            let found = options.contains { compare(actual, $0) == .orderedSame }
            return op == "in" ? found : !found
        default: throw TrueNASFault.invalid("query-filters", "unknown operator \(op)")
        }
    }

    /// `item.a.b` for a dotted field.
    static func value(_ item: JSONValue, _ field: String) -> JSONValue {
        var current = item
        for key in field.split(separator: ".") {
            guard case .object(let fields) = current, let next = fields[String(key)] else { return .null }
            current = next
        }
        return current
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .integer(let n): return String(n)
        case .number(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        default: return "\(value)"
        }
    }

    /// The string elements of a list.
    static func strings(_ values: [JSONValue]) -> [String] {
        values.compactMap { value -> String? in
            guard case .string(let text) = value else { return nil }
            return text
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let n): return Double(n)
        case .number(let d): return d
        default: return nil
        }
    }

    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> ComparisonResult {
        if let a = number(lhs), let b = number(rhs) ?? Double(text(rhs)) {
            return a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
        }
        if case .bool(let a) = lhs { return text(.bool(a)) == text(rhs).lowercased() ? .orderedSame : .orderedAscending }
        return text(lhs).compare(text(rhs))
    }
}
