import HomelabCore

/// A refused TrueNAS call, rendered as the middleware renders it: a JSON-RPC error object (`code`, `message`,
/// `data.errname`, `data.reason`, `data.extra`) or a REST answer (404 `{"message"}`, 422 `{"message","errno"}` or a
/// validation object `{"<attr>": [{"message","errno"}]}`).
struct TrueNASFault: Error, Sendable {
    var code: Int
    var errname: String
    var errno: Int
    var message: String
    /// A validation error's attribute.
    var attribute: String?
    /// The traceback text of a failed job.
    var traceback: String?

    static func notFound(_ message: String) -> TrueNASFault {
        TrueNASFault(code: -32001, errname: "ENOENT", errno: 2, message: message)
    }
    static func exists(_ message: String) -> TrueNASFault {
        TrueNASFault(code: -32001, errname: "EEXIST", errno: 17, message: message)
    }
    static func invalid(_ attribute: String, _ message: String) -> TrueNASFault {
        TrueNASFault(code: -32602, errname: "EINVAL", errno: 22, message: message, attribute: attribute)
    }
    static func failed(_ message: String) -> TrueNASFault {
        TrueNASFault(code: -32001, errname: "EFAULT", errno: 14, message: message)
    }
    static func methodNotFound(_ method: String) -> TrueNASFault {
        TrueNASFault(code: -32601, errname: "ENOMETHOD", errno: 38, message: "Method does not exist: \(method)")
    }
    static let notAuthenticated = TrueNASFault(code: -32001, errname: "ENOTAUTHENTICATED", errno: 13, message: "Not authenticated")
    /// What a locked-out client hears (the shape is our reading of the middleware's rate limit: EBUSY, "Rate Limit Exceeded").
    static let rateLimited = TrueNASFault(code: -32001, errname: "EBUSY", errno: 16, message: "Rate Limit Exceeded")

    /// The JSON-RPC `error` object.
    var rpcError: JSONValue {
        var data: [String: JSONValue] = [
            "error": .integer(Int64(errno)), "errname": .string(errname), "reason": .string(message), "trace": .null,
            "extra": .array([]),
        ]
        if let attribute { data["extra"] = .array([.array([.string(attribute), .string(message), .integer(Int64(errno))])]) }
        return .object(["code": .integer(Int64(code)), "message": .string(message), "data": .object(data)])
    }

    /// The REST status and body.
    var rest: (status: Int, body: JSONValue) {
        if errname == "ENOENT" || code == -32601 { return (404, .object(["message": .string(message)])) }
        if let attribute {
            return (422, .object([attribute: .array([.object(["message": .string(message), "errno": .integer(Int64(errno))])])]))
        }
        if errname == "ENOTAUTHENTICATED" { return (401, .object(["message": .string(message)])) }
        return (422, .object(["message": .string(message), "errno": .integer(Int64(errno))]))
    }
}
