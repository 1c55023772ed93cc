import HomelabCore
import Testing

@Suite("Node maintenance planning: quorum, batches and pinned stateful services")
struct NodeMaintenancePlanTests {
    typealias F = MaintenanceFixture

    func plan(
        _ nodes: [Swarm.Node], _ requested: [String], services: [Swarm.Service] = [], inventory: [Homelab.Service] = [],
        options: NodeMaintenanceOptions = F.options()
    ) throws -> NodeMaintenancePlan {
        try NodeMaintenancePlan(
            nodes: nodes, services: services, homelab: F.homelab(nodes, services: inventory), requested: requested,
            options: options)
    }

    @Test(
        "(m-1)/2 managers may be unavailable at once",
        arguments: [(1, 0), (2, 0), (3, 1), (4, 1), (5, 2), (7, 3)])
    func tolerance(managers: Int, tolerated: Int) {
        #expect(ManagerQuorum(nodes: F.swarm(managers: managers)).tolerance == tolerated)
    }

    @Test("the only manager is refused without allowQuorumLoss, and goes alone with it")
    func singleManager() throws {
        let nodes = F.swarm(managers: 1)
        let error = #expect(throws: HomelabError.self) { try plan(nodes, ["m1"]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("only manager") == true)
        #expect(error?.message.contains("allowQuorumLoss") == true)
        let allowed = try plan(nodes, ["m1"], options: F.options(allowQuorumLoss: true))
        #expect(allowed.batches.map { $0.map(\.name) } == [["m1"]])
        #expect(allowed.losesQuorum)
    }

    @Test("3 managers: one at a time, the leader last")
    func threeManagers() throws {
        let result = try plan(F.swarm(managers: 3), ["m1", "m2", "m3"])
        #expect(result.managerBudget == 1)
        #expect(result.batches.map { $0.map(\.name) } == [["m2"], ["m3"], ["m1"]])
        #expect(!result.losesQuorum)
    }

    @Test("5 managers: two at a time; with one already down, one at a time")
    func fiveManagers() throws {
        let healthy = try plan(F.swarm(managers: 5), ["m1", "m2", "m3", "m4", "m5"])
        #expect(healthy.managerBudget == 2)
        #expect(healthy.batches.map { $0.map(\.name) } == [["m2", "m3"], ["m4", "m5"], ["m1"]])
        let degraded = try plan(F.swarm(managers: 5, down: ["m5"]), ["m2", "m3"])
        #expect(degraded.managerBudget == 1)
        #expect(degraded.batches.map { $0.map(\.name) } == [["m2"], ["m3"]])
    }

    @Test("3 managers with one down, drained or unreachable: any other manager is refused, naming the one already out")
    func managerAlreadyUnavailable() throws {
        let cases: [(Swarm.Node, String)] = [
            (F.node("m3", manager: true, state: .down), "down"),
            (F.node("m3", manager: true, availability: .drain), "drained"),
            (F.node("m3", manager: true, reachability: .unreachable), "unreachable"),
        ]
        for (third, why) in cases {
            let nodes = Array(F.swarm(managers: 2)) + [third]
            let error = #expect(throws: HomelabError.self) { try plan(nodes, ["m2"]) }
            #expect(error?.message.contains("2 of 3 managers unavailable") == true, "\(why)")
            #expect(error?.message.contains("m3 is already \(why)") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("at most 1") == true)
            // The manager that is already out may itself be maintained (finishing an earlier run).
            #expect(try plan(nodes, ["m3"]).batches.map { $0.map(\.name) } == [["m3"]])
            let forced = try plan(nodes, ["m2"], options: F.options(allowQuorumLoss: true))
            #expect(forced.losesQuorum)
        }
    }

    @Test("workers go first in batches of the worker budget, managers after them")
    func workerBudget() throws {
        let nodes = F.swarm(managers: 3, workers: ["w1", "w2", "w3"])
        let single = try plan(nodes, ["m2", "w1", "w2", "w3"])
        #expect(single.batches.map { $0.map(\.name) } == [["w1"], ["w2"], ["w3"], ["m2"]])
        let pairs = try plan(nodes, ["w3", "w1", "w2"], options: F.options(workerBudget: 2))
        #expect(pairs.batches.map { $0.map(\.name) } == [["w3", "w1"], ["w2"]])
        // Workers never touch the quorum: even a single-manager swarm maintains them without allowQuorumLoss.
        #expect(try plan(F.swarm(managers: 1, workers: ["w1"]), ["w1"]).batches.count == 1)
    }

    @Test("bad options, unknown nodes and nodes missing from the inventory are refused with what is wrong")
    func badRequests() throws {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        #expect(throws: HomelabError.self) { try plan(nodes, ["w1"], options: F.options("  ")) }
        #expect(throws: HomelabError.self) { try plan(nodes, ["w1"], options: F.options(workerBudget: 0)) }
        #expect(throws: HomelabError.self) { try plan(nodes, []) }
        let unknown = #expect(throws: HomelabError.self) { try plan(nodes, ["w9"]) }
        #expect(unknown?.code == .notFound)
        #expect(unknown?.message.contains("m1, m2, m3, w1") == true)
        let missing = #expect(throws: HomelabError.self) {
            try NodeMaintenancePlan(
                nodes: nodes + [F.node("w2")], services: [], homelab: F.homelab(nodes), requested: ["w2"],
                options: F.options())
        }
        #expect(missing?.code == .invalidConfiguration)
        #expect(missing?.message.contains("not in the inventory") == true)
        // Names compare case-insensitively, duplicates collapse.
        #expect(try plan(nodes, ["W1", "w1"]).targets.map(\.name) == ["w1"])
    }

    @Test("pinned services come from the inventory (stateful + pinned) and from live hostname and ID constraints")
    func pinnedDetection() {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        let services = [
            F.service("media_plex", constraints: ["node.hostname == m1"]),
            F.service("metrics_prometheus", constraints: ["node.id==id-m1", "node.platform.os==linux"]),
            F.service("apps_web", constraints: ["node.role==worker"]),
            F.service("apps_other", constraints: ["node.hostname!=m1"]),
            F.service("apps_paused", constraints: ["node.hostname==m1"], replicas: 0),
            F.service("apps_cache", constraints: ["node.hostname==W1"]),
        ]
        let inventory = [
            Homelab.Service(name: "sonarr", stack: "media", tier: "apps", isStateful: true, pinnedNode: "m1"),
            Homelab.Service(name: "plex", stack: "media", tier: "apps", isStateful: true, pinnedNode: "m1"),
            Homelab.Service(name: "floating", stack: "apps", tier: "apps", isStateful: false, pinnedNode: "m2"),
        ]
        let found = PinnedServices.byNode(
            nodes: nodes, services: services, homelab: F.homelab(nodes, services: inventory))
        #expect(found["m1"]?.map(\.name) == ["media_plex", "media_sonarr", "metrics_prometheus"])
        let plex = found["m1"]?.first { $0.name == "media_plex" }
        #expect(plex?.reasons == ["stateful, pinned to m1 in the inventory", "constraint node.hostname==m1"])
        #expect(found["w1"]?.map(\.name) == ["apps_cache"])
        #expect(found["m2"] == nil)
    }

    @Test("draining a node with pinned stateful services is refused without confirmation, naming them")
    func statefulRefusal() throws {
        let nodes = F.swarm(managers: 3, workers: ["w1"])
        let services = [F.service("media_plex", constraints: ["node.hostname==m2"])]
        let inventory = [Homelab.Service(name: "sonarr", stack: "media", tier: "apps", isStateful: true, pinnedNode: "m2")]
        let error = #expect(throws: HomelabError.self) {
            try plan(nodes, ["w1", "m2"], services: services, inventory: inventory)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("m2 (holds media_plex, media_sonarr)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("confirmStatefulDrain") == true)
        let confirmed = try plan(
            nodes, ["w1", "m2"], services: services, inventory: inventory, options: F.options(confirm: true))
        #expect(confirmed.targets.first { $0.name == "m2" }?.pinnedServices.count == 2)
        // Nodes without pinned services need no confirmation.
        #expect(try plan(nodes, ["w1"], services: services, inventory: inventory).targets.count == 1)
    }
}
