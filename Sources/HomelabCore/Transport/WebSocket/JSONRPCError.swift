/// A JSON-RPC 2.0 error object from the server, kept as a ``HomelabError``'s `underlying` error.
///
/// TrueNAS adds `data.errname` (`ENOENT`, `EEXIST`, `EACCES`, ...) and `data.reason`; both are kept. The call's params
/// are never part of it.
public struct JSONRPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON-RPC error code (-32602 invalid params, -32601 method not found, -32000 too many calls, -32001 call error).
    public var code: Int
    /// The server's message, redacted.
    public var message: String
    /// TrueNAS's `data.errname`, when present.
    public var errorName: String?
    /// TrueNAS's `data.reason`, when present and different from the message, redacted.
    public var reason: String?

    /// An error value (tests build them; the client decodes them).
    public init(code: Int, message: String, errorName: String? = nil, reason: String? = nil) {
        self.code = code
        self.message = Redaction.redactText(message)
        self.errorName = errorName
        self.reason = reason.map { Redaction.redactText($0) }
    }

    init(_ value: JSONValue) throws {
        guard case .object(let fields) = value else {
            throw HomelabError(.decodingFailed, "a JSON-RPC error is not an object")
        }
        let code: Int
        switch fields["code"] {
        case .integer(let n): code = Int(n)
        case .number(let d) where d == d.rounded() && abs(d) < 1e15: code = Int(d)
        default: throw HomelabError(.decodingFailed, "a JSON-RPC error has no integer code")
        }
        var message = ""
        if case .string(let text) = fields["message"] { message = text }
        var name: String?
        var reason: String?
        if case .object(let data) = fields["data"] {
            if case .string(let text) = data["errname"] { name = text }
            if case .string(let text) = data["reason"], text != message { reason = text }
        }
        self.init(code: code, message: message, errorName: name, reason: reason)
    }

    /// `JSON-RPC error CODE ERRNAME: message (reason)`.
    public var description: String {
        var text = "JSON-RPC error \(code)"
        if let errorName { text += " \(errorName)" }
        if !message.isEmpty { text += ": \(message)" }
        if let reason, !reason.isEmpty { text += " (\(reason))" }
        return text
    }

    /// The most precise ``HomelabError`` code for this error.
    var homelabCode: HomelabError.Code {
        switch errorName {
        case "ENOENT": return .notFound
        case "EEXIST": return .conflict
        case "EACCES", "EPERM", "ENOTAUTHENTICATED": return .unauthorized
        case "EINVAL": return .invalidArgument
        default: break
        }
        switch code {
        case -32602, -32600: return .invalidArgument
        case -32601: return .notFound
        case -32000: return .unavailable
        case -32700: return .internalFailure
        default: return .commandFailed
        }
    }

    /// The error a failed call throws: what was called (never with what), and this error underneath.
    func homelabError(method: String, component: String) -> HomelabError {
        HomelabError(
            homelabCode, "the call \(method) failed", component: component,
            request: HomelabError.Request(method: "call", redactedPath: method), serverMessage: message, underlying: self)
    }
}
