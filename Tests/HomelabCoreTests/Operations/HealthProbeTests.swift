import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Health URLs after convergence")
struct HealthProbeTests {
    @Test("2xx is healthy; an error status or nothing listening is not, after the given tries")
    func answers() async throws {
        try await TestHTTPServer.with { server in
            let probe = HealthProbe(transport: TransportTests.transport, attempts: 2, interval: .milliseconds(10))
            #expect(await probe.check(server.url() + "/status/204"))
            #expect(await probe.check(server.url() + "/echo?ready=1"))
            #expect(!(await probe.check(server.url() + "/status/503")))
            // The first hit answers 503, the second 200: a service that needs a moment passes.
            #expect(await probe.check(server.url() + "/flaky?key=health&fail=1&code=503"))
        }
        let closed = HealthProbe(transport: TransportTests.transport, attempts: 1, requestTimeoutSeconds: 2)
        #expect(!(await closed.check("http://127.0.0.1:1/health")))
        #expect(!(await closed.check("ftp://127.0.0.1/health")))
    }

    @Test("a URL splits into its origin and its path with the query", arguments: [
        ("http://grafana:3000/api/health", "http://grafana:3000", "/api/health"),
        ("https://caddy:2019", "https://caddy:2019", "/"),
        ("http://127.0.0.1:8080/ready?full=1", "http://127.0.0.1:8080", "/ready?full=1"),
    ])
    func split(url: String, base: String, path: String) throws {
        let parts = try #require(HealthProbe.split(url))
        #expect(parts.base == base && parts.path == path)
    }
}
