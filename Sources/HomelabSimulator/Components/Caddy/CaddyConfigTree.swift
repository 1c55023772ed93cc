import HomelabCore
import Hummingbird

/// The admin API's access to the configuration tree, as Caddy's `unsyncedConfigAccess` (admin.go) does it on
/// `{"config": <config>}`: GET reads, POST appends to an array (each element with a trailing `...`) or sets a
/// key, PUT creates a key strictly or inserts at an array index, PATCH replaces strictly, DELETE removes.
enum CaddyConfigTree {
    /// Applies `method` at `parts` (the path below the root, `config` first) and returns what GET reads.
    /// - Throws: ``CaddyAPIError`` with Caddy's status and words.
    static func access(
        _ root: inout JSONValue, method: String, parts: [String], value: JSONValue?, ellipses: Bool, path: String
    ) throws -> JSONValue? {
        guard !parts.isEmpty else { throw CaddyAPIError(.badRequest, "no traversable path") }
        return try apply(&root, method: method, parts: parts[...], value: value, ellipses: ellipses, path: path, done: [])
    }

    private static func apply(
        _ node: inout JSONValue, method: String, parts: ArraySlice<String>, value: JSONValue?, ellipses: Bool, path: String,
        done: [String]
    ) throws -> JSONValue? {
        guard let part = parts.first else { return node }
        switch node {
        case .object(var object):
            if parts.count == 2, case .array(var array)? = object[part] {
                let result = try arrayAccess(&array, method: method, index: parts[parts.startIndex + 1], value: value, ellipses: ellipses, path: path)
                object[part] = .array(array)
                node = .object(object)
                return result
            }
            if parts.count == 1 {
                let result = try keyAccess(&object, key: part, method: method, value: value, ellipses: ellipses, path: path)
                node = .object(object)
                return result
            }
            var child: JSONValue
            if let existing = object[part] {
                child = existing
            } else if method == "PUT" || method == "POST" {
                child = .object([:])
            } else {
                throw CaddyAPIError(.internalServerError, "invalid traversal path at: \((done + [part]).joined(separator: "/"))")
            }
            let result = try apply(&child, method: method, parts: parts.dropFirst(), value: value, ellipses: ellipses, path: path, done: done + [part])
            if method != "GET" {
                object[part] = child
                node = .object(object)
            }
            return result
        case .array(var array):
            guard let index = Int(part), index >= 0, index < array.count else {
                throw CaddyAPIError(.internalServerError, "[\(path)] invalid array index '\(part)'")
            }
            var child = array[index]
            let result = try apply(&child, method: method, parts: parts.dropFirst(), value: value, ellipses: ellipses, path: path, done: done + [part])
            if method != "GET" {
                array[index] = child
                node = .array(array)
            }
            return result
        default:
            throw CaddyAPIError(.internalServerError, "invalid traversal path at: \((done + [part]).joined(separator: "/"))")
        }
    }

    private static func arrayAccess(
        _ array: inout [JSONValue], method: String, index text: String, value: JSONValue?, ellipses: Bool, path: String
    ) throws -> JSONValue? {
        if method == "POST" {
            // POST to an element of an array appends to the array, as Caddy does.
            try append(&array, value: value, ellipses: ellipses)
            return nil
        }
        guard let index = Int(text) else { throw CaddyAPIError(.internalServerError, "[\(path)] invalid array index '\(text)'") }
        guard index >= 0, index <= array.count, method == "PUT" || index < array.count else {
            throw CaddyAPIError(.internalServerError, "[\(path)] array index out of bounds: \(text)")
        }
        switch method {
        case "GET": return array[index]
        case "PUT": array.insert(value ?? .null, at: index)
        case "PATCH": array[index] = value ?? .null
        case "DELETE": array.remove(at: index)
        default: throw CaddyAPIError(.methodNotAllowed, "method not allowed")
        }
        return nil
    }

    private static func keyAccess(
        _ object: inout [String: JSONValue], key: String, method: String, value: JSONValue?, ellipses: Bool, path: String
    ) throws -> JSONValue? {
        switch method {
        case "GET":
            return object[key] ?? .null
        case "POST":
            if case .array(var array)? = object[key] {
                try append(&array, value: value, ellipses: ellipses)
                object[key] = .array(array)
            } else {
                object[key] = value ?? .null
            }
        case "PUT":
            guard object[key] == nil else { throw CaddyAPIError(.conflict, "[\(path)] key already exists: \(key)") }
            object[key] = value ?? .null
        case "PATCH":
            guard object[key] != nil else { throw CaddyAPIError(.notFound, "[\(path)] key does not exist: \(key)") }
            object[key] = value ?? .null
        case "DELETE":
            guard object[key] != nil else { throw CaddyAPIError(.notFound, "[\(path)] key does not exist: \(key)") }
            object[key] = nil
        default:
            throw CaddyAPIError(.methodNotAllowed, "method not allowed")
        }
        return nil
    }

    private static func append(_ array: inout [JSONValue], value: JSONValue?, ellipses: Bool) throws {
        if ellipses {
            guard case .array(let items)? = value else { throw CaddyAPIError(.badRequest, "final element is not an array") }
            array += items
        } else {
            array.append(value ?? .null)
        }
    }

    /// The path of every object with an `@id`, as Caddy indexes them (`config/apps/...`).
    static func ids(in root: JSONValue) -> [String: [String]] {
        var index: [String: [String]] = [:]
        func visit(_ node: JSONValue, _ path: [String]) {
            switch node {
            case .object(let object):
                if case .string(let id)? = object["@id"] { index[id] = path }
                for (key, child) in object { visit(child, path + [key]) }
            case .array(let array):
                for (position, child) in array.enumerated() { visit(child, path + [String(position)]) }
            default:
                break
            }
        }
        visit(root, [])
        return index
    }

    /// The value at `parts`, or nil.
    static func value(in root: JSONValue, at parts: [String]) -> JSONValue? {
        var node = root
        for part in parts {
            switch node {
            case .object(let object):
                guard let child = object[part] else { return nil }
                node = child
            case .array(let array):
                guard let index = Int(part), array.indices.contains(index) else { return nil }
                node = array[index]
            default:
                return nil
            }
        }
        return node
    }
}
