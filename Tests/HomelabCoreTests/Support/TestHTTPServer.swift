import Foundation
import HomelabCore
import Testing

/// A loopback test server (Support/test_http_server.py) run as a child process, stopped by its pid.
final class TestHTTPServer: Sendable {
    let process: Process
    private let stdinPipe: Pipe
    /// The TCP port, or 0 for a unix socket server.
    let port: Int
    /// The unix socket path, if any.
    let socketPath: String?

    static let scriptPath: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("test_http_server.py").path

    init(arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scriptPath] + arguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        try process.run()
        self.process = process
        self.stdinPipe = stdinPipe
        // Wait for "READY <port|path>".
        var buffer = Data()
        let deadline = Date().addingTimeInterval(10)
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty || Date() > deadline {
                process.terminate()
                throw TestServerError(message: "test server did not start: \(String(decoding: buffer, as: UTF8.self))")
            }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
    func url(tls: Bool = false) -> String { "\(tls ? "https" : "http")://127.0.0.1:\(port)" }

    /// Stops the server by its pid and waits for it.
    func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }

    /// Runs `body` with a server that is stopped afterwards, whatever happens.
    static func with<T>(_ arguments: [String] = [], _ body: (TestHTTPServer) async throws -> T) async throws -> T {
        let server = try TestHTTPServer(arguments: arguments)
        defer { server.stop() }
        return try await body(server)
    }
}

struct TestServerError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A throwaway PKI made with the openssl CLI: a CA, a server certificate for 127.0.0.1, a client certificate.
struct TestPKI: Sendable {
    let directory: String
    var caCert: String { directory + "/ca.pem" }
    var serverCert: String { directory + "/server.pem" }
    var serverKey: String { directory + "/server.key" }
    var clientCert: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }
    /// `sha256//...` pin of the server's public key, as curl expects it.
    let serverPin: String

    static func make() throws -> TestPKI {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-pki-\(UUID().uuidString)").path
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
        let output = try runShell(script)
        return TestPKI(directory: dir, serverPin: "sha256//" + output.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Runs a shell script and returns its stdout; throws on a non-zero exit.
func runShell(_ script: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw TestServerError(message: "script failed (\(process.terminationStatus)): \(script.prefix(200))")
    }
    return String(decoding: data, as: UTF8.self)
}
