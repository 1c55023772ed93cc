import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// Komodo's own Python client (komodo-api 2.3.3 on PyPI, pydantic models generated from Komodo's types) against the
/// simulated Core: its models validate every answer, so a field the simulator forgets or mistypes fails here.
@Suite("Komodo peer: komodo-api against the simulated Core")
struct KomodoPeerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("komodo_peer.py").path
    static let available: Bool = {
        (try? ChildProcess.runBlocking("/usr/bin/env", ["python3", "-c", "import komodo_api"]).status) == 0
    }()

    @Test("reads, the sync, deploys (one failing) and update polling validate against the client's models")
    func peer() async throws {
        guard try RealServer.require("python3 with komodo-api 2.3.3", available: Self.available, hint: "scripts/install-deps.sh test")
        else { return }
        try await withKomodo { komodo in
            let endpoint = try #require(komodo.sim.simulation.homelab.components[.komodo]?.endpoint)
            guard case .url(let url) = endpoint.address else {
                Issue.record("the simulated Komodo has no URL")
                return
            }
            var environment = ProcessInfo.processInfo.environment
            environment["KOMODO_API_KEY"] = komodo.core.apiKey
            environment["KOMODO_API_SECRET"] = komodo.core.apiSecret
            environment["SSL_CERT_FILE"] = komodo.sim.simulation.endpoints.caFile
            let (status, output) = try await ChildProcess.run(
                "/usr/bin/env", ["python3", Self.script, url], environment: environment, timeout: .seconds(120))
            #expect(status == 0, "\(output)")
            for call in ["GetVersion v2.3.2", "ListServers 2 on page 0", "ListStacks", "GetResourceSync 2 pending", "ListUpdates 100 next 1",
                         "DeployStack Complete success=True", "DeployStack(failing) success=False", "RunSync True"] {
                #expect(output.contains("ok " + call), "missing 'ok \(call)': \(output)")
            }
        }
    }
}
