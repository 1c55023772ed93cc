import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("TrueNAS: SCRAM-SHA-512, version choice, REST mapping, lenient models", .cpuBound)
struct TrueNASUnitTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test("PBKDF2-HMAC-SHA512 matches the published vectors")
    func pbkdf2() {
        #expect(
            Self.hex(SCRAMSHA512.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 1))
                == "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce")
        #expect(
            Self.hex(SCRAMSHA512.pbkdf2(password: Array("pass".utf8), salt: Array("NaCl-salt".utf8), iterations: 4096))
                == "970d3546804d1daefe8ee29dcdeac67007acc60e60baf0d668af99e195f6bd03b332d74b226450121197a36795de16076f441390a1723c70deb8b29a6de44a8c")
        // BoringSSL's derivation and the Swift fallback agree at TrueNAS's own minimum count.
        let password = Array("1-abcdefghijklmnop".utf8), salt = Array("0123456789abcdef".utf8)
        #expect(
            SCRAMSHA512.pbkdf2(password: password, salt: salt, iterations: SCRAMSHA512.minimumIterations)
                == SCRAMSHA512.pbkdf2InSwift(password: password, salt: salt, iterations: SCRAMSHA512.minimumIterations))
    }

    /// A server side of the exchange built from the same primitives, as TrueNAS's library computes it.
    struct Server {
        let keys: SCRAMSHA512.Keys
        let salt = Array("0123456789abcdef".utf8)
        var serverFirst = ""
        var bare = ""

        init(key: String) {
            keys = SCRAMSHA512.keys(password: Array(key.utf8), salt: salt, iterations: SCRAMSHA512.minimumIterations)
        }

        mutating func first(_ clientFirst: String) -> String {
            let parts = clientFirst.components(separatedBy: ",")
            bare = parts.dropFirst(2).joined(separator: ",")
            let clientNonce = Data(base64Encoded: String(parts[3].dropFirst(2))) ?? Data()
            let nonce = Data(clientNonce + Data(repeating: 7, count: 32)).base64EncodedString()
            serverFirst = "r=\(nonce),s=\(Data(salt).base64EncodedString()),i=\(SCRAMSHA512.minimumIterations)"
            return serverFirst
        }

        func final(_ clientFinal: String) -> String? {
            guard let range = clientFinal.range(of: ",p="), let proof = Data(base64Encoded: String(clientFinal[range.upperBound...])) else {
                return nil
            }
            let message = Array((bare + "," + serverFirst + "," + clientFinal[..<range.lowerBound]).utf8)
            let clientKey = SCRAMSHA512.xor(Array(proof), SCRAMSHA512.hmac(keys.storedKey, message))
            guard SCRAMSHA512.hash(clientKey) == keys.storedKey else { return nil }
            return "v=" + Data(SCRAMSHA512.hmac(keys.serverKey, message)).base64EncodedString()
        }
    }

    @Test("A SCRAM exchange with channel binding: the key id rides on the user name, the proof verifies, so does the server")
    func scramExchange() async throws {
        let binding = Array(repeating: UInt8(0xAB), count: 32)
        var client = SCRAMClientExchange(user: "homelab", keyID: 3, password: Array("secretmaterial".utf8), binding: binding)
        let first = try client.clientFirst()
        #expect(first.hasPrefix("p=tls-server-end-point,,n=homelab:3,r="))
        var server = Server(key: "secretmaterial")
        let final = try await client.clientFinal(serverFirst: server.first(first))
        let channel = try #require(final.split(separator: ",").first)
        #expect(Data(base64Encoded: String(channel.dropFirst(2))) == Data(Array("p=tls-server-end-point,,".utf8) + binding))
        let verdict = try #require(server.final(final))
        try client.verify(serverFinal: verdict)
        #expect(throws: HomelabError.self) { try client.verify(serverFinal: "v=" + Data(repeating: 1, count: 64).base64EncodedString()) }
    }

    @Test("A SCRAM exchange refuses a nonce that does not extend the client's and too few iterations")
    func scramRefusals() async throws {
        var client = SCRAMClientExchange(user: "homelab", keyID: 1, password: Array("k".utf8), binding: nil)
        let first = try client.clientFirst()
        #expect(first.hasPrefix("n,,n=homelab:1,r="))
        let foreign = Data(repeating: 9, count: 64).base64EncodedString()
        await #expect(throws: HomelabError.self) { _ = try await client.clientFinal(serverFirst: "r=\(foreign),s=c2FsdA==,i=50000") }
        let nonce = Data(client.clientNonce + Array(repeating: 1, count: 32)).base64EncodedString()
        await #expect(throws: HomelabError.self) { _ = try await client.clientFinal(serverFirst: "r=\(nonce),s=c2FsdA==,i=4096") }
        var comma = SCRAMClientExchange(user: "a,b", keyID: 1, password: [], binding: nil)
        #expect(throws: HomelabError.self) { _ = try comma.clientFirst() }
    }

    @Test("The API version: the highest both know; snapshot namespace and SCRAM follow it")
    func versions() throws {
        #expect(TrueNASAPIVersion.choose(from: ["v25.04.0", "v25.04.2", "v25.10.0", "v25.10.2"])?.description == "v25.10.2")
        #expect(TrueNASAPIVersion.choose(from: ["v25.04.2", "v25.10.2", "v26.0.0", "v27.0.0"])?.description == "v26.0.0")
        #expect(TrueNASAPIVersion.choose(from: ["v24.10.0", "v99.0.0"]) == nil)
        let v2504 = try #require(TrueNASAPIVersion("v25.04.2"))
        let v2510 = try #require(TrueNASAPIVersion("v25.10.2"))
        let v26 = try #require(TrueNASAPIVersion("v26.0.0"))
        #expect(v2504.snapshotNamespace == "zfs.snapshot" && v2510.snapshotNamespace == "pool.snapshot")
        #expect(TrueNASAPIVersion.rest.snapshotNamespace == "zfs.snapshot")
        #expect(!v2510.hasSCRAM && v26.hasSCRAM)
    }

    @Test("REST v2.0 query parameters from query-filters and query-options")
    func restQuery() throws {
        let query = TrueNASQuery(
            filters: [.init("pool", "=", .string("tank")), .init("used", ">", .integer(5))], orderBy: ["-name"], offset: 10, limit: 5)
        let (parameters, single) = try TrueNASREST.queryParameters(query.params())
        #expect(parameters.map { "\($0.0)=\($0.1)" } == ["pool=tank", "used__gt=5", "limit=5", "offset=10", "sort=-name"])
        #expect(!single)
        #expect(throws: HomelabError.self) {
            _ = try TrueNASREST.queryParameters([.array([.array([.string("OR"), .array([])])]), .object([:])])
        }
    }

    @Test("Models decode leniently: unknown keys ignored, unknown values kept")
    func lenient() throws {
        let app: JSONValue = .object([
            "name": .string("immich"), "state": .string("MIGRATING"), "brand_new_field": .object(["x": .integer(1)]),
        ])
        let decoded = try TrueNASJSON.decode(TrueNAS.App.self, from: app, what: "app.query")
        #expect(decoded.state == .unknown("MIGRATING") && decoded.state.rawValue == "MIGRATING")
        let alert = try TrueNASJSON.decode(
            TrueNAS.Alert.self,
            from: .object(["uuid": .string("u"), "level": .string("NOTICE"), "datetime": .object(["$date": .integer(1_700_000_000_000)])]),
            what: "alert.list")
        #expect(alert.level == .notice && alert.level < .warning)
        #expect(alert.raisedAt == Date(timeIntervalSince1970: 1_700_000_000))
        let job = try TrueNASJSON.decode(
            TrueNAS.Job.self,
            from: .object([
                "id": .integer(4), "state": .string("FAILED"), "error": .string("[EFAULT] boom"),
                "exception": .string("Traceback (most recent call last):\n  File \"x\"\nCallError: [EFAULT] boom\n"),
            ]),
            what: "core.get_jobs")
        #expect(job.tracebackSummary == "CallError: [EFAULT] boom")
        #expect(throws: HomelabError.self) { _ = try TrueNASJSON.decode(TrueNAS.Pool.self, from: .string("x"), what: "pool.query") }
    }
}
