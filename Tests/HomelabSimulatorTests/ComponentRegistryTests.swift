import Foundation
import HomelabCore
import HomelabTestSupport
import Hummingbird
import HummingbirdWebSocket
import Testing

@testable import HomelabSimulator

/// A small component registered beside Docker: a plain route, a WebSocket echo, a "stop VM" route that powers
/// a node off in the shared world, and errors in a JSON shape of its own (`{"error": ...}`).
private struct EchoComponent: SimulatedComponent {
    let nodes: SimulatedNodes

    var kind: ComponentKind { .proxmox }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        router.get("hello") { _, _ in "hello" }
        router.post("vms/:name/stop") { _, context -> Response in
            try await nodes.setPower(context.parameters.get("name") ?? "", .off)
            return Response(status: .ok)
        }
    }

    var webSocketRoutes: [WebSocketRoute] {
        [
            WebSocketRoute(path: "echo") { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    if case .text(let text) = message { try await outbound.write(.text("echo: " + text)) }
                }
            }
        ]
    }

    func errorResponse(status: Hummingbird.HTTPResponse.Status, message: String) -> Response {
        SimulatorJSON.response(["error": message], status: status)
    }

    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        ComponentEndpoint(kind: .proxmox, endpoint: listening.urlEndpoint)
    }

    func shutdown() async {}
}

/// Starts the example homelab with ``EchoComponent`` registered too, runs `body`, stops it.
private func withEchoComponent(
    options: SimulationOptions, _ body: (HomelabSimulation, ComponentListening) async throws -> Void
) async throws {
    let inventory = try InventoryLoader.load(path: SimulatorHarness.exampleInventory)
    let simulation = try await HomelabSimulation.start(inventory: inventory, options: options) { homelab, setup in
        try await HomelabSimulation.makeComponents(for: homelab, setup: setup) + [EchoComponent(nodes: setup.world.nodes)]
    }
    do {
        try await body(simulation, try #require(simulation.endpoints.listening[.proxmox]))
    } catch {
        await simulation.shutdown()
        throw error
    }
    await simulation.shutdown()
}

/// A WebSocket round trip by Python's `websockets` package: sends one text message, prints the answer.
private let webSocketClient = """
    import asyncio, ssl, sys, websockets
    async def main(uri, ca):
        options = {"ssl": ssl.create_default_context(cafile=ca)} if ca else {}
        async with websockets.connect(uri, **options) as socket:
            await socket.send("hello over a websocket")
            print(await asyncio.wait_for(socket.recv(), 10))
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
    """

@Suite("Components register through one registry: listeners, TLS, WebSockets, errors, the shared world")
struct ComponentRegistryTests {
    @Test("A TLS listener answers the kit's CurlTransport with the run's CA and refuses it without; the inventory says https and ca_file")
    func tlsListener() async throws {
        let options = SimulationOptions(timeScale: 0.05, listeners: [.docker: ListenerOptions(tls: true)])
        let inventory = try InventoryLoader.load(path: SimulatorHarness.exampleInventory)
        let simulation = try await HomelabSimulation.start(inventory: inventory, options: options)
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        do {
            let docker = try #require(simulation.endpoints.listening[.docker])
            #expect(docker.url.hasPrefix("https://127.0.0.1:"))
            let caFile = try #require(docker.caFile)
            #expect(simulation.endpoints.caFile == caFile)
            #expect(try String(contentsOfFile: caFile, encoding: .utf8).hasPrefix("-----BEGIN CERTIFICATE-----"))

            let trusted = HTTPClient(transport: transport, endpoint: docker.urlEndpoint, component: "docker", middleware: [])
            let ping = try await trusted.send(HomelabCore.HTTPRequest(path: "/_ping"))
            #expect(ping.status == 200 && ping.text == "OK")

            let untrusted = HTTPClient(transport: transport, endpoint: .url(docker.url), component: "docker", middleware: [])
            let refused = await #expect(throws: HomelabError.self) { try await untrusted.send(HomelabCore.HTTPRequest(path: "/_ping")) }
            #expect(refused?.code == .tlsFailure, "\(String(describing: refused))")

            // The unix socket stays plain, as dockerd's does.
            let socket = HTTPClient(transport: transport, endpoint: .unixSocket(docker.socketPath ?? ""), component: "docker", middleware: [])
            #expect(try await socket.send(HomelabCore.HTTPRequest(path: "/_ping")).status == 200)

            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-tls-\(UUID().uuidString).yaml").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try simulation.writeConfig(to: path)
            let written = try String(contentsOfFile: path, encoding: .utf8)
            #expect(written.contains("ca_file: \"\(caFile)\""), "\(written)")
            let loaded = try InventoryLoader.load(path: path)
            #expect(loaded.components[.docker]?.endpoint?.address == .url(docker.url))
            #expect(loaded.components[.docker]?.endpoint?.tls.trust == .caFile(caFile))
        } catch {
            await simulation.shutdown()
            throw error
        }
        await simulation.shutdown()
    }

    @Test(
        "The docker CLI reaches the TLS listener with --tlsverify --tlscacert <the run's CA>",
        .enabled(if: !DockerCLI.available.isEmpty), arguments: DockerCLI.available)
    func dockerCLIOverTLS(_ docker: String) async throws {
        let options = SimulationOptions(timeScale: 0.05, listeners: [.docker: ListenerOptions(tls: true)])
        let simulation = try await HomelabSimulation.start(
            inventory: try InventoryLoader.load(path: SimulatorHarness.exampleInventory), options: options)
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("docker-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: config) }
        do {
            try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
            let listening = try #require(simulation.endpoints.listening[.docker])
            let host = "tcp://" + listening.url.replacingOccurrences(of: "https://", with: "")
            let (status, output) = try await ChildProcess.run(
                docker, ["--tlsverify", "--tlscacert", listening.caFile ?? "", "-H", host, "node", "ls"],
                environment: ["DOCKER_CONFIG": config.path, "HOME": config.path, "PATH": "/usr/bin:/bin"], timeout: .seconds(60))
            #expect(status == 0, "\(output)")
            #expect(output.contains("barbary") && output.contains("Leader"), "\(output)")
        } catch {
            await simulation.shutdown()
            throw error
        }
        await simulation.shutdown()
    }

    @Test("A registered component's WebSocket route echoes to Python's websockets client, plain and over TLS")
    func webSocketRoutes() async throws {
        guard try PythonClient.require("websockets") else { return }
        try await withEchoComponent(options: SimulationOptions(timeScale: 0.05)) { _, echo in
            let uri = echo.url.replacingOccurrences(of: "http://", with: "ws://") + "/echo"
            let (status, output) = try await PythonClient.run(webSocketClient, [uri])
            #expect(status == 0 && output.contains("echo: hello over a websocket"), "\(output)")
        }
        try await withEchoComponent(options: SimulationOptions(timeScale: 0.05, listeners: [.proxmox: ListenerOptions(tls: true)])) { _, echo in
            #expect(echo.url.hasPrefix("https://"))
            let uri = echo.url.replacingOccurrences(of: "https://", with: "wss://") + "/echo"
            let (status, output) = try await PythonClient.run(webSocketClient, [uri, echo.caFile ?? ""])
            #expect(status == 0 && output.contains("echo: hello over a websocket"), "\(output)")
            let (refusedStatus, refusedOutput) = try await PythonClient.run(webSocketClient, [uri])
            #expect(refusedStatus != 0 && refusedOutput.contains("CERTIFICATE_VERIFY_FAILED"), "\(refusedOutput)")
        }
    }

    @Test("A faulted WebSocket upgrade is refused (counted once as an injected error); the next one upgrades")
    func faultedWebSocketUpgrade() async throws {
        guard try PythonClient.require("websockets") else { return }
        let options = SimulationOptions(timeScale: 0.05, faults: [.proxmox: FaultPlan(errorCount: 1, errorStatuses: [503])])
        try await withEchoComponent(options: options) { simulation, echo in
            let uri = echo.url.replacingOccurrences(of: "http://", with: "ws://") + "/echo"
            let script = """
                import asyncio, sys, websockets
                async def main(uri):
                    try:
                        async with websockets.connect(uri) as socket:
                            print("upgraded on the first try")
                    except Exception as error:
                        print("refused:", error)
                    async with websockets.connect(uri) as socket:
                        await socket.send("again")
                        print(await asyncio.wait_for(socket.recv(), 10))
                asyncio.run(main(sys.argv[1]))
                """
            let (status, output) = try await PythonClient.run(script, [uri])
            #expect(status == 0, "\(output)")
            #expect(output.contains("refused:") && output.contains("400"), "\(output)")
            #expect(output.contains("echo: again"), "\(output)")
            let stats = simulation.faults.stats[.proxmox]
            #expect(stats?.errors == 1 && stats?.requests == 2, "\(String(describing: stats))")
        }
    }

    @Test("Faults answer in the faulted component's own error shape; the admin API lists every component's endpoints")
    func faultsInEachShape() async throws {
        let options = SimulationOptions(timeScale: 0.05, faults: [.proxmox: FaultPlan(errorCount: 1, errorStatuses: [503]), .docker: FaultPlan(errorCount: 1, errorStatuses: [502])])
        try await withEchoComponent(options: options) { simulation, echo in
            let transport = try CurlTransport()
            defer { transport.shutdown() }
            let proxmox = HTTPClient(transport: transport, endpoint: .url(echo.url), component: "proxmox", middleware: [])
            let faulted = try await proxmox.send(HomelabCore.HTTPRequest(path: "/hello"))
            #expect(faulted.status == 503 && faulted.text == #"{"error":"simulated fault: service unavailable"}"#, "\(faulted.text)")
            #expect(try await proxmox.send(HomelabCore.HTTPRequest(path: "/hello")).text == "hello")
            let docker = HTTPClient(
                transport: transport, endpoint: .unixSocket(simulation.endpoints.dockerSocket), component: "docker", middleware: [])
            let dockerFault = try await docker.send(HomelabCore.HTTPRequest(path: "/_ping"))
            #expect(dockerFault.status == 502 && dockerFault.text == #"{"message":"simulated fault: bad gateway"}"#, "\(dockerFault.text)")

            let admin = HTTPClient(transport: transport, endpoint: .url(simulation.endpoints.admin), component: "admin", middleware: [])
            let listed = try JSONDecoder().decode([String: String].self, from: Data(try await admin.send(HomelabCore.HTTPRequest(path: "/_sim/endpoints")).body))
            #expect(listed["proxmox"] == echo.url)
            #expect(listed["docker_socket"] == simulation.endpoints.dockerSocket)
            #expect(simulation.endpoints.rendered().contains("proxmox      \(echo.url)"))
        }
    }

    @Test("One shared world: a component stopping a VM takes its swarm node down; the admin routes power nodes on and off")
    func sharedNodeTable() async throws {
        try await withEchoComponent(options: SimulationOptions(timeScale: 0.05)) { simulation, echo in
            let transport = try CurlTransport()
            defer { transport.shutdown() }
            let docker = HTTPClient(
                transport: transport, endpoint: .unixSocket(simulation.endpoints.dockerSocket), component: "docker", middleware: [])
            let admin = HTTPClient(transport: transport, endpoint: .url(simulation.endpoints.admin), component: "admin", middleware: [])
            func state(_ node: String) async throws -> Swarm.NodeState? {
                let response = try await docker.send(HomelabCore.HTTPRequest(path: "/v1.47/nodes/\(node)"))
                return try JSONDecoder().decode(Swarm.Node.self, from: Data(response.body)).status?.state
            }
            #expect(try await state("lorcha") == .ready)

            let proxmox = HTTPClient(transport: transport, endpoint: .url(echo.url), component: "proxmox", middleware: [])
            #expect(try await proxmox.send(HomelabCore.HTTPRequest(method: .post, path: "/vms/lorcha/stop")).status == 200)
            #expect(await simulation.world.nodes.node("lorcha")?.power == .off)
            #expect(try await state("lorcha") == .down)

            let on = try await admin.send(
                HomelabCore.HTTPRequest(method: .post, path: "/_sim/nodes/lorcha/power", headers: ["Content-Type": "application/json"], body: Array(#"{"power":"on"}"#.utf8)))
            #expect(on.status == 200 && on.text.contains(#""power":"on""#), "\(on.text)")
            #expect(try await state("lorcha") == .ready)

            // The Docker admin route goes through the same table.
            let down = try await admin.send(
                HomelabCore.HTTPRequest(method: .post, path: "/_sim/docker/nodes/lorcha/state", headers: ["Content-Type": "application/json"], body: Array(#"{"state":"down"}"#.utf8)))
            #expect(down.status == 200, "\(down.text)")
            #expect(await simulation.world.nodes.node("lorcha")?.power == .off)
            #expect(try await state("lorcha") == .down)

            let unknown = try await admin.send(
                HomelabCore.HTTPRequest(method: .post, path: "/_sim/nodes/nowhere/power", headers: ["Content-Type": "application/json"], body: Array(#"{"power":"off"}"#.utf8)))
            #expect(unknown.status == 404 && unknown.text.contains("no node 'nowhere'"), "\(unknown.text)")
            let listed = try await admin.send(HomelabCore.HTTPRequest(path: "/_sim/nodes"))
            #expect(listed.text.contains(#""name":"lorcha""#) && listed.text.contains(#""power":"off""#), "\(listed.text)")
        }
    }
}
