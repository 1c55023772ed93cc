import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// TLS options mean the same for both transports: the same certificate situations are accepted or refused alike by
/// the curl transport (libcurl + OpenSSL, against a loopback HTTPS server) and the WebSocket transport (NIOSSL with
/// our swift-certificates check, against the `websockets` server), and as the table says.
@Suite("Certificates: curl and WebSocket agree")
struct CertificateAgreementTests {
    enum ServerCertificate: CaseIterable {
        /// Signed by the test CA, naming 127.0.0.1.
        case good
        /// Signed by the test CA, naming only other.example.
        case wrongName
        /// Self-signed, naming truenas.local (an appliance's default certificate).
        case selfSigned
    }

    struct Situation: Sendable {
        let name: String
        let certificate: ServerCertificate
        let accepted: Bool
        let options: @Sendable (CertificateSituations) -> TLSOptions
    }

    static let wrongPin = "sha256//" + String(repeating: "B", count: 43) + "="

    static let situations: [Situation] = [
        Situation(name: "right CA", certificate: .good, accepted: true) { TLSOptions(trust: .caFile($0.pki.caCert)) },
        Situation(name: "right CA as inline PEM", certificate: .good, accepted: true) {
            TLSOptions(trust: .caPEM((try? String(contentsOfFile: $0.pki.caCert, encoding: .utf8)) ?? ""))
        },
        Situation(name: "wrong CA", certificate: .good, accepted: false) { TLSOptions(trust: .caFile($0.otherCA)) },
        Situation(name: "system trust, unknown CA", certificate: .good, accepted: false) { _ in TLSOptions() },
        Situation(name: "right CA and matching pin", certificate: .good, accepted: true) {
            TLSOptions(trust: .caFile($0.pki.caCert), pinnedPublicKeys: [$0.pki.serverPin])
        },
        Situation(name: "right CA and mismatching pin", certificate: .good, accepted: false) {
            TLSOptions(trust: .caFile($0.pki.caCert), pinnedPublicKeys: [wrongPin])
        },
        Situation(name: "wrong CA and matching pin", certificate: .good, accepted: false) {
            TLSOptions(trust: .caFile($0.otherCA), pinnedPublicKeys: [$0.pki.serverPin])
        },
        Situation(name: "pin only, self-signed, matching", certificate: .selfSigned, accepted: true) {
            TLSOptions(trust: .pinnedKeyOnly, pinnedPublicKeys: [wrongPin, $0.selfSignedPin])
        },
        Situation(name: "pin only, self-signed, mismatching", certificate: .selfSigned, accepted: false) {
            TLSOptions(trust: .pinnedKeyOnly, pinnedPublicKeys: [$0.pki.serverPin])
        },
        Situation(name: "self-signed with the system trust", certificate: .selfSigned, accepted: false) { _ in TLSOptions() },
        Situation(name: "hostname mismatch", certificate: .wrongName, accepted: false) { TLSOptions(trust: .caFile($0.pki.caCert)) },
        Situation(name: "hostname mismatch, hostname check off", certificate: .wrongName, accepted: true) {
            TLSOptions(trust: .caFile($0.pki.caCert), verifyHostname: false)
        },
        Situation(name: "insecure, self-signed", certificate: .selfSigned, accepted: true) { _ in TLSOptions(trust: .insecure) },
        Situation(name: "insecure with a mismatching pin", certificate: .selfSigned, accepted: false) { _ in
            TLSOptions(trust: .insecure, pinnedPublicKeys: [wrongPin])
        },
    ]

    @Test("every certificate situation is accepted or refused alike by curl and the WebSocket transport")
    func agreement() async throws {
        guard try WebSocketTestServer.require() else { return }
        let certificates = try await CertificateSituations.make()
        let transport = try CurlTransport(configuration: .init(connectTimeout: .seconds(5), totalTimeout: .seconds(20)))
        for certificate in ServerCertificate.allCases {
            let (cert, key) = files(certificate, certificates)
            try await TestHTTPServer.with(["--cert", cert, "--key", key]) { https in
                try await WebSocketTestServer.with(cert: cert, key: key) { wss in
                    for situation in Self.situations where situation.certificate == certificate {
                        let options = situation.options(certificates)
                        let curl = await outcome {
                            _ = try await transport.execute(
                                HTTPRequest(path: "/json?size=8"), on: .url(https.url(tls: true), tls: options))
                        }
                        let webSocket = await outcome {
                            let connection = try await WebSocketConnection.connect(
                                to: wss.endpoint(options), path: "/echo", component: "agreement")
                            try await connection.send("hello")
                            var iterator = connection.messages.makeAsyncIterator()
                            _ = try await iterator.next()
                            await connection.close()
                        }
                        #expect(curl.accepted == situation.accepted, "curl, \(situation.name): \(curl.detail)")
                        #expect(webSocket.accepted == situation.accepted, "WebSocket, \(situation.name): \(webSocket.detail)")
                        if !situation.accepted {
                            #expect(curl.code == .tlsFailure, "curl, \(situation.name): \(curl.detail)")
                            #expect(webSocket.code == .tlsFailure, "WebSocket, \(situation.name): \(webSocket.detail)")
                        }
                    }
                }
            }
        }
    }

    private func files(_ certificate: ServerCertificate, _ situations: CertificateSituations) -> (String, String) {
        switch certificate {
        case .good: return (situations.pki.serverCert, situations.pki.serverKey)
        case .wrongName: return (situations.wrongNameCert, situations.wrongNameKey)
        case .selfSigned: return (situations.selfSignedCert, situations.selfSignedKey)
        }
    }

    private func outcome(_ body: () async throws -> Void) async -> (accepted: Bool, code: HomelabError.Code?, detail: String) {
        do {
            try await body()
            return (true, nil, "accepted")
        } catch let error as HomelabError {
            return (false, error.code, "\(error)")
        } catch {
            return (false, nil, "\(error)")
        }
    }
}
