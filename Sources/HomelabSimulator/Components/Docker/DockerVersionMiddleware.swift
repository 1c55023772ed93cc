import Foundation
import Hummingbird

/// The daemon's `VersionMiddleware`: reads `/v1.47/...` prefixes (and serves the path without it), refuses
/// versions outside the daemon's window with 400, and puts `Api-Version`, `Ostype` and `Server` on every
/// answer. Errors thrown by routes become Docker's `{"message": ...}` answers here, headers included.
struct DockerVersionMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let engineVersion: String

    func handle(
        _ request: Request, context: SimulatorRequestContext,
        next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            var request = request
            var context = context
            if let (version, rest) = Self.splitVersion(request.uri.path) {
                try Self.check(version)
                context.apiVersion = version
                var head = request.head
                head.path = rest + (request.uri.query.map { "?" + $0 } ?? "")
                request = Request(head: head, body: request.body)
            }
            response = try await next(request, context)
            if response.status == .notFound, response.headers[.contentType] != "application/json" {
                response = DockerJSON.error(.notFound, "page not found")
            }
        } catch let error as DockerAPIError {
            response = DockerJSON.error(error.status, error.message)
        } catch let error as HTTPError where error.status == .notFound {
            response = DockerJSON.error(.notFound, "page not found")
        } catch let error as HTTPError where error.status == .methodNotAllowed {
            response = DockerJSON.error(.notFound, "page not found")
        } catch let error as HTTPError {
            response = DockerJSON.error(error.status, error.body ?? "\(error.status.reasonPhrase)")
        }
        response.headers.set("Api-Version", DockerWorld.maxAPIVersion)
        response.headers.set("Ostype", "linux")
        response.headers[.server] = "Docker/\(engineVersion) (linux)"
        return response
    }

    /// `("1.44", "/info")` for `/v1.44/info`; `nil` for an unversioned path.
    static func splitVersion(_ path: String) -> (String, String)? {
        guard path.hasPrefix("/v") else { return nil }
        let afterV = path.dropFirst(2)
        let end = afterV.firstIndex(of: "/") ?? afterV.endIndex
        let version = afterV[..<end]
        guard !version.isEmpty, version.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
        let rest = String(afterV[end...])
        return (String(version), rest.isEmpty ? "/" : rest)
    }

    /// Refuses a version outside the window, with the daemon's words.
    /// - Throws: ``DockerAPIError`` 400.
    static func check(_ version: String) throws {
        if compare(version, DockerWorld.minAPIVersion) < 0 {
            throw DockerAPIError.badRequest(
                "client version \(version) is too old. Minimum supported API version is \(DockerWorld.minAPIVersion), please upgrade your client to a newer version")
        }
        if compare(version, DockerWorld.maxAPIVersion) > 0 {
            throw DockerAPIError.badRequest(
                "client version \(version) is too new. Maximum supported API version is \(DockerWorld.maxAPIVersion)")
        }
    }

    /// Compares dotted versions numerically (`1.9` < `1.41`), as moby's `versions.Compare` does.
    static func compare(_ a: String, _ b: String) -> Int {
        let left = a.split(separator: ".").map { Int($0) ?? 0 }
        let right = b.split(separator: ".").map { Int($0) ?? 0 }
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}
