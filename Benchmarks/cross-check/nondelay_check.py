"""Is an optimum out of the runner's reach? Run CP-SAT's best schedule's start order as the runner runs an
order: a non-delay list schedule (no budget slot idles while a ready step fits), and compare.

Usage:
    /tmp/cpsat/bin/python Benchmarks/cross-check/nondelay_check.py SECONDS /tmp/dump/FILE.json ...

Prints our makespan, CP-SAT's best, and that schedule's order run non-delay. When the last is worse than
ours, the optimum needs slots held idle on purpose, which the runner never does (issue 5, point 4).
"""
import heapq
import json
import sys

from cpsat_check import solve


def non_delay(instance, key):
    """The makespan of the non-delay list schedule that starts ready steps in `key` order."""
    steps = {name: (node, duration, set(dependencies)) for name, node, duration, dependencies in instance["steps"]}
    successors = {name: [] for name in steps}
    waiting = {name: len(dependencies) for name, (_, _, dependencies) in steps.items()}
    for name, (_, _, dependencies) in steps.items():
        for other in dependencies:
            successors[other].append(name)
    budget, node_budget = instance["budget"], instance["node"] or len(steps)
    ready = [name for name in steps if waiting[name] == 0]
    running, used, per_node, now, done = [], 0, {}, 0, 0
    while done < len(steps):
        ready.sort(key=lambda name: key[name])
        for name in list(ready):
            node = steps[name][0]
            if used < budget and per_node.get(node, 0) < node_budget:
                ready.remove(name)
                used += 1
                per_node[node] = per_node.get(node, 0) + 1
                heapq.heappush(running, (now + steps[name][1], name))
        now, name = heapq.heappop(running)
        finished = [name]
        while running and running[0][0] == now:
            finished.append(heapq.heappop(running)[1])
        for name in finished:
            used -= 1
            per_node[steps[name][0]] -= 1
            done += 1
            for successor in successors[name]:
                waiting[successor] -= 1
                if waiting[successor] == 0:
                    ready.append(successor)
    return now


def main():
    seconds = float(sys.argv[1])
    print("instance | ours | CP-SAT best | its order run non-delay")
    for path in sys.argv[2:]:
        instance = json.load(open(path))
        starts = {}
        _, value, _ = solve(instance, seconds, workers=2, starts=starts)
        print(f"{path.split('/')[-1]} | {instance['ours']:.0f} | {value:.0f} | {non_delay(instance, starts)}", flush=True)


if __name__ == "__main__":
    main()
