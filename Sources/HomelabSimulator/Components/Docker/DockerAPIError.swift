import Foundation
import Hummingbird

/// An error answer of the simulated Engine API: an HTTP status and Docker's `{"message": "..."}` body.
///
/// The messages are the daemon's own (`daemon/server/httpstatus`, swarmkit's controlapi through gRPC), so a
/// client that matches on them (`update out of sequence`) behaves as against a real manager.
struct DockerAPIError: SimulatedAPIError, HTTPResponseError {
    /// The HTTP status code.
    let code: Int
    /// The text of `message`.
    let message: String

    init(code: Int, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The HTTP status.
    var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    /// 400: a bad argument or a failed precondition.
    static func badRequest(_ message: String) -> DockerAPIError { DockerAPIError(code: 400, message) }
    /// 403.
    static func forbidden(_ message: String) -> DockerAPIError { DockerAPIError(code: 403, message) }
    /// 409.
    static func conflict(_ message: String) -> DockerAPIError { DockerAPIError(code: 409, message) }
    /// 500.
    static func internalServerError(_ message: String) -> DockerAPIError { DockerAPIError(code: 500, message) }
    /// 501.
    static func notImplemented(_ message: String) -> DockerAPIError { DockerAPIError(code: 501, message) }
    /// 503.
    static func unavailable(_ message: String) -> DockerAPIError { DockerAPIError(code: 503, message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        DockerJSON.error(status, message)
    }

    /// 404 `<kind> <name> not found`, as the daemon words a missing object.
    static func notFound(_ kind: String, _ name: String) -> DockerAPIError {
        DockerAPIError(code: 404, "\(kind) \(name) not found")
    }

    /// 400 with swarmkit's InvalidArgument wording.
    static func invalidArgument(_ text: String) -> DockerAPIError {
        DockerAPIError(code: 400, "rpc error: code = InvalidArgument desc = \(text)")
    }

    /// 500 `update out of sequence`: the version sent is not the object's current one.
    static let outOfSequence = DockerAPIError(code: 500, "rpc error: code = Unknown desc = update out of sequence")

    /// 409 for a name already taken.
    static func nameConflict(_ kind: String, _ name: String) -> DockerAPIError {
        DockerAPIError(
            code: 409, "rpc error: code = AlreadyExists desc = name conflicts with an existing object: \(kind) \(name) already exists")
    }

    /// 400 for an undecodable body.
    static func badBody(_ what: String) -> DockerAPIError {
        DockerAPIError(code: 400, "invalid JSON: \(what)")
    }
}

/// JSON encoding for answers: the shared Swarm models, Docker's timestamp format, cached bytes.
enum DockerJSON {
    /// Encodes `value` (the Swarm models omit absent fields).
    static func encode<T: Encodable>(_ value: T) -> [UInt8] { SimulatorJSON.encode(value) }

    /// A 200 (or `status`) answer with a JSON body.
    static func response(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        SimulatorJSON.response(bytes, status: status)
    }

    /// A JSON answer for an encodable value.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        response(encode(value), status: status)
    }

    /// Docker's error body `{"message": ...}` with `status`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        response(encode(["message": message]), status: status)
    }

    /// A JSON array from already-encoded elements.
    static func array(_ elements: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(elements.reduce(2) { $0 + $1.count + 1 })
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: element)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// Docker's RFC 3339 timestamp with fractional seconds, in UTC.
    static func timestamp(_ date: Date) -> String {
        date.formatted(timestampStyle)
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}
