#!/bin/bash
# Issue 16, point 4: resident memory of `homelab rollout apply` over 2,000 services on the simulator.
#
#   Benchmarks/RolloutMemory/measure.sh [nodes=100,services=2000] [budget=50]
#
# Starts homelab-sim with the generated homelab (time scale 0.01), runs `homelab rollout apply --restart-all`
# (every service force-updated, `budget` at once) against it with a private state store, and samples VmRSS of the
# homelab process every 0.5 s. Prints the run's end, the warm-up peak (the first fifth of the samples), the plateau
# after it (median, max) and its slope by least squares (KiB per minute): flat after warm-up means a slope near 0.
# Release builds (CONFIGURATION=debug to try the script quickly; SKIP_BUILD=1 to use what is built, BIN_DIR=DIR for
# binaries elsewhere); run from the
# package root. Only loopback and unix-socket traffic.
set -euo pipefail
scale="${1:-nodes=100,services=2000}"
budget="${2:-50}"
config="${CONFIGURATION:-release}"
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab-sim >/dev/null
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab >/dev/null
bin="${BIN_DIR:-.build/$config}"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$bin/homelab-sim" --scale "$scale" --time-scale 0.01 --write-config "$work/homelab.yaml" >"$work/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do [ -f "$work/homelab.yaml" ] && break; sleep 0.1; done
[ -f "$work/homelab.yaml" ] || { echo "homelab-sim did not start: $(cat "$work/sim.log")" >&2; exit 1; }

echo "== homelab rollout apply --restart-all --budget $budget over $scale ($config build)"
start="$(date +%s.%N)"
XDG_STATE_HOME="$work/state" HOMELAB_CONFIG="$work/homelab.yaml" \
    "$bin/homelab" rollout apply --restart-all --budget "$budget" --timeout 300 >"$work/apply.log" 2>&1 &
apply=$!
pids+=($apply)
: >"$work/rss"
while kill -0 "$apply" 2>/dev/null; do
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$apply/status" 2>/dev/null || true)"
    [ -n "$rss" ] && echo "$(date +%s.%N) $rss" >>"$work/rss"
    sleep 0.5
done
status=0
wait "$apply" || status=$?
echo "exit status $status after $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.0f}')" "$start" "$(date +%s.%N)") s; last lines:"
tail -n 2 "$work/apply.log"
echo "steps started: $(grep -c '^ *started ' "$work/apply.log" || true), healthy: $(grep -c '^ *healthy ' "$work/apply.log" || true)"
python3 - "$work/rss" <<'PY'
import sys, statistics
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
if len(rows) < 5:
    sys.exit(f"only {len(rows)} samples")
t0 = rows[0][0]
ts = [(t - t0) / 60 for t, _ in rows]; rss = [r for _, r in rows]
warm = max(1, len(rows) // 5)
xs, ys = ts[warm:], rss[warm:]
mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (sum((x - mx) ** 2 for x in xs) or 1)
print(f"{len(rows)} samples over {ts[-1] * 60:.0f} s; warm-up (first {warm}) peak {max(rss[:warm]) / 1024:.1f} MiB")
print(f"plateau after warm-up: median {statistics.median(ys) / 1024:.1f} MiB, max {max(ys) / 1024:.1f} MiB, "
      f"last {ys[-1] / 1024:.1f} MiB; slope {slope:.0f} KiB per minute")
PY
