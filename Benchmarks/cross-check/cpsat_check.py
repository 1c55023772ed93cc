"""Cross-check rollout-bench's exact branch and bound against OR-tools CP-SAT.

Usage:
    swift run -c release --package-path Benchmarks rollout-bench --sizes 20 --skip-timing --dump /tmp/dump
    python3 -m venv /tmp/cpsat && /tmp/cpsat/bin/pip install ortools
    /tmp/cpsat/bin/python Benchmarks/cross-check/cpsat_check.py '/tmp/dump/*.json'

Each dumped instance holds its steps (id, node, whole-second estimate, dependencies), budgets, our
makespan and the branch and bound's result. CP-SAT solves the same model (precedences, one
cumulative per budget) for up to 10 s per instance. A proven optimum is contradicted if CP-SAT
finds a better schedule or proves a different optimum. Not part of the build: ortools is only
needed for this check.
"""
import glob
import json
import sys

from ortools.sat.python import cp_model


def solve(instance, seconds=30.0, workers=1, hint=None, starts=None):
    """CP-SAT on one instance: (status name, best makespan, proven bound). With a dict as `starts`, it
    receives each step's start in the best schedule found."""
    steps = instance["steps"]
    horizon = sum(duration for _, _, duration, _ in steps)
    model = cp_model.CpModel()
    start, end, interval = {}, {}, {}
    for name, _, duration, _ in steps:
        start[name] = model.NewIntVar(0, horizon, "")
        end[name] = model.NewIntVar(0, horizon, "")
        interval[name] = model.NewIntervalVar(start[name], duration, end[name], "")
    for name, _, _, dependencies in steps:
        for other in dependencies:
            model.Add(start[name] >= end[other])
    model.AddCumulative([interval[name] for name, _, _, _ in steps], [1] * len(steps), instance["budget"])
    if instance["node"] > 0:
        for node in {node for _, node, _, _ in steps}:
            mine = [interval[name] for name, other, _, _ in steps if other == node]
            if instance["node"] == 1:
                model.AddNoOverlap(mine)  # the same constraint as a cumulative of 1, propagated more strongly
            else:
                model.AddCumulative(mine, [1] * len(mine), instance["node"])
    makespan = model.NewIntVar(0, horizon, "")
    model.AddMaxEquality(makespan, [end[name] for name, _, _, _ in steps])
    model.Minimize(makespan)
    if hint is not None:
        model.AddHint(makespan, int(hint))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.Solve(model)
    if starts is not None and status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        starts.update({name: solver.Value(start[name]) for name in start})
    return solver.StatusName(status), solver.ObjectiveValue(), solver.BestObjectiveBound()


def main(pattern, seconds=10.0):
    confirmed = consistent = contradicted = 0
    for path in sorted(glob.glob(pattern)):
        instance = json.load(open(path))
        status, value, _ = solve(instance, seconds)
        exact, proven = instance["exact"], instance["proven"]
        wrong = (proven and value < exact - 1e-6) or (status == "OPTIMAL" and value > exact + 1e-6) \
            or (proven and status == "OPTIMAL" and abs(value - exact) > 1e-6)
        if wrong:
            contradicted += 1
            print(f"CONTRADICTION {path}: CP-SAT {status} {value}, branch and bound {exact} proven={proven}")
        elif proven and status == "OPTIMAL":
            confirmed += 1
        else:
            consistent += 1
    print(f"{confirmed} optima confirmed by CP-SAT, {consistent} consistent (CP-SAT or the branch and bound "
          f"did not finish, no better schedule found), {contradicted} contradicted")


if __name__ == "__main__":
    main(sys.argv[1])
