import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The `websockets` (PyPI) server in websocket_server.py beside this file, on 127.0.0.1, stopped by its pid.
final class WebSocketTestServer: Sendable {
    private let child: ChildProcess
    /// The TCP port, or 0 on a unix socket.
    let port: Int
    let tls: Bool
    /// The unix socket path, if the server listens on one.
    let socketPath: String?

    static let scriptPath: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("websocket_server.py").path

    /// Whether python3 can import `websockets` here (cached for the process).
    static let available: Bool = {
        guard RealServer.executable(["python3"]) != nil,
            let result = try? ChildProcess.runBlocking("python3", ["-c", "import websockets"])
        else { return false }
        return result.status == 0
    }()

    /// True when the server can run; otherwise records an issue under CI and returns false, or cancels the test.
    /// - Throws: the test's cancellation outside CI (a visible skip).
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        try RealServer.require(
            "python3 with the websockets module", available: available,
            hint: "scripts/install-deps.sh test (pip install websockets, or apt-get install python3-websockets)",
            sourceLocation: sourceLocation)
    }

    init(cert: String? = nil, key: String? = nil, clientCA: String? = nil, unixSocket: String? = nil) async throws {
        var arguments = [Self.scriptPath]
        if let unixSocket { arguments += ["--unix", unixSocket] }
        if let cert, let key { arguments += ["--cert", cert, "--key", key] }
        if let clientCA { arguments += ["--client-ca", clientCA] }
        tls = cert != nil
        child = try ChildProcess("python3", arguments, stdin: .pipe, stdout: .pipe, stderr: .inherit)
        guard let line = try await child.readLine(timeout: .seconds(30)), line.hasPrefix("READY ") else {
            child.stop()
            throw ChildProcessError("the WebSocket test server did not start")
        }
        port = Int(line.dropFirst("READY ".count)) ?? 0
        socketPath = unixSocket
    }

    /// The endpoint (`ws://` or `wss://127.0.0.1:PORT`) with `tls` options.
    func endpoint(_ options: TLSOptions = TLSOptions()) -> Endpoint {
        if let socketPath { return .unixSocket(socketPath) }
        return .url("\(tls ? "wss" : "ws")://127.0.0.1:\(port)", tls: options)
    }

    func stop() {
        child.closeStdin()
        child.stop()
    }

    deinit { stop() }

    /// Runs `body` with a server that is stopped afterwards, whatever happens.
    static func with<T>(
        cert: String? = nil, key: String? = nil, clientCA: String? = nil, _ body: (WebSocketTestServer) async throws -> T
    ) async throws -> T {
        let server = try await WebSocketTestServer(cert: cert, key: key, clientCA: clientCA)
        defer { server.stop() }
        return try await body(server)
    }
}

/// Certificates for the "same certificates" comparison, made with the openssl CLI: the shared test CA's server
/// certificate (``TestPKI``), plus a second CA, a certificate naming another host, and a self-signed one.
struct CertificateSituations: Sendable {
    let pki: TestPKI
    let directory: String
    var otherCA: String { directory + "/other-ca.pem" }
    var wrongNameCert: String { directory + "/wrong-name.pem" }
    var wrongNameKey: String { directory + "/wrong-name.key" }
    var selfSignedCert: String { directory + "/self-signed.pem" }
    var selfSignedKey: String { directory + "/self-signed.key" }
    let selfSignedPin: String

    static func make() async throws -> CertificateSituations {
        let pki = try await TestPKI.shared()
        let dir = NSTemporaryDirectory() + "homelab-ws-pki-\(UUID().uuidString.prefix(12))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(dir)'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=Other CA' 2>/dev/null
            printf 'subjectAltName=DNS:other.example\\nbasicConstraints=CA:FALSE\\n' > wrong.ext
            openssl req -newkey rsa:2048 -nodes -keyout wrong-name.key -out wrong-name.csr -subj '/CN=other.example' 2>/dev/null
            openssl x509 -req -in wrong-name.csr -CA '\(pki.caCert)' -CAkey '\(pki.directory)/ca.key' -CAcreateserial \
                -out wrong-name.pem -days 2 -extfile wrong.ext 2>/dev/null
            openssl req -x509 -newkey rsa:2048 -nodes -keyout self-signed.key -out self-signed.pem -days 2 \
                -subj '/CN=truenas.local' -addext 'subjectAltName=DNS:truenas.local' 2>/dev/null
            openssl x509 -in self-signed.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64
            """
        let output = try await ChildProcess.check("/bin/sh", ["-c", script])
        return CertificateSituations(
            pki: pki, directory: dir, selfSignedPin: "sha256//" + output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
