import Foundation
import HomelabCore
import Hummingbird
import Logging
import NIOSSL

/// The listeners of a starting simulation, one component at a time: its loopback port (over TLS when asked),
/// its unix socket, its WebSocket routes, fault injection rendered in its own error shape.
struct Serving {
    /// Every listener started so far (stopped together).
    var listeners: [Listener] = []
    /// Unix sockets to remove at shutdown.
    var sockets: [String] = []
    /// Where each component listens.
    var listening: [ComponentKind: ComponentListening] = [:]
    /// How the written inventory reaches each component.
    var inventoryEndpoints: [ComponentKind: ComponentEndpoint] = [:]
    /// The run's CA and server certificate, made for the first component that serves TLS.
    var certificates: SimulationCertificates?

    /// Starts `component`'s listeners.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when a port or socket cannot be bound,
    ///   ``HomelabError/Code/internalFailure`` when the TLS material cannot be made.
    mutating func serve(
        _ component: any SimulatedComponent, options: SimulationOptions, faults: FaultBoard, directory: String, logger: Logger
    ) async throws {
        let kind = component.kind
        let wanted = (options.listeners[kind] ?? ListenerOptions()).over(component.defaultListener(in: directory))
        var tls: TLSConfiguration?
        if wanted.tls {
            let made = try certificates ?? SimulationCertificates.make(in: directory)
            certificates = made
            tls = made.serverConfiguration
        }
        let router = Router(context: SimulatorRequestContext.self)
        component.addRoutes(to: router)
        let fault = FaultMiddleware(component: kind, board: faults) { status, message in
            component.errorResponse(status: status, message: message)
        }
        let responder = FrontedResponder(middleware: [fault] + component.frontMiddleware, inner: router.buildResponder())
        let index = ComponentKind.allCases.firstIndex(of: kind) ?? 0
        let port = options.portBase == 0 ? 0 : options.portBase + 1 + index
        let listener = try await Listener.start(
            responder, at: .loopback(port: port), name: "\(kind)", logger: logger, tls: tls, webSocketRoutes: component.webSocketRoutes,
            webSocketGate: fault)
        listeners.append(listener)
        if let socket = wanted.socketPath {
            listeners.append(
                try await Listener.start(
                    responder, at: .unixSocket(path: socket), name: "\(kind)", logger: logger, webSocketRoutes: component.webSocketRoutes,
                    webSocketGate: fault))
            sockets.append(socket)
        }
        let address = ComponentListening(
            url: "\(tls == nil ? "http" : "https")://127.0.0.1:\(listener.port ?? port)", socketPath: wanted.socketPath,
            caFile: tls == nil ? nil : certificates?.caFile)
        listening[kind] = address
        inventoryEndpoints[kind] = component.inventoryEndpoint(address)
    }
}
