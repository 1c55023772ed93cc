import Foundation
import HomelabCore
import Testing

/// The pure parts of `homelab provision`: the plan (steps, what the journal says is done) and which placement
/// constraints a node satisfies.
@Suite("Provisioning: the plan and placement fit")
struct ProvisionPlanTests {
    static let node = Homelab.Node(name: "dhow", role: .worker, platform: .bareMetal, address: "192.0.2.22", labels: ["gpu": "true"], mac: "52:54:00:a1:00:22")
    static let homelab = Homelab(name: "lab", nodes: [node], tiers: ["base"], stacks: [])

    @Test("the plan runs machine, ssh, each setup step, join, labels, deploy; journaled successes are done, failures are not")
    func plan() {
        let fresh = ProvisionPlan(node: Self.node, homelab: Self.homelab)
        #expect(fresh.steps.map(\.id) == [
            "machine", "ssh", "setup:packages", "setup:docker-engine", "setup:sshd-hardening", "join", "labels", "deploy",
        ])
        #expect(!fresh.isPartlyDone && fresh.steps.allSatisfy { !$0.done })
        let now = Date()
        let journal = [
            ProvisionJournal.Entry(stepID: "machine", position: 0, status: .succeeded, detail: "wrote groups/dhow.json", payload: nil, updatedAt: now),
            ProvisionJournal.Entry(stepID: "ssh", position: 1, status: .succeeded, detail: nil, payload: nil, updatedAt: now),
            ProvisionJournal.Entry(stepID: "setup:packages", position: 2, status: .failed, detail: "apply exited 100", payload: nil, updatedAt: now),
        ]
        let resumed = ProvisionPlan(node: Self.node, homelab: Self.homelab, journal: journal)
        #expect(resumed.steps.filter(\.done).map(\.id) == ["machine", "ssh"])
        #expect(resumed.steps[0].previousDetail == "wrote groups/dhow.json")
        #expect(resumed.isPartlyDone)
    }

    @Test("constraints hold as swarmkit evaluates them", arguments: [
        (["node.labels.gpu==true"], true),
        (["node.labels.gpu == TRUE", "node.role==worker"], true),
        (["node.labels.gpu!=true"], false),
        (["node.labels.missing!=x"], true),
        (["node.labels.missing==x"], false),
        (["node.hostname==dhow", "node.platform.os==linux"], true),
        (["node.role==manager"], false),
        (["not a constraint"], false),
    ])
    func fit(constraints: [String], fits: Bool) {
        let node = Swarm.Node(
            id: "n1", spec: Swarm.NodeSpec(labels: ["gpu": "true"], role: .worker, availability: .active),
            description: Swarm.NodeDescription(hostname: "dhow", platform: Swarm.Platform(architecture: "x86_64", os: "linux")))
        #expect(PlacementFit.satisfies(constraints, node: node) == fits)
    }
}
