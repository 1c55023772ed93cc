/// Depth-first branch and bound over schedules of a small rollout (at most 64 steps).
///
/// A branch appends one step to a list and starts it at the earliest time, not before the
/// previous step's start, when its dependencies are done and its slots are free. Lists are
/// kept in canonical order (start time, then index), so each schedule is met once, and every
/// active schedule, hence an optimal one, is reachable. In `nonDelay` mode a step may only start
/// at the earliest time any ready step fits: those are exactly the schedules a list scheduler
/// (and so the rollout runner) can produce. Subtrees are pruned with heads, tails and the
/// capacity left on the global and node budgets.
struct BranchAndBound {
    enum Mode: Sendable { case nonDelay, active }

    struct Outcome: Sendable {
        /// Start time of each step in the best schedule found.
        var start: [Double]
        var makespan: Double
        /// The whole tree was searched: no schedule of the mode beats `makespan`.
        var proven: Bool
        /// A proven lower bound on the best makespan of the mode (`makespan` when proven).
        var bound: Double
        var nodes: Int
    }

    struct Limit: Sendable {
        var deadline: ContinuousClock.Instant?
        var maxNodes: Int?
    }

    private struct Child { var step: Int; var time: Double; var bound: Double }
    private struct Frame { var children: [Child]; var cursor: Int; var via: Int }

    private let model: RolloutModel
    private let mode: Mode
    private let tail: [Double]
    private let rank: [Double]
    private let predMask: [UInt64]
    private let full: UInt64
    private var start: [Double]
    private var finish: [Double]
    private var mask: UInt64 = 0
    private var best: Double
    private var bestStart: [Double]

    /// A search seeded with a feasible schedule (`start` times; in `nonDelay` mode it must be a
    /// list schedule). Requires `model.count <= 64`.
    init(model: RolloutModel, mode: Mode, incumbent: [Double]) {
        self.model = model
        self.mode = mode
        tail = model.tails()
        rank = zip(tail, model.duration).map(+)
        predMask = model.predecessors.map { preds in preds.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) } }
        full = model.count == 64 ? ~0 : (UInt64(1) << UInt64(model.count)) - 1
        start = [Double](repeating: 0, count: model.count)
        finish = start
        bestStart = incumbent
        best = zip(incumbent, model.duration).map(+).max() ?? 0
    }

    private func improves(_ bound: Double) -> Bool { bound < best - 1e-9 * max(1, best) }

    /// Searches until the tree is exhausted or the limit is hit.
    mutating func run(limit: Limit, rootBound: Double) -> Outcome {
        var nodes = 0
        if model.count == 0 || !improves(rootBound) {
            return Outcome(start: bestStart, makespan: best, proven: true, bound: best, nodes: 0)
        }
        var stack = [Frame(children: expand(after: 0, last: -1), cursor: 0, via: -1)]
        while !stack.isEmpty {
            let top = stack.count - 1
            if stack[top].cursor >= stack[top].children.count || !improves(stack[top].children[stack[top].cursor].bound) {
                let via = stack[top].via
                stack.removeLast()
                if via >= 0 { mask &= ~(UInt64(1) << UInt64(via)) }
                continue
            }
            let child = stack[top].children[stack[top].cursor]
            stack[top].cursor += 1
            nodes += 1
            apply(child.step, at: child.time)
            if mask == full {
                let makespan = finish.max() ?? 0
                if makespan < best {
                    best = makespan
                    bestStart = start
                }
                mask &= ~(UInt64(1) << UInt64(child.step))
            } else {
                stack.append(Frame(children: expand(after: child.time, last: child.step), cursor: 0, via: child.step))
            }
            if limitHit(limit, nodes: nodes) {
                var open = best
                for frame in stack where frame.cursor < frame.children.count {
                    open = min(open, frame.children[frame.cursor].bound)
                }
                let bound = min(best, max(open, rootBound))
                return Outcome(start: bestStart, makespan: best, proven: !improves(bound), bound: bound, nodes: nodes)
            }
        }
        return Outcome(start: bestStart, makespan: best, proven: true, bound: best, nodes: nodes)
    }

    private func limitHit(_ limit: Limit, nodes: Int) -> Bool {
        if let maxNodes = limit.maxNodes, nodes >= maxNodes { return true }
        if let deadline = limit.deadline, nodes & 255 == 0, ContinuousClock.now >= deadline { return true }
        return false
    }

    private mutating func apply(_ step: Int, at time: Double) {
        start[step] = time
        finish[step] = time + model.duration[step]
        mask |= UInt64(1) << UInt64(step)
    }

    private func scheduled(_ i: Int) -> Bool { mask & (UInt64(1) << UInt64(i)) != 0 }

    /// The children of the current partial schedule whose last step started at `t0`.
    private mutating func expand(after t0: Double, last: Int) -> [Child] {
        var running: [Int] = []
        for i in 0..<model.count where scheduled(i) && finish[i] > t0 { running.append(i) }
        running.sort { finish[$0] < finish[$1] }
        var candidates: [(step: Int, time: Double)] = []
        for j in 0..<model.count where !scheduled(j) && predMask[j] & ~mask == 0 {
            var ready = t0
            for p in model.predecessors[j] { ready = max(ready, finish[p]) }
            candidates.append((j, earliest(j, from: ready, running: running)))
        }
        var allowed: [(step: Int, time: Double)] = []
        switch mode {
        case .nonDelay:
            let first = candidates.map(\.time).min() ?? t0
            allowed = candidates.filter { $0.time == first && (first > t0 || $0.step > last) }
        case .active:
            for candidate in candidates where candidate.time > t0 || candidate.step > last {
                // A step that could run and finish entirely before this one starts belongs before it.
                let dominated = candidates.contains { other in
                    other.step != candidate.step && model.duration[other.step] > 0
                        && other.time + model.duration[other.step] <= candidate.time
                }
                if !dominated { allowed.append(candidate) }
            }
        }
        var children: [Child] = []
        children.reserveCapacity(allowed.count)
        for candidate in allowed {
            apply(candidate.step, at: candidate.time)
            let bound = self.bound(from: candidate.time)
            mask &= ~(UInt64(1) << UInt64(candidate.step))
            if improves(bound) { children.append(Child(step: candidate.step, time: candidate.time, bound: bound)) }
        }
        children.sort { a, b in
            if a.bound != b.bound { return a.bound < b.bound }
            if a.time != b.time { return a.time < b.time }
            return rank[a.step] > rank[b.step]
        }
        return children
    }

    /// The earliest time at or after `ready` when step `j` fits beside the running steps (which
    /// all started before; their usage only falls as time goes on).
    private func earliest(_ j: Int, from ready: Double, running: [Int]) -> Double {
        var time = ready
        let nodes = model.nodesOf[j]
        while true {
            var global = 0
            var fits = true
            var nextFree = Double.infinity
            for i in running where finish[i] > time {
                global += 1
                nextFree = min(nextFree, finish[i])
            }
            if global >= model.budget { fits = false }
            if fits {
                for n in nodes {
                    var used = 0
                    for i in running where finish[i] > time && model.nodesOf[i].contains(n) { used += 1 }
                    if used >= model.nodeBudget[n] { fits = false; break }
                }
            }
            if fits || nextFree == .infinity { return time }
            time = nextFree
        }
    }

    /// A lower bound on every completion of the current partial schedule in which no further
    /// step starts before `t0`.
    private func bound(from t0: Double) -> Double {
        var est = [Double](repeating: 0, count: model.count)
        var result = 0.0
        for i in 0..<model.count where scheduled(i) { result = max(result, finish[i]) }
        var unscheduled: [Int] = []
        for u in 0..<model.count where !scheduled(u) {
            var e = t0
            for p in model.predecessors[u] { e = max(e, scheduled(p) ? finish[p] : est[p] + model.duration[p]) }
            est[u] = e
            result = max(result, e + model.duration[u] + tail[u])
            unscheduled.append(u)
        }
        if !improves(result) { return result }
        var releases: [Double] = []
        for i in 0..<model.count where scheduled(i) && finish[i] > t0 { releases.append(finish[i]) }
        releases.sort()
        result = max(result, capacityBound(unscheduled, est: est, capacity: model.budget, releases: releases))
        var nodeItems = [[Int]](repeating: [], count: model.nodeBudget.count)
        for u in unscheduled { for n in model.nodesOf[u] { nodeItems[n].append(u) } }
        for node in 0..<model.nodeBudget.count {
            let items = nodeItems[node]
            if items.isEmpty || !improves(result) { continue }
            var nodeReleases: [Double] = []
            for i in 0..<model.count where scheduled(i) && finish[i] > t0 && model.nodesOf[i].contains(node) {
                nodeReleases.append(finish[i])
            }
            nodeReleases.sort()
            result = max(result, capacityBound(items, est: est, capacity: model.nodeBudget[node], releases: nodeReleases))
        }
        return result
    }

    /// Carlier-style bounds on one budget: for subsets of `items` cut by tail and by head, the
    /// earliest head, plus the time the free capacity needs to absorb their work, plus the
    /// shortest tail.
    private func capacityBound(_ items: [Int], est: [Double], capacity: Int, releases: [Double]) -> Double {
        var result = 0.0
        let firstHead = items.map { est[$0] }.min() ?? 0
        var work = 0.0
        for (k, i) in items.sorted(by: { tail[$0] > tail[$1] }).enumerated() {
            work += model.duration[i]
            result = max(result, Self.fill(from: firstHead, work: work, width: k + 1, capacity: capacity, releases: releases) + tail[i])
        }
        let shortestTail = items.map { tail[$0] }.min() ?? 0
        work = 0
        for (k, i) in items.sorted(by: { est[$0] > est[$1] }).enumerated() {
            work += model.duration[i]
            result = max(result, Self.fill(from: est[i], work: work, width: k + 1, capacity: capacity, releases: releases) + shortestTail)
        }
        return result
    }

    /// The earliest time `work` can be done from `time` on, using at most `width` slots of
    /// `capacity`, while slots held by running steps come free at `releases` (sorted).
    static func fill(from time: Double, work: Double, width: Int, capacity: Int, releases: [Double]) -> Double {
        var now = time
        var remaining = work
        var index = 0
        while index < releases.count && releases[index] <= now { index += 1 }
        var busy = releases.count - index
        while remaining > 0 {
            let rate = Double(max(0, min(capacity - busy, width)))
            guard index < releases.count else { return now + remaining / rate }
            let span = releases[index] - now
            if rate > 0 && rate * span >= remaining { return now + remaining / rate }
            remaining -= rate * span
            now = releases[index]
            index += 1
            busy -= 1
        }
        return now
    }
}
