import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@Suite("The homelab-sim executable")
struct HomelabSimCommandTests {
    static let binary = SimulatorHarness.repositoryRoot.appendingPathComponent(".build/debug/homelab-sim").path
    static let built = FileManager.default.isExecutableFile(atPath: binary)

    @Test("homelab-sim is built where tests run under CI")
    func builtUnderCI() throws {
        #expect(try RealServer.require("the homelab-sim binary", available: Self.built, hint: "swift build --build-tests"))
    }

    @Test("It writes the config once listening, serves, and exits 0 on SIGINT and SIGTERM", .enabled(if: built), arguments: [SIGINT, SIGTERM])
    func servesUntilSignalled(_ signal: Int32) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-sim-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("homelab.yaml").path
        let socket = directory.appendingPathComponent("docker.sock").path
        let arguments = [
            "--inventory", SimulatorHarness.exampleInventory, "--write-config", config, "--docker-socket", socket,
            "--fault", "docker:latency=1ms",
        ]
        let log = directory.appendingPathComponent("output.log")
        // exec keeps the pid: the signal below reaches homelab-sim itself.
        let process = try HomelabTestSupport.ChildProcess(
            "/bin/sh", ["-c", "exec \"$0\" \"$@\" > '\(log.path)' 2>&1", Self.binary] + arguments)
        defer { process.stop() }
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: config), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let homelab = try InventoryLoader.load(path: config)
        #expect(homelab.components[.docker]?.endpoint == .unixSocket(socket))
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let client = HTTPClient(transport: transport, endpoint: .unixSocket(socket), component: "docker", middleware: [])
        #expect(try await client.send(HTTPRequest(path: "/v1.47/_ping")).text == "OK")
        kill(process.pid, signal)
        let status = try await process.wait(timeout: .seconds(30))
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(text)")
        #expect(text.contains("docker       unix://\(socket)"))
        #expect(text.contains("truenas      https://127.0.0.1:"))
        #expect(text.contains("homelab-sim: stopped"))
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket is removed")
    }

    @Test("--tls docker serves HTTPS with a CA made for the run, and the written config names it", .enabled(if: built))
    func servesTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-sim-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("homelab.yaml").path
        let log = directory.appendingPathComponent("output.log")
        let arguments = ["--inventory", SimulatorHarness.exampleInventory, "--write-config", config, "--tls", "docker"]
        let process = try HomelabTestSupport.ChildProcess(
            "/bin/sh", ["-c", "exec \"$0\" \"$@\" > '\(log.path)' 2>&1", Self.binary] + arguments)
        defer { process.stop() }
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: config), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let endpoint = try #require(try InventoryLoader.load(path: config).components[.docker]?.endpoint)
        guard case .url(let url) = endpoint.address, case .caFile(let caFile) = endpoint.tls.trust else {
            Issue.record("expected an https URL and a CA file, got \(endpoint)")
            return
        }
        #expect(url.hasPrefix("https://127.0.0.1:"))
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let client = HTTPClient(transport: transport, endpoint: endpoint, component: "docker", middleware: [])
        #expect(try await client.send(HTTPRequest(path: "/v1.47/_ping")).text == "OK")
        kill(process.pid, SIGTERM)
        #expect(try await process.wait(timeout: .seconds(30)) == 0)
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(text.contains("\(url) (CA \(caFile))"), "\(text)")
    }

    @Test("Bad options are refused with a message and a non-zero status", .enabled(if: built),
          arguments: [["--fault", "docker:speed=3"], ["--scale", "nodes=0"], ["--time-scale", "0"], ["--inventory", "/nonexistent.yaml"], ["--tls", "nothing"]])
    func badOptions(_ arguments: [String]) async throws {
        let (status, output) = try await ChildProcess.run(Self.binary, arguments, timeout: .seconds(30))
        #expect(status != 0)
        #expect(output.contains("Error"), "\(output)")
    }
}
