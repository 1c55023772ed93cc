import Foundation
import Testing

@testable import HomelabCore

/// A request keeps the inventory's tiers as lists: the journal holds kilobytes, not every tier edge spelled out.
@Suite("Rollout request tiers")
struct RolloutTiersTests {
    static func request(perTier: Int) -> RolloutRequest {
        let tiers = ["infra", "platform", "app"].map { tier in (0..<perTier).map { "\(tier)-\($0)" } }
        return RolloutRequest(
            changes: tiers.joined().map { RolloutRequest.Change(service: $0, change: .restart(forceUpdate: nil)) },
            dependencies: [.init(service: "app-1", dependsOn: "app-0")], budget: 50, tiers: tiers)
    }

    @Test("every service of a tier waits for every service of the tier below, and explicit edges still count")
    func tierOrder() throws {
        let graph = try Self.request(perTier: 20).graph()
        #expect(graph.edgeCount == 20 * 20 * 2 + 1)
        let position = Dictionary(uniqueKeysWithValues: graph.steps.enumerated().map { ($1.service, $0) })
        let predecessors = { (service: String) in Set(graph.predecessors[position[service]!].map { graph.steps[$0].service }) }
        #expect(predecessors("platform-7") == Set((0..<20).map { "infra-\($0)" }))
        #expect(predecessors("app-1") == Set((0..<20).map { "platform-\($0)" } + ["app-0"]))
        #expect(predecessors("infra-3").isEmpty)
    }

    @Test("2,000 services in three tiers journal as kilobytes, and a request journaled with spelled-out edges still reads")
    func compactJournal() throws {
        let request = Self.request(perTier: 667)
        let encoded = try JSONEncoder().encode(request)
        #expect(encoded.count < 200_000, "the request encodes to \(encoded.count) bytes")
        #expect(try JSONDecoder().decode(RolloutRequest.self, from: encoded) == request)
        // An older journal: no tiers, every edge listed.
        var old = Self.request(perTier: 3)
        let edges = try old.graph()
        old.dependencies = edges.predecessors.enumerated().flatMap { dependent, before in
            before.map { RolloutRequest.Dependency(service: edges.steps[dependent].service, dependsOn: edges.steps[$0].service) }
        }
        old.tiers = nil
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(old)) as! [String: Any]
        #expect(json["tiers"] == nil)
        json.removeValue(forKey: "tiers")
        let reread = try JSONDecoder().decode(RolloutRequest.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(try reread.graph().edgeCount == edges.edgeCount)
    }
}
