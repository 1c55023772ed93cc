import ArgumentParser
import Foundation
import HomelabCore
import Testing

@testable import HomelabCommands

@Suite("homelab rollout")
struct RolloutCommandTests {
    static let homelab: Homelab? = try? InventoryLoader.load(path: InventoryCommandTests.example)

    @Test("--image and --restart become changes of Swarm services, with tier and depends_on edges")
    func request() throws {
        let homelab = try #require(Self.homelab)
        let options = try RolloutOptions.parse([
            "--image", "caddy=2.10-alpine", "--restart", "connect-sync", "--budget", "2", "--on-failure", "pause-all", "--rollback",
        ])
        let request = try options.request(for: homelab)
        #expect(request.changes.map(\.service).sorted() == ["ingress_caddy", "secrets_connect-sync"])
        #expect(request.changes.first { $0.service == "ingress_caddy" }?.change == .image("lucaslorentz/caddy-docker-proxy:2.10-alpine"))
        #expect(request.changes.first { $0.service == "secrets_connect-sync" }?.change == .restart(forceUpdate: nil))
        #expect(request.dependencies.contains(.init(service: "ingress_caddy-docker-proxy", dependsOn: "ingress_caddy")))
        #expect(request.budget == 2 && request.onFailure == .pauseAll && request.rollbackFailed && !request.rollbackAll)
        _ = try request.graph()
    }

    @Test("nothing to do, an unknown service or a bad policy is refused", arguments: [
        [String](), ["--image", "nosuch=1.0"], ["--restart", "caddy", "--on-failure", "sometimes"],
    ])
    func refused(arguments: [String]) throws {
        let homelab = try #require(Self.homelab)
        #expect(throws: (any Error).self) { try RolloutOptions.parse(arguments).request(for: homelab) }
    }

    @Test("exit codes say how the run ended")
    func exitCodes() {
        #expect(RolloutCommand.exitCode(.completed) == .success)
        #expect(RolloutCommand.exitCode(.paused).rawValue == 2)
        #expect(RolloutCommand.exitCode(.failed).rawValue == 3)
        #expect(RolloutCommand.exitCode(.rolledBack).rawValue == 4)
    }
}
