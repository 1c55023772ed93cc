import Foundation
import HomelabCore

// rollout-bench: the rolling-update scheduler against the lower bound, three baselines and (for
// 20 services) an exact branch and bound, on a fixed seeded suite; plus two CPU-time figures.
// Usage: swift run -c release --package-path Benchmarks rollout-bench [--quick]
//        [--ours-nodes N] [--exact-nodes N] [--sizes 20,200,2000] [--filter TEXT] [--moves N]
//        [--verbose] [--skip-timing] [--dump DIR] [--homelab-search NODES]

struct Options {
    var instances: [Int: Int] = [20: 10, 200: 20, 2000: 5]
    var oursNodes = 50_000
    var exactNodes = 300_000
    var sizes = [20, 200, 2000]
    var moves: Int?
    var filter: String?
    var skipTiming = false
    var verbose = false
    var dump: String?

    init(arguments: [String]) {
        var rest = arguments.dropFirst()
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": instances = [20: 5, 200: 5, 2000: 2]
            case "--ours-nodes": oursNodes = rest.popFirst().flatMap { Int($0) } ?? oursNodes
            case "--exact-nodes": exactNodes = rest.popFirst().flatMap { Int($0) } ?? exactNodes
            case "--moves": moves = rest.popFirst().flatMap { Int($0) }
            case "--filter": filter = rest.popFirst()
            case "--skip-timing": skipTiming = true
            case "--verbose": verbose = true
            case "--dump": dump = rest.popFirst()
            case "--homelab-search":
                let nodes = rest.popFirst().flatMap { Int($0) } ?? 1_000_000
                homelabSearch(nodes: nodes)
            case "--sizes": sizes = (rest.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
            default: print("unknown argument \(argument)")
            }
        }
    }
}

func homelabSearch(nodes: Int) {
    do {
        let homelab = try HomelabWorkload.workload()
        for mode in [OptimalOrderSearch.Mode.runnable, .anySchedule] {
            let (result, cpu) = try measureCPU {
                try OptimalOrderSearch.search(homelab.graph, limits: homelab.limits, mode: mode, maxNodes: nodes)
            }
            print("homelab \(mode): makespan \(result.makespan) proven \(result.provenOptimal) bound \(result.bound) nodes \(result.nodes) cpu \(cpu)")
        }
    } catch {
        print("error \(error)")
    }
}

struct ClassResult {
    var label: String
    var size: Int
    var instances = 0
    var ours = Summary()
    var allAtOnce = Summary()
    var violations = 0
    var tiers = Summary()
    var oneAtATime = Summary()
    var idleAllowed = Summary()
    var oursOverStronger = Summary()
    var optimumOverBound = Summary()
    var simulationMismatches = 0
    var oursRunnableProven = 0
    var exactProven = 0
    var oursOverOptimum = Summary()
    var oursOverBound = Summary()
    var oursOverExact = Summary()
    var exactNodes = 0
    var cpu = 0.0
}

let options = Options(arguments: CommandLine.arguments)
let scheduler20 = RolloutScheduler(exactSearchLimit: 30, searchTime: nil, searchNodes: options.oursNodes,
    improvementMoves: options.moves)
let schedulerLarge = RolloutScheduler(improvementMoves: options.moves)
var results: [ClassResult] = []
let totalStart = processCPUSeconds()

for size in options.sizes {
    let nodes = size >= 2000 ? 100 : 5
    let budgets = size >= 2000 ? [2, 4, 8, 64] : [2, 4, 8]
    for (sigmaIndex, sigma) in [0.5, 1.0].enumerated() {
        let count = options.instances[size] ?? 5
        let graphs = try (0..<count).map { instance in
            try WorkloadFamily.layered(count: size, sigma: sigma, nodes: nodes,
                seed: UInt64(size) << 32 | UInt64(sigmaIndex) << 16 | UInt64(instance))
        }
        for budget in budgets {
            for nodeBudget in [nil, 1, 2] as [Int?] {
                let label = "n=\(size) σ=\(sigma) P=\(budget) c=\(nodeBudget.map(String.init) ?? "–")"
                if let filter = options.filter, !label.contains(filter) { continue }
                var result = ClassResult(label: label, size: size)
                let classStart = processCPUSeconds()
                let limits = try RolloutLimits(budget: budget, nodeBudget: nodeBudget)
                for graph in graphs {
                    result.instances += 1
                    let bound = LowerBound(graph: graph, limits: limits).value.seconds
                    let plan = (size <= 30 ? scheduler20 : schedulerLarge).plan(graph, limits: limits)
                    let simulated = try RolloutSimulation.run(plan, configuration: .init(overdueFactor: nil))
                    let ours = simulated.makespan.seconds
                    if abs(ours - plan.makespan.seconds) > 1e-6 { result.simulationMismatches += 1 }
                    if plan.provenOptimal { result.oursRunnableProven += 1 }
                    result.ours.add(ours / bound)
                    if options.verbose {
                        let lb = plan.lowerBound
                        let node = lb.nodes.map(\.value.seconds).max() ?? 0
                        FileHandle.standardError.write(Data(String(format: "  %@: ours %.0f  CP %.0f  W/P %.0f  node %.0f  ratio %.3f\n",
                            label, ours, lb.criticalPath.seconds, lb.workPerBudget.seconds, node, ours / bound).utf8))
                    }
                    let all = RolloutBaselines.allAtOnce(graph, limits: limits)
                    result.allAtOnce.add(all.makespan.seconds / bound)
                    result.violations += all.dependencyViolations
                    result.tiers.add(RolloutBaselines.tierBarriers(graph, limits: limits).makespan.seconds / bound)
                    result.oneAtATime.add(RolloutBaselines.oneAtATime(graph).makespan.seconds / bound)
                    result.idleAllowed.add(Double(SerialReference.makespan(graph, limits: limits)) / bound)
                    let stronger = DisjunctiveBound.value(graph, limits: limits, upper: Int(ours.rounded()))
                    result.oursOverStronger.add(ours / max(bound, Double(stronger)))
                    var exactResult: (makespan: Double, proven: Bool)?
                    if size <= 30 {
                        let exact = try OptimalOrderSearch.search(graph, limits: limits, mode: .anySchedule,
                            maxNodes: options.exactNodes)
                        result.exactNodes += exact.nodes
                        exactResult = (exact.makespan.seconds, exact.provenOptimal)
                        if exact.provenOptimal {
                            result.exactProven += 1
                            result.oursOverOptimum.add(ours / exact.makespan.seconds)
                            result.oursOverExact.add(ours / exact.makespan.seconds)
                            result.optimumOverBound.add(exact.makespan.seconds / bound)
                        } else {
                            result.oursOverBound.add(ours / exact.bound.seconds)
                            result.oursOverExact.add(ours / exact.bound.seconds)
                        }
                    }
                    if let directory = options.dump {
                        // Every instance as JSON, for cross-checks with an outside solver (Benchmarks/cross-check).
                        let rows = graph.steps.enumerated().map { i, step in
                            "[\"\(step.id)\", \"\(step.nodes.first ?? "")\", \(Int(step.estimate.seconds)), ["
                                + graph.predecessors[i].map { "\"\(graph.steps[$0].id)\"" }.joined(separator: ",") + "]]"
                        }
                        let text = "{\"budget\": \(budget), \"node\": \(nodeBudget ?? 0), \"ours\": \(ours), \"bound\": \(bound), "
                            + "\"exact\": \(exactResult?.makespan ?? ours), \"proven\": \(exactResult?.proven ?? false), "
                            + "\"runnableProven\": \(plan.provenOptimal), \"steps\": [" + rows.joined(separator: ",") + "]}"
                        let name = "\(directory)/\(label.replacingOccurrences(of: " ", with: "_"))-\(result.instances).json"
                        try text.write(toFile: name, atomically: true, encoding: .utf8)
                    }
                }
                result.cpu = processCPUSeconds() - classStart
                results.append(result)
                FileHandle.standardError.write(Data(String(format: "%@  ours %@  (%.1f s)\n", label, result.ours.text, result.cpu).utf8))
            }
        }
    }
}

print("## Makespan / lower bound (mean / max per class)\n")
print("| class | inst | ours | all at once | violations/inst | tier barriers | one at a time | idle allowed (reference) | ours / stronger bound |")
print("|---|---|---|---|---|---|---|---|---|")
for r in results {
    print("| \(r.label) | \(r.instances) | \(r.ours.text) | \(r.allAtOnce.text) | "
        + String(format: "%.1f", Double(r.violations) / Double(max(1, r.instances)))
        + " | \(r.tiers.text) | \(r.oneAtATime.text) | \(r.idleAllowed.text) | \(r.oursOverStronger.text) |")
}
let small = results.filter { $0.size <= 30 }
if !small.isEmpty {
    print("\n## 20 services: ours against the exact branch and bound (\(options.exactNodes) nodes per instance)\n")
    print("| class | proven optimum | ours / optimum | unproven | ours / proven bound | ours proven best runnable | optimum / lower bound |")
    print("|---|---|---|---|---|---|---|")
    for r in small {
        print("| \(r.label) | \(r.exactProven) | \(r.oursOverOptimum.text) | \(r.instances - r.exactProven) | "
            + "\(r.oursOverBound.text) | \(r.oursRunnableProven)/\(r.instances) | \(r.optimumOverBound.text) |")
    }
}

print("\n## Summary\n")
var smallAll = Summary()
var smallOpt = Summary()
for r in small { smallAll.add(r.oursOverExact); smallOpt.add(r.oursOverOptimum) }
let proven = small.reduce(0) { $0 + $1.exactProven }
let smallInstances = small.reduce(0) { $0 + $1.instances }
if !small.isEmpty {
    print(String(format: "- 20 services, ours / (optimum or proven bound): mean %.4f, max %.4f over %d instances (%d proven optimum, %d bound only; target mean ≤ 1.02, max ≤ 1.05)",
        smallAll.mean, smallAll.max, smallInstances, proven, smallInstances - proven))
    print(String(format: "- 20 services, ours / proven optimum only: mean %.4f, max %.4f", smallOpt.mean, smallOpt.max))
}
for size in options.sizes where size > 30 {
    var all = Summary()
    var stronger = Summary()
    for r in results where r.size == size {
        all.add(r.ours)
        stronger.add(r.oursOverStronger)
    }
    print(String(format: "- %d services, ours / lower bound: mean %.4f, max %.4f over %d instances (target mean ≤ 1.02, max ≤ 1.10); ours / stronger bound: mean %.4f, max %.4f",
        size, all.mean, all.max, all.count, stronger.mean, stronger.max))
}
let mismatches = results.reduce(0) { $0 + $1.simulationMismatches }
print("- state-machine simulations that differ from the plan's prediction: \(mismatches)")

// CPU time: plan and simulate 10,000 services.
if !options.skipTiming {
    let graph = try WorkloadFamily.layered(count: 10_000, sigma: 0.5, nodes: 100, seed: 10_000)
    let steps = graph.steps
    var dependsOn: [String: [String]] = [:]
    for (i, preds) in graph.predecessors.enumerated() where !preds.isEmpty {
        dependsOn[steps[i].id] = preds.map { steps[$0].id }
    }
    let limits = try RolloutLimits(budget: 64, nodeBudget: 2)
    let (rebuilt, buildCPU) = try measureCPU { try RolloutGraph(steps: steps, dependsOn: dependsOn) }
    let (plan, planCPU) = measureCPU { schedulerLarge.plan(rebuilt, limits: limits) }
    let (simulated, simulateCPU) = try measureCPU { try RolloutSimulation.run(plan, configuration: .init(overdueFactor: nil)) }
    print(String(format: "- 10,000 services (%d edges, 100 nodes, P=64, c=2): CPU %.0f ms = graph %.0f + plan %.0f + simulate %.0f (target < 200 ms); makespan / lower bound %.4f",
        rebuilt.edgeCount, (buildCPU + planCPU + simulateCPU) * 1000, buildCPU * 1000, planCPU * 1000, simulateCPU * 1000,
        simulated.makespan.seconds / plan.lowerBound.value.seconds))
}

// CPU time: plan the 30-service homelab (list scheduling and local search, then the search for
// up to 1 s of wall-clock time, as the default scheduler does).
if !options.skipTiming {
    let homelab = try HomelabWorkload.workload()
    let (quick, quickCPU) = measureCPU { RolloutScheduler(exactSearchLimit: 0).plan(homelab.graph, limits: homelab.limits) }
    let (plan, cpu) = measureCPU { RolloutScheduler().plan(homelab.graph, limits: homelab.limits) }
    print(String(format: "- 30-service homelab (P=4, c=2): %.0f s found in %.0f ms CPU by list scheduling and local search; the default plan (search for up to 1 s) took %.0f ms CPU, makespan %.0f s, optimality %@ (lower bound %.0f s, best proven bound %.0f s)",
        quick.makespan.seconds, quickCPU * 1000, cpu * 1000, plan.makespan.seconds,
        plan.provenOptimal ? "proven" : "not proven", plan.lowerBound.value.seconds, plan.provenBound.seconds))
}
print(String(format: "- total benchmark CPU: %.0f s", processCPUSeconds() - totalStart))
