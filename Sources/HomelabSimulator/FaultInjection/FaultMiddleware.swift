import Foundation
import HomelabCore
import Hummingbird
import HummingbirdWebSocket

/// Injects the faults of a component's ``FaultPlan`` into every request to it, before the routes see it.
/// Error answers come in the component's own JSON shape (``SimulatedComponent/errorResponse(status:message:)``).
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SimulatorRequestContext

    let component: ComponentKind
    let board: FaultBoard
    /// Renders an error answer as the faulted component would.
    let render: @Sendable (HTTPResponse.Status, String) -> Response

    /// Decides a WebSocket upgrade request: after the plan's latency, upgraded when the plan answers; any other
    /// fault refuses the upgrade (a reset also drops the connection). HummingbirdWebSocket answers a refused
    /// upgrade itself (400, no body), so the component's error shape cannot be rendered there.
    func shouldUpgrade(_ request: Request, _ context: SimulatorWebSocketContext) async throws -> RouterShouldUpgrade {
        let (latency, decision) = board.decide(for: component)
        if latency > .zero { try await Task.sleep(for: latency) }
        switch decision {
        case .answer:
            return .upgrade([:])
        case .reset, .hang:
            context.dropConnection()
            return .dontUpgrade
        case .error, .reject:
            return .dontUpgrade
        }
    }

    func handle(
        _ request: Request, context: SimulatorRequestContext,
        next: (Request, SimulatorRequestContext) async throws -> Response
    ) async throws -> Response {
        let (latency, decision) = board.decide(for: component)
        if latency > .zero { try await Task.sleep(for: latency) }
        switch decision {
        case .answer:
            return try await next(request, context)
        case .error(let status):
            let reason = status == 502 ? "bad gateway" : status == 503 ? "service unavailable" : "internal server error"
            return render(HTTPResponse.Status(code: status), "simulated fault: \(reason)")
        case .reject:
            return render(.unauthorized, "simulated fault: the credentials were rejected")
        case .reset:
            context.dropConnection()
            throw CancellationError()
        case .hang:
            // Never answer: wait until the client goes away or the simulation stops (which cancels us).
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(3600))
            }
            throw CancellationError()
        }
    }
}
