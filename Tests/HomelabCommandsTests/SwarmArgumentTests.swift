import Foundation
import HomelabCore
import Testing

@testable import HomelabCommands

/// How the swarm commands read their arguments, without a swarm.
@Suite("homelab swarm: arguments")
struct SwarmArgumentTests {
    @Test("SERVICE: stack/service and a unique inventory name become the swarm name; anything else passes", arguments: [
        ("ingress/caddy", "ingress_caddy"), ("caddy", "ingress_caddy"), ("ingress_caddy", "ingress_caddy"),
        ("grafana", "monitoring_grafana"), ("nosuch", "nosuch"), ("zjtiwbfhup15oq84ogaozum60", "zjtiwbfhup15oq84ogaozum60"),
    ])
    func serviceNames(argument: String, name: String) throws {
        let homelab = try InventoryLoader.load(path: CommandHarness.exampleInventory)
        #expect(SwarmCommand.serviceName(argument, homelab: homelab) == name)
    }

    @Test("--image: a bare tag keeps the repository (and drops a digest); a reference is taken as it is", arguments: [
        ("2.10-alpine", "lucaslorentz/caddy-docker-proxy:2.9-alpine", "lucaslorentz/caddy-docker-proxy:2.10-alpine"),
        ("12.1.1", "grafana/grafana:12.1.0@sha256:abcd", "grafana/grafana:12.1.1"),
        ("17", "registry.home.arpa:5000/postgres", "registry.home.arpa:5000/postgres:17"),
        ("nginx:1.27", "grafana/grafana:12.1.0", "nginx:1.27"),
        ("ghcr.io/x/y", "grafana/grafana:12.1.0", "ghcr.io/x/y"),
    ])
    func images(argument: String, current: String, result: String) {
        #expect(SwarmUpdateFollower.image(argument, replacing: current) == result)
    }

    @Test("--since: durations ago, RFC 3339, Unix seconds; anything else is refused")
    func since() {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        #expect(SwarmText.since("30s", now: now) == now.addingTimeInterval(-30))
        #expect(SwarmText.since("10m", now: now) == now.addingTimeInterval(-600))
        #expect(SwarmText.since("2h", now: now) == now.addingTimeInterval(-7_200))
        #expect(SwarmText.since("3d", now: now) == now.addingTimeInterval(-259_200))
        #expect(SwarmText.since("1700000000", now: now) == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(SwarmText.since("2026-05-28T20:26:40Z", now: now) == now)
        #expect(SwarmText.since("yesterday", now: now) == nil)
        #expect(SwarmText.since("5w", now: now) == nil)
    }

    @Test("an update's outcome is an exit status of the table")
    func outcomes() {
        let outcomes = ["accepted", "completed", "paused", "rolled_back", "rollback_paused", "timed_out"]
        #expect(outcomes.map { SwarmUpdateOutcome(service: "s", image: "i", outcome: $0, message: nil).exitStatus.rawValue } == [0, 0, 2, 4, 3, 3])
    }
}
