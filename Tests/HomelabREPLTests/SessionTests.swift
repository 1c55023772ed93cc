import ArgumentParser
import Foundation
import HomelabCommands
import HomelabCore
import Testing

/// The long-lived context the REPL lends to every command.
@Suite("HomelabSession lent to commands")
struct SessionTests {
    @Test("Inside lend, HomelabContext.with hands out the session's connections and leaves them open")
    func lendsOneContext() async throws {
        let harness = try await REPLHarness.start()
        defer { Task { await harness.stop() } }
        let options = try ConfigOptions.parse(["--config", harness.config])
        let session = try HomelabSession.open(options, environment: [:])
        let lentOptions = try ConfigOptions.parse([])
        let (first, second, nodes) = try await session.lend {
            let first = try await HomelabContext.with(lentOptions) { $0.connections }
            let second = try await HomelabContext.withConnections(lentOptions) { $0 }
            let nodes = try await HomelabContext.with(lentOptions) { try await $0.swarm.nodes.list().count }
            return (first, second, nodes)
        }
        #expect(first === session.connections)
        #expect(second === session.connections)
        #expect(nodes == 5)
        #expect(await session.connections.closed == false, "a lent context is not closed by the command")
        // A command naming its own inventory opens and closes its own.
        let own = try await session.lend { try await HomelabContext.with(options) { $0.connections } }
        #expect(own !== session.connections)
        #expect(await own.closed)
        await session.close()
        #expect(await session.connections.closed)
    }
}
