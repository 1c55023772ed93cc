import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The built `homelab-exporter` run against an in-process simulation of the example homelab.
final class ExporterProcess: Sendable {
    static let binary = SimulatedCollection.repositoryRoot.appendingPathComponent(".build/debug/homelab-exporter").path
    static let built = FileManager.default.isExecutableFile(atPath: binary)

    let simulation: HomelabSimulation
    let process: ChildProcess
    let folder: TemporaryFolder
    let transport: CurlTransport
    let port: Int

    private init(simulation: HomelabSimulation, process: ChildProcess, folder: TemporaryFolder, transport: CurlTransport, port: Int) {
        self.simulation = simulation
        self.process = process
        self.folder = folder
        self.transport = transport
        self.port = port
    }

    /// Starts the simulation and the exporter on a free loopback port; returns once it listens.
    static func start(faults: [ComponentKind: FaultPlan] = [:]) async throws -> ExporterProcess {
        let folder = try TemporaryFolder(prefix: "homelab-exporter-test")
        let inventory = try InventoryLoader.load(path: SimulatedCollection.exampleInventory)
        let simulation = try await HomelabSimulation.start(
            inventory: inventory, options: SimulationOptions(timeScale: 0.005, faults: faults))
        let config = folder.file("homelab.yaml")
        try simulation.writeConfig(to: config)
        let journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
        try await journal.create(runID: "r1", request: Data("{}".utf8), steps: [.init(stepID: "media_sonarr", position: 0, payload: Data("{}".utf8))])
        try await journal.transition(runID: "r1", stepID: "media_sonarr", to: .running)
        try await journal.transition(runID: "r1", stepID: "media_sonarr", to: .succeeded)
        try await journal.setStatus(runID: "r1", .completed)
        let process = try ChildProcess(
            binary, ["--config", config, "--listen", "127.0.0.1:0", "--state", folder.file("state.sqlite")],
            stdout: .pipe, mergeStderr: true)
        var port: Int?
        let deadline = ContinuousClock.now + .seconds(30)
        while port == nil, ContinuousClock.now < deadline, process.isRunning {
            guard let line = try await process.readLine(timeout: .seconds(1)) else { continue }
            if let range = line.range(of: "listening on http://127.0.0.1:") {
                port = Int(line[range.upperBound...].prefix { $0.isNumber })
            }
        }
        guard let port else {
            process.stop()
            await simulation.shutdown()
            throw ChildProcessError("homelab-exporter did not say where it listens")
        }
        return ExporterProcess(simulation: simulation, process: process, folder: folder, transport: try CurlTransport(), port: port)
    }

    /// GET `path` on the exporter.
    func get(_ path: String, headers: [(String, String)] = []) async throws -> HTTPResponse {
        var fields: HTTPHeaders = [:]
        for (name, value) in headers { fields.add(name: name, value: value) }
        let client = HTTPClient(transport: transport, endpoint: .url("http://127.0.0.1:\(port)"), component: "exporter", middleware: [])
        return try await client.send(HTTPRequest(path: path, headers: fields, timeout: .seconds(30)))
    }

    func stop() async {
        process.stop()
        await simulation.shutdown()
        transport.shutdown()
    }
}

/// A TCP port free on 127.0.0.1 right now.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ChildProcessError("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw ChildProcessError("bind failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
