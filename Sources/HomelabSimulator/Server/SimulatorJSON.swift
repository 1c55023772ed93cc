import Foundation
import Hummingbird

/// An error a route throws: a status and a message, rendered in the JSON shape of whoever answers (each
/// component through ``SimulatedComponent/errorResponse(status:message:)``, the admin API as
/// `{"message": ...}`).
protocol SimulatedAPIError: Error, Sendable {
    /// The HTTP status.
    var status: HTTPResponse.Status { get }
    /// What went wrong, in the words of the API being simulated.
    var message: String { get }
}

/// An error of the simulator's own API (the admin port, the shared world), in no component's words.
struct SimulatorError: SimulatedAPIError, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    /// 400.
    static func badRequest(_ message: String) -> SimulatorError { SimulatorError(status: .badRequest, message: message) }
    /// 404.
    static func notFound(_ message: String) -> SimulatorError { SimulatorError(status: .notFound, message: message) }
    /// 503.
    static func unavailable(_ message: String) -> SimulatorError { SimulatorError(status: .serviceUnavailable, message: message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        SimulatorJSON.error(status, message)
    }
}

/// JSON answers of the simulator's own API; components build theirs on ``encode(_:)`` and ``response(_:status:)``.
enum SimulatorJSON {
    /// Encodes `value` with sorted keys and unescaped slashes.
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        // Answers are plain Codable structs of strings, numbers and arrays: encoding cannot fail.
        return (try? [UInt8](encoder.encode(value))) ?? Array("null".utf8)
    }

    /// A 200 (or `status`) answer with a JSON body.
    static func response(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A JSON answer for an encodable value.
    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        response(encode(value), status: status)
    }

    /// The admin API's error body, `{"message": ...}`.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        response(encode(["message": message]), status: status)
    }

    /// The JSON body of `request` decoded as `type`.
    /// - Throws: ``SimulatorError`` 400 for an empty or malformed body.
    static func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw SimulatorError.badRequest("malformed JSON body: \(error)")
        }
    }
}
