import Foundation

/// A JSON-RPC 2.0 request id: a number (what ``JSONRPCClient`` sends) or a string.
public enum JSONRPCID: Hashable, Sendable, CustomStringConvertible {
    /// A numeric id.
    case number(Int64)
    /// A string id.
    case string(String)

    /// The id as it appears in JSON.
    public var description: String {
        switch self {
        case .number(let n): return String(n)
        case .string(let s): return "\"\(s)\""
        }
    }

    var json: JSONValue {
        switch self {
        case .number(let n): return .integer(n)
        case .string(let s): return .string(s)
        }
    }
}

/// A notification from the server: a method name and its params (TrueNAS: `collection_update`, `notify_unsubscribed`).
public struct JSONRPCNotification: Sendable, Hashable {
    /// The notification's method name.
    public var method: String
    /// Its params, if any.
    public var params: JSONValue?

    /// A notification value (tests build them; the client decodes them).
    public init(method: String, params: JSONValue?) {
        self.method = method
        self.params = params
    }
}

/// One JSON-RPC 2.0 message as it travels in one WebSocket text message (TrueNAS: no batches).
public enum JSONRPCMessage: Sendable, Hashable {
    /// A successful answer.
    case result(id: JSONRPCID, JSONValue)
    /// An error answer; a nil id is an error about the connection, not one call.
    case error(id: JSONRPCID?, JSONRPCError)
    /// A message without id: the server tells us something.
    case notification(JSONRPCNotification)
    /// A request from the server (with an id); we answer none, but it must not be mistaken for an answer.
    case request(id: JSONRPCID, method: String)

    /// Reads one message.
    /// - Throws: ``HomelabError/Code/decodingFailed`` for text that is not one JSON-RPC 2.0 object (batches included).
    public static func decode(_ text: String) throws -> JSONRPCMessage {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw HomelabError(.decodingFailed, "a JSON-RPC message is not JSON (\(text.utf8.count) bytes)")
        }
        guard case .object(let fields) = value else {
            throw HomelabError(.decodingFailed, "a JSON-RPC message is not an object (batches are not supported)")
        }
        guard fields["jsonrpc"] == .string("2.0") else {
            throw HomelabError(.decodingFailed, "a message does not say \"jsonrpc\": \"2.0\"")
        }
        let id = try fields["id"].flatMap(Self.id)
        if let method = fields["method"] {
            guard case .string(let name) = method else {
                throw HomelabError(.decodingFailed, "a JSON-RPC message has a method that is not a string")
            }
            if let id { return .request(id: id, method: name) }
            return .notification(JSONRPCNotification(method: name, params: fields["params"]))
        }
        if let error = fields["error"] {
            return .error(id: id, try JSONRPCError(error))
        }
        guard let id else {
            throw HomelabError(.decodingFailed, "a JSON-RPC answer has neither an id nor an error")
        }
        guard let result = fields["result"] else {
            throw HomelabError(.decodingFailed, "the JSON-RPC answer to id \(id) has neither result nor error")
        }
        return .result(id: id, result)
    }

    private static func id(_ value: JSONValue) throws -> JSONRPCID? {
        switch value {
        case .null: return nil
        case .integer(let n): return .number(n)
        case .number(let d) where d == d.rounded() && abs(d) < 9e15: return .number(Int64(d))
        case .string(let s): return .string(s)
        default: throw HomelabError(.decodingFailed, "a JSON-RPC id is neither a number nor a string")
        }
    }

    /// The text of a request (with `id`) or a notification (without).
    /// - Throws: ``HomelabError/Code/invalidArgument`` when the params cannot be encoded (never with their content).
    static func encodeRequest(id: JSONRPCID?, method: String, params: JSONValue?) throws -> String {
        var fields: [String: JSONValue] = ["jsonrpc": .string("2.0"), "method": .string(method)]
        if let id { fields["id"] = id.json }
        if let params { fields["params"] = params }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(JSONValue.object(fields)), as: UTF8.self)
        } catch {
            throw HomelabError(.invalidArgument, "the params of \(method) cannot be encoded as JSON")
        }
    }
}
