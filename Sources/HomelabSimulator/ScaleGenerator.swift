import Foundation
import HomelabCore

/// Generates a large homelab for benchmarks (`homelab-sim --scale nodes=100,services=2000`): three managers
/// (the first one the leader with ZFS storage), bare-metal workers, and services in stacks of twenty across
/// the three tiers, some pinned and stateful, some global, with short dependency chains inside each stack.
public enum ScaleGenerator {
    /// How big a homelab to make.
    public struct Size: Sendable, Hashable {
        /// Swarm nodes (at least 1).
        public var nodes: Int
        /// Services (at least 1).
        public var services: Int

        /// A size; both numbers at least 1.
        public init(nodes: Int, services: Int) {
            self.nodes = nodes
            self.services = services
        }

        /// Parses `nodes=100,services=2000` (either part may be omitted: 5 nodes, 30 services by default).
        /// - Throws: ``HomelabError/Code/invalidArgument`` for an unknown key or a number out of 1...100000.
        public init(parsing text: String) throws {
            var size = Size(nodes: 5, services: 30)
            for part in text.split(separator: ",") {
                let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pieces.count == 2, let number = Int(pieces[1]), (1...100_000).contains(number) else {
                    throw HomelabError(
                        .invalidArgument, "scale '\(part)' should read nodes=N or services=N with N in 1...100000", component: "simulator")
                }
                switch pieces[0] {
                case "nodes": size.nodes = number
                case "services": size.services = number
                default:
                    throw HomelabError(.invalidArgument, "unknown scale '\(pieces[0])' (expected nodes or services)", component: "simulator")
                }
            }
            self = size
        }
    }

    /// A homelab of `size` (deterministic: the same size gives the same homelab).
    public static func homelab(_ size: Size) -> Homelab {
        let nodeCount = max(1, size.nodes)
        let managerCount = nodeCount >= 3 ? 3 : 1
        let nodes = (0..<nodeCount).map { index -> Homelab.Node in
            let name = "node-\(pad(index + 1, nodeCount))"
            let manager = index < managerCount
            return Homelab.Node(
                name: name, role: manager ? .manager : .worker,
                platform: index == 0 ? .truenas : manager ? .proxmoxVM : .bareMetal,
                address: "10.\(20 + index / 62_500).\(index / 250 % 250).\(index % 250 + 1)",
                labels: index == 0 ? ["storage": "zfs"] : [:], isLeader: index == 0)
        }
        let tiers = ["infrastructure", "platform", "application"]
        let serviceCount = max(1, size.services)
        let stackCount = (serviceCount + 19) / 20
        var stacks: [Homelab.Stack] = []
        for stackIndex in 0..<stackCount {
            let stackName = "stack-\(pad(stackIndex + 1, stackCount))"
            let tier = tiers[min(2, stackIndex * 3 / max(1, stackCount))]
            let range = (stackIndex * 20)..<min(serviceCount, stackIndex * 20 + 20)
            let services = range.map { number -> Homelab.Service in
                let name = "svc-\(pad(number + 1, serviceCount))"
                let stateful = number % 10 == 3
                let mode: Homelab.Service.Mode = number % 97 == 50 && !stateful ? .global : .replicated(stateful ? 1 : 1 + number % 3)
                let dependsOn = number % 5 != 0 && number > range.lowerBound ? ["svc-\(pad(number, serviceCount))"] : []
                return Homelab.Service(
                    name: name, stack: stackName, tier: tier, image: "registry.home.arpa/app-\(number % 50):1.\(number % 7)",
                    mode: mode, dependsOn: dependsOn, isStateful: stateful, pinnedNode: stateful ? nodes[0].name : nil)
            }
            stacks.append(Homelab.Stack(name: stackName, tier: tier, services: services))
        }
        return Homelab(name: "scale-\(nodeCount)x\(serviceCount)", nodes: nodes, tiers: tiers, stacks: stacks)
    }

    private static func pad(_ number: Int, _ largest: Int) -> String {
        let width = String(largest).count
        let text = String(number)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
