import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The docker command-line clients on this machine: Docker 28 (API up to 1.50, negotiates 1.47) and, when
/// installed, Debian's Docker 20.10 (API 1.41).
enum DockerCLI {
    static let candidates = ["/usr/local/bin/docker", "/usr/bin/docker"]
    static let available = candidates.filter { FileManager.default.isExecutableFile(atPath: $0) }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Runs `docker -H unix://<socket> <arguments>` with a private DOCKER_CONFIG; returns exit status and output.
    static func run(_ binary: String, socket: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws
        -> (status: Int32, output: String)
    {
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("docker-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: config) }
        let (status, output) = try await HomelabTestSupport.ChildProcess.run(
            binary, ["-H", "unix://\(socket)"] + arguments,
            environment: ["DOCKER_CONFIG": config.path, "PATH": "/usr/bin:/bin", "HOME": config.path], timeout: timeout)
        // The CLI redraws its progress display with carriage returns.
        return (status, output.replacingOccurrences(of: "\r", with: "\n"))
    }
}

@Suite("The docker CLI works against the simulated manager")
struct DockerCLITests {
    @Test("The docker CLI is installed where tests run under CI")
    func cliPresentUnderCI() throws {
        #expect(
            try RealServer.require(
                "a docker CLI", available: !DockerCLI.available.isEmpty,
                hint: "install docker.io (or the static client) into one of \(DockerCLI.candidates)"))
    }

    @Test(
        "docker node ls, service ls, service ps and service inspect read the simulated swarm",
        .enabled(if: !DockerCLI.available.isEmpty), arguments: DockerCLI.available)
    func readCommands(_ docker: String) async throws {
        try await withSimulation(timeScale: 0.1) { sim in
            let socket = sim.simulation.endpoints.dockerSocket
            let nodes = try await DockerCLI.run(docker, socket: socket, ["node", "ls"])
            #expect(nodes.status == 0, "\(nodes.output)")
            let barbary = try #require(nodes.output.split(separator: "\n").first { $0.contains("barbary") })
            #expect(barbary.contains("*") && barbary.contains("Leader") && barbary.contains("Ready"))
            for name in ["ching", "angre", "lorcha", "dhow"] { #expect(nodes.output.contains(name)) }

            let services = try await DockerCLI.run(docker, socket: socket, ["service", "ls"])
            #expect(services.status == 0, "\(services.output)")
            let sonarr = try #require(services.output.split(separator: "\n").first { $0.contains("media-core_sonarr") })
            #expect(sonarr.contains("replicated") && sonarr.contains("1/1") && sonarr.contains("lscr.io/linuxserver/sonarr:latest"))
            let periphery = try #require(services.output.split(separator: "\n").first { $0.contains("komodo_komodo-periphery") })
            #expect(periphery.contains("global") && periphery.contains("5/5"))
            #expect(services.output.split(separator: "\n").count == 1 + (await sim.world.counts().services))

            let tasks = try await DockerCLI.run(docker, socket: socket, ["service", "ps", "media-core_sonarr"])
            #expect(tasks.status == 0, "\(tasks.output)")
            #expect(tasks.output.contains("media-core_sonarr.1") && tasks.output.contains("barbary") && tasks.output.contains("Running"))

            let inspect = try await DockerCLI.run(docker, socket: socket, ["service", "inspect", "media-core_sonarr"])
            #expect(inspect.status == 0, "\(inspect.output)")
            let decoded = try JSONDecoder().decode([Swarm.Service].self, from: Data(inspect.output.utf8))
            #expect(decoded.first?.spec?.name == "media-core_sonarr")
            #expect(decoded.first?.spec?.taskTemplate?.placement?.constraints == ["node.hostname == barbary"])
        }
    }

    @Test(
        "docker service update --detach=false converges and docker service rollback restores the image",
        .enabled(if: !DockerCLI.available.isEmpty), arguments: DockerCLI.available)
    func updateAndRollback(_ docker: String) async throws {
        try await withSimulation(timeScale: 0.1) { sim in
            let socket = sim.simulation.endpoints.dockerSocket
            let name = "cloudflared_cloudflared"
            let update = try await DockerCLI.run(
                docker, socket: socket, ["service", "update", "--image", "cloudflare/cloudflared:2026.9.0", "--detach=false", name])
            #expect(update.status == 0, "\(update.output)")
            #expect(update.output.contains("overall progress: 2 out of 2 tasks"))
            #expect(update.output.contains(#/verify: Service (\S+ )?converged/#), "Docker 20.10 leaves out the name")
            let updated = try await sim.service(name)
            #expect(updated.updateStatus?.state == .completed)
            #expect(updated.spec?.taskTemplate?.containerSpec?.image?.hasPrefix("cloudflare/cloudflared:2026.9.0") == true)

            let rollback = try await DockerCLI.run(docker, socket: socket, ["service", "rollback", name])
            #expect(rollback.status == 0, "\(rollback.output)")
            #expect(rollback.output.contains("rollback: manually requested rollback"))
            #expect(rollback.output.contains(#/verify: Service (\S+ )?converged/#))
            let restored = try await sim.service(name)
            #expect(restored.updateStatus?.state == .rollbackCompleted)
            #expect(restored.spec?.taskTemplate?.containerSpec?.image == "cloudflare/cloudflared:2026.8.0")
        }
    }

    @Test("docker service update of a broken image reports the paused update", .enabled(if: !DockerCLI.available.isEmpty))
    func brokenUpdateIsReported() async throws {
        let docker = try #require(DockerCLI.available.first)
        try await withSimulation(timeScale: 0.1) { sim in
            let update = try await DockerCLI.run(
                docker, socket: sim.simulation.endpoints.dockerSocket,
                ["service", "update", "--image", "grafana/grafana:12.2.0-broken", "--detach=false", "monitoring_grafana"])
            #expect(update.status != 0)
            #expect(update.output.contains("service update paused: update paused due to failure or early termination of task"))
            let tasks = try await DockerCLI.run(docker, socket: sim.simulation.endpoints.dockerSocket, ["service", "ps", "monitoring_grafana"])
            #expect(tasks.output.contains("\"unhealthy container\""), "the ERROR column: \(tasks.output)")
        }
    }
}
