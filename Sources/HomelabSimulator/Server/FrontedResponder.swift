import Hummingbird

/// A responder with middleware that runs before routing (Hummingbird's router middleware runs per matched
/// route, too late to rewrite `/v1.47/...` paths or to fault a request to an unknown path).
struct FrontedResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == SimulatorRequestContext {
    typealias Context = SimulatorRequestContext

    /// Outermost first.
    let middleware: [any RouterMiddleware<SimulatorRequestContext>]
    let inner: Inner

    func respond(to request: Request, context: SimulatorRequestContext) async throws -> Response {
        try await respond(from: 0, request, context)
    }

    private func respond(from index: Int, _ request: Request, _ context: SimulatorRequestContext) async throws -> Response {
        guard index < middleware.count else { return try await inner.respond(to: request, context: context) }
        return try await middleware[index].handle(request, context: context) { request, context in
            try await respond(from: index + 1, request, context)
        }
    }
}
