import Foundation
import HomelabCore
import Hummingbird

/// An error answer of the simulated Proxmox VE API: the status (whose reason phrase PVE fills with the message)
/// and `{"data": null, "message": "...\n", "errors": {...}}`.
struct ProxmoxAPIError: SimulatedAPIError, HTTPResponseError {
    let code: Int
    let message: String
    var errors: [String: String] = [:]

    var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    /// 400 with per-parameter reasons, as PVE's schema validation answers.
    static func parameters(_ errors: [String: String]) -> ProxmoxAPIError {
        ProxmoxAPIError(code: 400, message: "Parameter verification failed.", errors: errors)
    }
    /// 401, as pveproxy answers a missing or wrong credential.
    static func unauthorized(_ reason: String = "authentication failure") -> ProxmoxAPIError {
        ProxmoxAPIError(code: 401, message: reason)
    }
    /// 500: what PVE answers for most refusals (a locked VM, a stale digest, a missing guest).
    static func failed(_ message: String) -> ProxmoxAPIError { ProxmoxAPIError(code: 500, message: message) }
    /// 501 for a method PVE has but the simulator does not.
    static func notImplemented(_ what: String) -> ProxmoxAPIError { ProxmoxAPIError(code: 501, message: "Method '\(what)' not implemented") }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        ProxmoxJSON.error(status, message, errors: errors)
    }
}

/// The JSON the simulated Proxmox writes and reads.
enum ProxmoxJSON {
    /// `{"data": value}`.
    static func data(_ value: JSONValue) -> Response {
        SimulatorJSON.response(SimulatorJSON.encode(["data": value]))
    }

    /// The error body.
    static func error(_ status: HTTPResponse.Status, _ message: String, errors: [String: String] = [:]) -> Response {
        var body: [String: JSONValue] = ["data": .null, "message": .string(message + "\n")]
        if !errors.isEmpty { body["errors"] = .object(errors.mapValues { .string($0) }) }
        return SimulatorJSON.response(SimulatorJSON.encode(body), status: status)
    }

    /// The request's parameters: the query string, then a form-encoded (pvesh, proxmoxer) or JSON body.
    static func parameters(_ request: Request) async throws -> [String: String] {
        var out: [String: String] = [:]
        for (key, values) in QueryString(request.uri.query).values { out[key] = values.first }
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        let bytes = Data(buffer.readableBytesView)
        guard !bytes.isEmpty else { return out }
        if request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true {
            guard let object = try? JSONDecoder().decode([String: JSONValue].self, from: bytes) else {
                throw ProxmoxAPIError(code: 400, message: "malformed JSON body")
            }
            for (key, value) in object {
                switch value {
                case .string(let text): out[key] = text
                case .integer(let number): out[key] = String(number)
                case .number(let number): out[key] = String(number)
                case .bool(let flag): out[key] = flag ? "1" : "0"
                default: break
                }
            }
        } else {
            for (key, values) in QueryString(String(decoding: bytes, as: UTF8.self)).values { out[key] = values.first }
        }
        return out
    }
}
