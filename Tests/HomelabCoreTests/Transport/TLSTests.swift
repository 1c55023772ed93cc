import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// TLS trust, pinning, mutual TLS and explicit insecurity against a real TLS server with a CA made by the test.
@Suite("HTTP transport: TLS")
struct TLSTests {
    func get(_ url: String, _ tls: TLSOptions, logger: LogCapture? = nil) async throws -> HTTPResponse {
        let client = HTTPClient(
            transport: TransportTests.transport, endpoint: .url(url, tls: tls), component: "tls-test",
            middleware: [LoggingMiddleware()])
        return try await client.send(HTTPRequest(path: "/json?size=64"), logger: logger?.logger())
    }

    func withTLSServer(clientCA: Bool = false, _ body: (TestHTTPServer, TestPKI) async throws -> Void) async throws {
        let pki = try await TestPKI.shared()
        var args = ["--cert", pki.serverCert, "--key", pki.serverKey]
        if clientCA { args += ["--client-ca", pki.caCert] }
        try await TestHTTPServer.with(args) { try await body($0, pki) }
    }

    @Test("the system trust store rejects a certificate from an unknown CA")
    func systemTrustRejects() async throws {
        try await withTLSServer { server, _ in
            let error = await #expect(throws: HomelabError.self) { try await get(server.url(tls: true), TLSOptions()) }
            #expect(error?.code == .tlsFailure)
        }
    }

    @Test("a CA file makes the server trusted")
    func caFile() async throws {
        try await withTLSServer { server, pki in
            let status = try await get(server.url(tls: true), TLSOptions(trust: .caFile(pki.caCert))).status
            #expect(status == 200)
        }
    }

    @Test("an inline CA PEM makes the server trusted")
    func caPEM() async throws {
        try await withTLSServer { server, pki in
            let pem = try String(contentsOfFile: pki.caCert, encoding: .utf8)
            let status = try await get(server.url(tls: true), TLSOptions(trust: .caPEM(pem))).status
            #expect(status == 200)
        }
    }

    @Test("a matching public-key pin is accepted without the CA")
    func pinOnly() async throws {
        try await withTLSServer { server, pki in
            let tls = TLSOptions(trust: .pinnedKeyOnly, pinnedPublicKeys: [pki.serverPin])
            let status = try await get(server.url(tls: true), tls).status
            #expect(status == 200)
        }
    }

    @Test("a wrong pin is rejected even when the CA is trusted")
    func wrongPin() async throws {
        try await withTLSServer { server, pki in
            let wrong = "sha256//" + String(repeating: "A", count: 43) + "="
            for tls in [
                TLSOptions(trust: .pinnedKeyOnly, pinnedPublicKeys: [wrong]),
                TLSOptions(trust: .caFile(pki.caCert), pinnedPublicKeys: [wrong]),
            ] {
                let error = await #expect(throws: HomelabError.self) { try await get(server.url(tls: true), tls) }
                #expect(error?.code == .tlsFailure)
            }
        }
    }

    @Test("pin-only trust without a pin, or a malformed pin, is a configuration error")
    func pinValidation() async throws {
        for tls in [TLSOptions(trust: .pinnedKeyOnly), TLSOptions(pinnedPublicKeys: ["sha256//short"])] {
            let error = await #expect(throws: HomelabError.self) { try await get("https://127.0.0.1:1", tls) }
            #expect(error?.code == .invalidConfiguration)
        }
    }

    @Test("mutual TLS: the server refuses a client without a certificate and accepts one with it")
    func mutualTLS() async throws {
        try await withTLSServer(clientCA: true) { server, pki in
            await #expect(throws: HomelabError.self) {
                try await get(server.url(tls: true), TLSOptions(trust: .caFile(pki.caCert)))
            }
            let tls = TLSOptions(
                trust: .caFile(pki.caCert),
                clientCertificate: .init(certificateFile: pki.clientCert, keyFile: pki.clientKey))
            let status = try await get(server.url(tls: true), tls).status
            #expect(status == 200)
        }
    }

    @Test("insecure works only when chosen, and warns once per endpoint")
    func insecureWarnsOnce() async throws {
        try await withTLSServer { server, _ in
            let capture = LogCapture()
            let tls = TLSOptions(trust: .insecure)
            for _ in 0..<3 {
                let status = try await get(server.url(tls: true), tls, logger: capture).status
                #expect(status == 200)
            }
            let warnings = capture.all.filter { $0.hasPrefix("warning") && $0.contains("TLS verification is disabled") }
            #expect(warnings.count == 1)
        }
    }
}
