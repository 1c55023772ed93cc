/// Slots in use: the global budget and each budgeted node's.
struct SlotUsage: Sendable {
    private(set) var global = 0
    let budget: Int
    private(set) var node: [Int]
    let nodeBudget: [Int]

    init(model: RolloutModel) {
        budget = model.budget
        nodeBudget = model.nodeBudget
        node = [Int](repeating: 0, count: model.nodeBudget.count)
    }

    /// Whether one more step on `nodes` fits now.
    func fits(_ nodes: [Int]) -> Bool {
        if global >= budget { return false }
        for n in nodes where node[n] >= nodeBudget[n] { return false }
        return true
    }

    mutating func take(_ nodes: [Int]) {
        global += 1
        for n in nodes { node[n] += 1 }
    }

    mutating func release(_ nodes: [Int]) {
        global -= 1
        for n in nodes { node[n] -= 1 }
    }
}

/// A binary heap of steps by priority key: the highest key first, then the lowest index.
struct PriorityHeap: Sendable {
    private(set) var keys: [Double] = []
    private(set) var steps: [Int] = []

    var isEmpty: Bool { steps.isEmpty }
    var count: Int { steps.count }

    @inline(__always)
    private func before(_ a: Int, _ b: Int) -> Bool {
        keys[a] > keys[b] || (keys[a] == keys[b] && steps[a] < steps[b])
    }

    /// The best entry's key and step.
    var top: (key: Double, step: Int)? { steps.isEmpty ? nil : (keys[0], steps[0]) }

    mutating func push(_ step: Int, key: Double) {
        keys.append(key)
        steps.append(step)
        var child = steps.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if !before(child, parent) { break }
            keys.swapAt(parent, child)
            steps.swapAt(parent, child)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> Int? {
        guard let first = steps.first else { return nil }
        let lastKey = keys.removeLast()
        let lastStep = steps.removeLast()
        if steps.isEmpty { return first }
        keys[0] = lastKey
        steps[0] = lastStep
        var parent = 0
        let count = steps.count
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            let right = left + 1
            let child = right < count && before(right, left) ? right : left
            if !before(child, parent) { break }
            keys.swapAt(parent, child)
            steps.swapAt(parent, child)
            parent = child
        }
        return first
    }
}

/// Steps that may start (all dependencies done), one priority heap per node group, so the best
/// step that fits is found without scanning steps whose nodes are full.
struct ReadyQueues: Sendable {
    private var heaps: [PriorityHeap]
    private let groupNodes: [[Int]]
    private(set) var count = 0

    init(model: RolloutModel) {
        groupNodes = model.groupNodes
        heaps = [PriorityHeap](repeating: PriorityHeap(), count: model.groupNodes.count)
    }

    mutating func push(_ step: Int, key: Double, group: Int) {
        heaps[group].push(step, key: key)
        count += 1
    }

    /// Removes and returns the best-priority step that fits `usage`, or `nil` when none fits.
    mutating func popBestFitting(_ usage: SlotUsage) -> Int? {
        if count == 0 || usage.global >= usage.budget { return nil }
        var bestGroup = -1
        var bestKey = 0.0
        var bestStep = 0
        for g in heaps.indices {
            guard let top = heaps[g].top else { continue }
            if bestGroup >= 0 && !(top.key > bestKey || (top.key == bestKey && top.step < bestStep)) { continue }
            if !usage.fits(groupNodes[g]) { continue }
            bestGroup = g
            bestKey = top.key
            bestStep = top.step
        }
        if bestGroup < 0 { return nil }
        count -= 1
        return heaps[bestGroup].pop()
    }

    /// Every queued step, in no particular order.
    var allSteps: [Int] { heaps.flatMap(\.steps) }
}

/// Running steps by finish time (earliest first, then lowest index): a ``PriorityHeap`` keyed by the negated
/// time (negation is exact, so the order and the ties are the same).
struct FinishHeap: Sendable {
    private var heap = PriorityHeap()

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var first: (time: Double, step: Int)? { heap.top.map { (-$0.key, $0.step) } }

    mutating func push(_ step: Int, at time: Double) { heap.push(step, key: -time) }

    mutating func pop() -> (time: Double, step: Int)? {
        guard let first else { return nil }
        heap.pop()
        return first
    }
}
