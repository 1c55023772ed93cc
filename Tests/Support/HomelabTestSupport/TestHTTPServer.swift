import Foundation

/// A loopback test server (test_http_server.py beside this file) run as a child process, stopped by its pid.
public final class TestHTTPServer: Sendable {
    private let child: ChildProcess
    /// The TCP port, or 0 for a unix socket server.
    public let port: Int
    /// The unix socket path, if any.
    public let socketPath: String?

    /// The server script's path.
    public static let scriptPath: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("test_http_server.py").path

    /// Starts the server and waits for its `READY <port|path>` line.
    public init(arguments: [String] = []) async throws {
        child = try ChildProcess("python3", [Self.scriptPath] + arguments, stdin: .pipe, stdout: .pipe, stderr: .inherit)
        guard let line = try await child.readLine(timeout: .seconds(30)), line.hasPrefix("READY ") else {
            child.stop()
            throw ChildProcessError("the test HTTP server did not start")
        }
        let value = String(line.dropFirst("READY ".count))
        if let port = Int(value) {
            self.port = port
            self.socketPath = nil
        } else {
            self.port = 0
            self.socketPath = value
        }
    }

    /// The base URL (`http://127.0.0.1:PORT` or `https://...`).
    public func url(tls: Bool = false) -> String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    /// Stops the server by its pid.
    public func stop() {
        child.closeStdin()
        child.stop()
    }

    deinit { stop() }

    /// Runs `body` with a server that is stopped afterwards, whatever happens.
    public static func with<T>(_ arguments: [String] = [], _ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let server = try await TestHTTPServer(arguments: arguments)
        defer { server.stop() }
        return try await body(server)
    }
}

/// A throwaway PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1, a client certificate.
public struct TestPKI: Sendable {
    public let directory: String
    public var caCert: String { directory + "/ca.pem" }
    public var serverCert: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server.key" }
    public var clientCert: String { directory + "/client.pem" }
    public var clientKey: String { directory + "/client.key" }
    /// `sha256//...` pin of the server's public key, as curl expects it.
    public let serverPin: String

    private static let cache = PKICache()

    /// One PKI per test process, made on first use.
    public static func shared() async throws -> TestPKI { try await cache.get() }

    static func make() async throws -> TestPKI {
        let dir = NSTemporaryDirectory() + "homelab-pki-\(UUID().uuidString.prefix(12))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(dir)'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=Homelab Test CA' 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > san.ext
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=127.0.0.1' 2>/dev/null
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile san.ext 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj '/CN=homelab-client' 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 2>/dev/null
            openssl x509 -in server.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64
            """
        let output = try await ChildProcess.check("/bin/sh", ["-c", script])
        return TestPKI(directory: dir, serverPin: "sha256//" + output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Makes the PKI once: concurrent first callers share one making (a stored value set after `await` let two tests
/// each make their own PKI, so one test's server certificate was signed by another test's CA).
actor PKICache {
    private var making: Task<TestPKI, any Error>?
    func get() async throws -> TestPKI {
        if let making { return try await making.value }
        let task = Task { try await TestPKI.make() }
        making = task
        return try await task.value
    }
}
