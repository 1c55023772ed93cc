import Foundation
import HomelabCore
import Hummingbird

/// pveproxy's authentication, before routing: `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET` (prefix
/// followed by `=` or a space, split at the last `=`), or the `PVEAuthCookie` ticket with `CSRFPreventionToken` on
/// every request that is not a GET. `POST /access/ticket` and `GET /access/domains` need neither. Route errors
/// become PVE's error answers here.
struct ProxmoxAuthMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let cluster: ProxmoxCluster

    func handle(
        _ request: Request, context: SimulatorRequestContext, next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            let path = request.uri.path
            let open = path.hasSuffix("/access/ticket") || path.hasSuffix("/access/domains")
            if !open { _ = try await authenticate(request) }
            let response = try await next(request, context)
            if response.status == .notFound, response.headers[.contentType] != "application/json" {
                return ProxmoxJSON.error(.notImplemented, "Method '\(request.method) \(path)' not implemented")
            }
            return response
        } catch let error as ProxmoxAPIError {
            return ProxmoxJSON.error(error.status, error.message, errors: error.errors)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return ProxmoxJSON.error(.notImplemented, "Method '\(request.method) \(request.uri.path)' not implemented")
        }
    }

    /// The authenticated user.
    /// - Throws: ``ProxmoxAPIError`` 401 for a missing or wrong credential or a missing CSRF token.
    private func authenticate(_ request: Request) async throws -> String {
        if let header = request.headers[.authorization], header.hasPrefix("PVEAPIToken") {
            let rest = header.dropFirst("PVEAPIToken".count)
            guard let first = rest.first, first == "=" || first == " " else { throw ProxmoxAPIError.unauthorized("invalid token") }
            let value = String(rest.dropFirst()).removingPercentEncoding ?? String(rest.dropFirst())
            guard let split = value.lastIndex(of: "=") else { throw ProxmoxAPIError.unauthorized("invalid token") }
            let tokenID = String(value[..<split])
            let secret = String(value[value.index(after: split)...])
            guard tokenID == cluster.tokenID, secret == cluster.tokenSecret else { throw ProxmoxAPIError.unauthorized() }
            return tokenID
        }
        let cookies = (request.headers[.cookie] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let cookie = cookies.first(where: { $0.hasPrefix("PVEAuthCookie=") }) else {
            throw ProxmoxAPIError.unauthorized("No ticket")
        }
        let encoded = String(cookie.dropFirst("PVEAuthCookie=".count))
        let ticket = encoded.removingPercentEncoding ?? encoded
        guard await cluster.isValid(ticket: ticket) else { throw ProxmoxAPIError.unauthorized("invalid PVE ticket") }
        if request.method != .get && request.method != .head {
            let csrf = request.headers.first { $0.name.canonicalName == "csrfpreventiontoken" }?.value
            guard csrf == cluster.csrfToken(for: ticket) else {
                throw ProxmoxAPIError.unauthorized("permission denied - invalid csrf token")
            }
        }
        return Self.user(of: request)
    }

    /// The user a request authenticated as (the token ID, or the ticket's user), for task UPIDs; `root@pam` when
    /// it names none (the middleware has refused such requests before any route runs).
    static func user(of request: Request) -> String {
        if let header = request.headers[.authorization], header.hasPrefix("PVEAPIToken") {
            let value = String(header.dropFirst("PVEAPIToken".count + 1))
            let decoded = value.removingPercentEncoding ?? value
            return decoded.lastIndex(of: "=").map { String(decoded[..<$0]) } ?? "root@pam"
        }
        let cookies = (request.headers[.cookie] ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let cookie = cookies.first(where: { $0.hasPrefix("PVEAuthCookie=") }) else { return "root@pam" }
        let encoded = String(cookie.dropFirst("PVEAuthCookie=".count))
        let ticket = encoded.removingPercentEncoding ?? encoded
        return ticket.split(separator: ":").dropFirst().first.map(String.init) ?? "root@pam"
    }
}
