import Foundation
import HomelabCore
import Hummingbird

/// An error answer of the simulated Forgejo: `{"message": ..., "url": ...}` (`APIError`); 404 adds `errors: []`.
struct ForgejoAPIError: SimulatedAPIError, HTTPResponseError {
    let code: Int
    let message: String

    var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    static func notFound(_ message: String = "The target couldn't be found.") -> ForgejoAPIError { ForgejoAPIError(code: 404, message: message) }
    static func unauthorized(_ message: String = "token is required") -> ForgejoAPIError { ForgejoAPIError(code: 401, message: message) }
    static func forbidden(_ message: String) -> ForgejoAPIError { ForgejoAPIError(code: 403, message: message) }
    static func conflict(_ message: String) -> ForgejoAPIError { ForgejoAPIError(code: 409, message: message) }
    static func unprocessable(_ message: String) -> ForgejoAPIError { ForgejoAPIError(code: 422, message: message) }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        ForgejoJSON.error(status, message)
    }
}

/// The JSON the simulated Forgejo writes.
enum ForgejoJSON {
    /// Where Forgejo's error answers point (its API docs).
    static let docsURL = "https://git.home.arpa/api/swagger"

    /// An answer with a JSON body.
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json;charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: SimulatorJSON.encode(value))))
    }

    /// `{"message", "url"}`, with `errors: []` on 404.
    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        var body: [String: JSONValue] = ["message": .string(message), "url": .string(docsURL)]
        if status.code == 404 { body["errors"] = .array([]) }
        return response(.object(body), status: status)
    }

    /// A time as Forgejo writes it.
    static func time(_ date: Date) -> JSONValue { .string(Forgejo.timestamp(date)) }
}
