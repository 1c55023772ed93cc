import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// A canary token must never appear in a log line or an error text, whatever path it takes.
@Suite("HTTP transport: secrets stay secret")
struct SecretCanaryTests {
    @Test("a bearer token echoed back by the server shows up nowhere")
    func canaryNeverLeaks() async throws {
        let canary = "canary-\(UUID().uuidString)"
        let token = Secret(canary)
        let capture = LogCapture()
        try await TestHTTPServer.with { server in
            let client = HTTPClient(
                transport: TransportTests.transport, endpoint: .url(server.url()), component: "authentik",
                middleware: [HeaderAuthMiddleware.bearer(token), RetryMiddleware(), LoggingMiddleware()])
            let logger = capture.logger()
            // 1. The server repeats the Authorization header in its error message.
            let error = await #expect(throws: HomelabError.self) {
                try await client.json(TransportTests.Echo.self, HTTPRequest(path: "/echo-secret"), logger: logger)
            }
            // 2. The token is in a query parameter named like a secret.
            _ = try await client.send(HTTPRequest(path: "/echo?token=\(canary)&name=x"), logger: logger)
            // 3. The token is in a header with a credential name set by hand.
            _ = try await client.send(HTTPRequest(path: "/echo", headers: ["X-Api-Key": canary]), logger: logger)

            let texts = [error.map { String(describing: $0) } ?? "", "\(token)", String(reflecting: token)] + capture.all
            #expect(capture.all.count >= 6, "expected request and response log lines")
            for text in texts {
                #expect(!text.contains(canary), "leaked in: \(text)")
            }
            #expect(error?.code == .unauthorized)
            #expect(error?.description.contains("<redacted>") == true)
        }
    }

    @Test("the token still reaches the server")
    func tokenIsSent() async throws {
        try await TestHTTPServer.with { server in
            let client = HTTPClient(
                transport: TransportTests.transport, endpoint: .url(server.url()), component: "t",
                middleware: [HeaderAuthMiddleware(name: "X-Api-Key", secret: Secret("k-123456"))])
            let echo = try await client.json(TransportTests.Echo.self, HTTPRequest(path: "/echo"))
            #expect(echo.headers["X-Api-Key"] == "k-123456")
        }
    }
}
