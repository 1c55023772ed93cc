/// Local search over priority orders, guided by the waits on a schedule's critical chain.
///
/// Walking back from the step that finishes last, every step either started as soon as its
/// dependencies were done or waited for a slot. Half the moves take one step that waited and put
/// it ahead of a step that took the slot it needed while it waited; the other half shift a random
/// step a little in the order. The new order is list-scheduled again and kept when it is no
/// worse than the current one, or worse by less than a threshold that shrinks to zero over the
/// run (threshold accepting); the best schedule seen is returned. Deterministic for a seed.
enum ScheduleImprovement {
    static func improve(_ model: RolloutModel, from initial: ListSchedule, iterations: Int, floor: Double,
                        deadline: ContinuousClock.Instant?, random: inout SeededRandom) -> ListSchedule {
        var best = initial
        var current = initial
        var stale = 0
        for iteration in 0..<iterations {
            if best.makespan <= floor * (1 + 1e-9) { break }
            if let deadline, iteration & 15 == 15, ContinuousClock.now >= deadline { break }
            var order = current.order
            if random.unit() < 0.5 {
                let from = Int(random.next() % UInt64(model.count))
                let span = max(1, model.count / 10)
                let to = max(0, min(model.count - 1, from + Int(random.next() % UInt64(2 * span + 1)) - span))
                let step = order.remove(at: from)
                order.insert(step, at: to)
            } else {
                guard moveWaitingStep(model, current, &order, &random) else { continue }
            }
            let threshold = 0.01 * Double(iterations - iteration) / Double(iterations)
            var candidate = ListSchedule(model: model, key: ListSchedule.keys(following: order, count: model.count))
            if stale > 8 {
                candidate = SchedulingPriorities.justified(model, from: candidate)
                stale = 0
            }
            if candidate.makespan <= current.makespan * (1 + threshold * random.unit()) {
                stale = candidate.makespan < current.makespan ? 0 : stale + 1
                current = candidate
                if candidate.makespan < best.makespan { best = candidate }
            } else {
                stale += 1
            }
        }
        return best
    }

    /// Moves one waiting step of the critical chain ahead of a step that took its slot.
    /// Returns false when the chain has no waits (then no order can do better along it).
    private static func moveWaitingStep(_ model: RolloutModel, _ schedule: ListSchedule, _ order: inout [Int],
                                        _ random: inout SeededRandom) -> Bool {
        let count = model.count
        guard count > 1 else { return false }
        var last = 0
        for i in 0..<count where schedule.finish(i, model) > schedule.finish(last, model) { last = i }
        var waits: [(step: Int, ready: Double)] = []
        var step = last
        while true {
            var ready = 0.0
            var cause = -1
            for p in model.predecessors[step] where schedule.finish(p, model) >= ready {
                ready = schedule.finish(p, model)
                cause = p
            }
            if ready < schedule.start[step] { waits.append((step, ready)) }
            if cause < 0 { break }
            step = cause
        }
        guard !waits.isEmpty else { return false }
        let (waiting, ready) = waits[Int(random.next() % UInt64(waits.count))]
        let start = schedule.start[waiting]
        let nodes = model.nodesOf[waiting]
        // Steps that started while it waited, preferring those on one of its nodes.
        var rivals: [Int] = []
        var sameNode: [Int] = []
        for i in 0..<count where i != waiting && schedule.start[i] >= ready && schedule.start[i] < start {
            rivals.append(i)
            if model.nodesOf[i].contains(where: nodes.contains) { sameNode.append(i) }
        }
        let pool = sameNode.isEmpty ? rivals : sameNode
        guard !pool.isEmpty else { return false }
        let rival = pool[Int(random.next() % UInt64(pool.count))]
        guard let from = order.firstIndex(of: waiting), let to = order.firstIndex(of: rival), to < from else {
            return true
        }
        order.remove(at: from)
        order.insert(waiting, at: to)
        return true
    }
}
