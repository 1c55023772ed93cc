import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// The homelab opened once and lent to every command that runs inside ``lend(_:)``: the REPL's long-lived
/// context. The inventory is read when the session is made; the transport is shared; each component's client
/// (and its SSH tunnel) is opened on first use by the session's ``HomelabConnections`` and kept until ``close()``.
///
/// While a session is lent, ``HomelabContext/with(_:environment:_:)`` and
/// ``HomelabContext/withConnections(_:environment:_:)`` hand out the session's context instead of opening and
/// closing their own, unless the command line names its own `--config` or `--context`.
public struct HomelabSession: Sendable {
    /// The session lent to the commands running in this task, if any.
    @TaskLocal public static var current: HomelabSession?

    /// Every component's client, opened on first use and shared by every command of the session.
    public let connections: HomelabConnections
    /// The transport every client shares (one libcurl driver thread for the whole session).
    public let transport: CurlTransport
    /// Where requests log, with `--verbose`.
    public let logger: Logger?

    /// Reads the inventory `options` name and prepares its connections; nothing is opened yet.
    /// - Throws: the inventory's located errors; a transport that cannot start.
    public static func open(_ options: ConfigOptions, environment: [String: String]) throws -> HomelabSession {
        let transport = try CurlTransport()
        do {
            let connections = try HomelabContext.connect(options, environment: environment, transport: transport)
            return HomelabSession(connections: connections, transport: transport, logger: connections.logger)
        } catch {
            transport.shutdown()
            throw error
        }
    }

    /// The inventory.
    public var homelab: Homelab { connections.homelab }

    /// A context over the session's connections, the swarm's client opened on first use and kept.
    /// - Throws: as ``HomelabConnections/swarm()`` (no docker entry, the tunnel's errors).
    public func context() async throws -> HomelabContext {
        HomelabContext(
            homelab: connections.homelab, transport: transport, swarm: try await connections.swarm(), logger: logger,
            connections: connections)
    }

    /// Runs `body` with this session lent to every command it runs.
    public func lend<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        try await Self.$current.withValue(self, operation: body)
    }

    /// The session to use for a command with `options`: the lent one, unless the command names its own
    /// inventory with `--config` or `--context`.
    static func lent(to options: ConfigOptions) -> HomelabSession? {
        options.config == nil && options.context == nil ? current : nil
    }

    /// Closes every tunnel and stops the transport; later calls do nothing.
    public func close() async {
        await connections.close()
        transport.shutdown()
    }
}
