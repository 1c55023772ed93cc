/// A non-delay list schedule: whenever a slot frees up, start the highest-priority ready steps
/// that fit, and never leave a slot idle while a ready step fits (Graham's list scheduling with
/// node budgets).
///
/// Run `reversed`, it schedules the mirrored problem (every dependency turned around), which the
/// forward–backward improvement uses to justify a schedule to the right.
struct ListSchedule: Sendable {
    /// Start time of each step, in seconds from the rollout's start.
    var start: [Double]
    /// The steps in the order they start (ties: the order they were picked).
    var order: [Int]
    /// The time the last step finishes.
    var makespan: Double

    /// Finish time of step `i` under `model`.
    func finish(_ i: Int, _ model: RolloutModel) -> Double { start[i] + model.duration[i] }

    /// Schedules `model` with static priorities `key` (higher first; ties: lower index first).
    /// Steps `only` rejects never start (their start stays 0).
    init(model: RolloutModel, key: [Double], reversed: Bool = false, only: ((Int) -> Bool)? = nil) {
        let count = model.count
        let before = reversed ? model.successors : model.predecessors
        let after = reversed ? model.predecessors : model.successors
        var waiting = before.map(\.count)
        var queues = ReadyQueues(model: model)
        var usage = SlotUsage(model: model)
        var running = FinishHeap()
        var start = [Double](repeating: 0, count: count)
        var order: [Int] = []
        order.reserveCapacity(count)
        for i in 0..<count where waiting[i] == 0 && only?(i) ?? true {
            queues.push(i, key: key[i], group: model.group[i])
        }
        var now = 0.0
        var makespan = 0.0
        while true {
            while let i = queues.popBestFitting(usage) {
                start[i] = now
                order.append(i)
                usage.take(model.nodesOf[i])
                let end = now + model.duration[i]
                makespan = max(makespan, end)
                running.push(i, at: end)
            }
            guard let done = running.pop() else { break }
            now = done.time
            var finished = done.step
            while true {
                usage.release(model.nodesOf[finished])
                for next in after[finished] {
                    waiting[next] -= 1
                    if waiting[next] == 0 && only?(next) ?? true {
                        queues.push(next, key: key[next], group: model.group[next])
                    }
                }
                guard let more = running.first, more.time == now, let popped = running.pop() else { break }
                finished = popped.step
            }
        }
        self.start = start
        self.order = order
        self.makespan = makespan
    }

    /// The priority keys that make a list schedule follow `order` (earlier = higher).
    static func keys(following order: [Int], count: Int) -> [Double] {
        var key = [Double](repeating: 0, count: count)
        for (position, step) in order.enumerated() { key[step] = Double(count - position) }
        return key
    }
}
