import Foundation
import HomelabCore

/// Renders a rollout plan for people (text), for documents (a Mermaid flowchart) and for scripts (JSON).
enum RolloutPlanRenderer {
    /// The dependency edges worth drawing: each step's direct predecessors that are not already implied by
    /// another of its predecessors (the transitive reduction), as `(from, to)` step indices.
    static func drawnEdges(_ graph: RolloutGraph) -> [(from: Int, to: Int)] {
        let count = graph.count
        let words = (count + 63) / 64
        // ancestors[v]: every step v waits for, directly or not. The graph's indices are a topological order.
        var ancestors = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: count)
        for v in 0..<count {
            for p in graph.predecessors[v] {
                ancestors[v][p / 64] |= 1 << UInt64(p % 64)
                for w in 0..<words { ancestors[v][w] |= ancestors[p][w] }
            }
        }
        var edges: [(from: Int, to: Int)] = []
        for v in 0..<count {
            let direct = graph.predecessors[v]
            for p in direct {
                let implied = direct.contains { q in q != p && ancestors[q][p / 64] & (1 << UInt64(p % 64)) != 0 }
                if !implied { edges.append((p, v)) }
            }
        }
        return edges.sorted { ($0.to, $0.from) < ($1.to, $1.from) }
    }

    /// `1m 05s`, `42s`, `1h 02m`.
    static func duration(_ value: Duration) -> String { seconds(value.seconds) }

    static func seconds(_ value: Double) -> String {
        let total = Int(value.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m \(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h \(String(format: "%02d", total % 3600 / 60))m"
    }

    /// The plan as text: the changes, the dependencies, the waves with predicted times, and the bound.
    static func text(_ plan: RolloutPlan, request: RolloutRequest, stacks: StackChanges?, historySamples: Set<String>) -> String {
        var lines: [String] = []
        let graph = plan.graph
        var header = "rollout plan: \(graph.count) step\(graph.count == 1 ? "" : "s"), budget \(request.budget)"
        if let nodeBudget = request.nodeBudget { header += ", node budget \(nodeBudget)" }
        lines.append(header)
        if let stacks {
            lines.append("")
            lines.append("changes from stack files:")
            for service in stacks.changed {
                lines.append("  \(service.name)")
                for field in service.fields { lines.append("    \(field)") }
            }
            if stacks.changed.isEmpty { lines.append("  (none: every service already matches its file)") }
            if !stacks.unchanged.isEmpty { lines.append("  unchanged: \(stacks.unchanged.joined(separator: ", "))") }
            if !stacks.notDeployed.isEmpty {
                lines.append("  not deployed, left to docker stack deploy: \(stacks.notDeployed.joined(separator: ", "))")
            }
        }
        lines.append("")
        lines.append("steps (estimate, nodes, waits for):")
        let edges = drawnEdges(graph)
        var waitsFor = [[Int]](repeating: [], count: graph.count)
        for edge in edges { waitsFor[edge.to].append(edge.from) }
        let width = graph.steps.map(\.id.count).max() ?? 0
        for (i, step) in graph.steps.enumerated() {
            let name = step.id.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "  \(name)  \(duration(step.estimate))\(historySamples.contains(step.id) ? " (history)" : "")"
            if !step.nodes.isEmpty { line += "  on \(step.nodes.joined(separator: ","))" }
            if !waitsFor[i].isEmpty { line += "  after \(waitsFor[i].map { graph.steps[$0].id }.joined(separator: ", "))" }
            lines.append(line)
        }
        lines.append("")
        let start = Dictionary(plan.schedule.map { ($0.id, $0.start) }, uniquingKeysWith: { a, _ in a })
        for (i, wave) in plan.waves.enumerated() {
            let at = wave.first.flatMap { start[$0] } ?? .zero
            lines.append("wave \(i + 1) at \(duration(at)): \(wave.joined(separator: " "))")
        }
        lines.append("order: \(plan.order.joined(separator: " "))")
        lines.append("")
        let bound = plan.lowerBound
        var terms = ["critical path \(duration(bound.criticalPath))", "work / budget \(duration(bound.workPerBudget))"]
        if let node = bound.nodes.max(by: { $0.value < $1.value }) { terms.append("node \(node.node) \(duration(node.value))") }
        lines.append(
            "predicted makespan \(duration(plan.makespan)); lower bound \(duration(bound.value)) (\(terms.joined(separator: ", "))); "
                + "ratio \(String(format: "%.2f", plan.ratioToLowerBound))\(plan.provenOptimal ? "; proven optimal for this budget" : "")")
        return lines.joined(separator: "\n")
    }

    /// The dependency graph as a Mermaid flowchart, steps grouped by wave, each labelled with its estimate.
    static func mermaid(_ plan: RolloutPlan) -> String {
        let graph = plan.graph
        var lines = ["flowchart LR"]
        let index = Dictionary(graph.steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (w, wave) in plan.waves.enumerated() {
            lines.append("  subgraph wave\(w + 1)[\"wave \(w + 1)\"]")
            for id in wave {
                guard let i = index[id] else { continue }
                let step = graph.steps[i]
                lines.append("    s\(i)[\"\(mermaidText(step.id))<br/>\(duration(step.estimate))\"]")
            }
            lines.append("  end")
        }
        for edge in drawnEdges(graph) { lines.append("  s\(edge.from) --> s\(edge.to)") }
        return lines.joined(separator: "\n")
    }

    /// Text safe inside a quoted Mermaid label.
    private static func mermaidText(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "<", with: "#lt;")
            .replacingOccurrences(of: ">", with: "#gt;")
    }

    /// The plan for scripts: `homelab rollout plan -o json|yaml` (the README's table).
    struct JSONPlan: Encodable {
        struct Step: Encodable {
            var service: String
            var estimate_seconds: Double
            var nodes: [String]
            var after: [String]
            var start_seconds: Double
            var end_seconds: Double
        }
        var order: [String]
        var waves: [[String]]
        var steps: [Step]
        var makespan_seconds: Double
        var lower_bound_seconds: Double
        var critical_path_seconds: Double
        var proven_optimal: Bool
        var not_deployed: [String]
        var field_changes: [String: [String]]
    }

    static func document(_ plan: RolloutPlan, stacks: StackChanges?) -> JSONPlan {
        let graph = plan.graph
        var waitsFor = [[String]](repeating: [], count: graph.count)
        for edge in drawnEdges(graph) { waitsFor[edge.to].append(graph.steps[edge.from].id) }
        let times = Dictionary(plan.schedule.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return JSONPlan(
            order: plan.order, waves: plan.waves,
            steps: graph.steps.enumerated().map { i, step in
                JSONPlan.Step(
                    service: step.id, estimate_seconds: step.estimate.seconds, nodes: step.nodes, after: waitsFor[i],
                    start_seconds: times[step.id]?.start.seconds ?? 0, end_seconds: times[step.id]?.end.seconds ?? 0)
            },
            makespan_seconds: plan.makespan.seconds, lower_bound_seconds: plan.lowerBound.value.seconds,
            critical_path_seconds: plan.lowerBound.criticalPath.seconds, proven_optimal: plan.provenOptimal,
            not_deployed: stacks?.notDeployed ?? [],
            field_changes: Dictionary(
                (stacks?.changed ?? []).map { ($0.name, $0.fields.map(\.description)) }, uniquingKeysWith: { a, _ in a }))
    }

    static func json(_ plan: RolloutPlan, stacks: StackChanges?) throws -> String {
        try StructuredOutput.encode(document(plan, stacks: stacks), as: .json)
    }
}
