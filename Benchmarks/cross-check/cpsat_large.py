"""Solve dumped rollout-bench instances of any size with OR-tools CP-SAT and compare with ours.

Usage:
    swift run -c release --package-path Benchmarks rollout-bench --sizes 200 --filter c=1 --skip-timing --dump /tmp/dump
    /tmp/cpsat/bin/python Benchmarks/cross-check/cpsat_large.py SECONDS /tmp/dump/FILE.json ...

For each instance it prints our makespan, the lower bound of HomelabCore.LowerBound, and CP-SAT's best
schedule and proven bound after SECONDS (2 workers): where CP-SAT's proven bound reaches our makespan,
ours is optimal, and ours / bound is what the optimum itself costs. Not part of the build.
"""
import json
import sys

from cpsat_check import solve


def main():
    seconds = float(sys.argv[1])
    print("instance | ours | lower bound | CP-SAT best | CP-SAT proven bound | status | ours / CP-SAT bound | CP-SAT bound / lower bound")
    for path in sys.argv[2:]:
        instance = json.load(open(path))
        status, value, bound = solve(instance, seconds, workers=2, hint=instance["ours"])
        ours, lower = instance["ours"], instance["bound"]
        print(f"{path.split('/')[-1]} | {ours:.0f} | {lower:.0f} | {value:.0f} | {bound:.0f} | {status} | "
              f"{ours / bound:.3f} | {bound / lower:.3f}", flush=True)


if __name__ == "__main__":
    main()
