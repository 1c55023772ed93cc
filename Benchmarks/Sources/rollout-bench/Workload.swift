import Foundation
import HomelabCore

/// A benchmark instance: steps, dependencies, limits.
struct Workload {
    var graph: RolloutGraph
    var limits: RolloutLimits
}

/// The fixed, seeded workload families of the benchmark.
enum WorkloadFamily {
    /// A layered DAG of `count` services.
    ///
    /// - `round(√count)` layers (at least 3) of near-equal size;
    /// - every service past the first layer depends on 1–3 services of the layer below (uniform)
    ///   and, with probability 1/4, on one more service of any lower layer;
    /// - estimates lognormal: `max(1 s, round(60 s · exp(σ·N(0,1))))`;
    /// - each service on one node, uniform over `nodes`;
    /// - ids are a random permutation, so their alphabetical order (what the baselines follow)
    ///   says nothing about the layers.
    static func layered(count: Int, sigma: Double, nodes: Int, seed: UInt64) throws -> RolloutGraph {
        var random = SeededRandom(seed: seed)
        let layerCount = max(3, Int((Double(count).squareRoot()).rounded()))
        var layerOf: [Int] = []
        for i in 0..<count { layerOf.append(i * layerCount / count) }
        var layers = [[Int]](repeating: [], count: layerCount)
        for (i, layer) in layerOf.enumerated() { layers[layer].append(i) }
        var names = (0..<count).map { String(format: "svc-%05d", $0) }
        names.shuffle(using: &random)
        var steps: [RolloutStep] = []
        var dependsOn: [String: [String]] = [:]
        for i in 0..<count {
            let z = normal(&random)
            let seconds = max(1, (60 * exp(sigma * z)).rounded())
            let node = "node-\(Int(random.next() % UInt64(nodes)))"
            steps.append(RolloutStep(service: names[i], nodes: [node], estimate: .seconds(seconds)))
            let layer = layerOf[i]
            guard layer > 0 else { continue }
            let below = layers[layer - 1]
            let wanted = min(below.count, 1 + Int(random.next() % 3))
            var chosen = Set<Int>()
            while chosen.count < wanted { chosen.insert(below[Int(random.next() % UInt64(below.count))]) }
            if layer > 1 && random.unit() < 0.25 {
                let earlier = layers[Int(random.next() % UInt64(layer - 1))]
                chosen.insert(earlier[Int(random.next() % UInt64(earlier.count))])
            }
            dependsOn[names[i]] = chosen.sorted().map { names[$0] }
        }
        return try RolloutGraph(steps: steps, dependsOn: dependsOn)
    }

    /// A standard normal sample (Box–Muller).
    static func normal(_ random: inout SeededRandom) -> Double {
        let u1 = max(random.unit(), 1e-300)
        let u2 = random.unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
