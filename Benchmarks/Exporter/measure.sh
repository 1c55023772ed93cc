#!/bin/bash
# Issue 10, point 6: homelab-exporter's scrape time and load figures against homelab-sim.
#
#   Benchmarks/Exporter/measure.sh [nodes=100,services=2000] [scrapes=10000]
#
# (a) The example homelab with 100 ms of latency added to every simulated API: 30 scrapes of /metrics
#     (after 3 warm-up ones); prints each scrape's wall time over the slowest component's collection time
#     (homelab_collection_duration_seconds), median and max.
# (b) A generated homelab at scale: wrk (Debian's; installed here if missing) on /metrics, 2 threads and
#     8 connections, in 10 s rounds until the exporter has served `scrapes` scrapes: requests/s, p50/p99
#     latency per round, CPU seconds per collection (process_cpu_seconds_total over homelab_exporter_scrapes_total),
#     and resident memory sampled after every round; the slope of resident memory after warm-up (the first
#     fifth of the rounds) by least squares, in KiB per 1,000 scrapes.
# Release builds (CONFIGURATION=debug to try the script quickly); run from the package root. Only loopback traffic.
set -euo pipefail
scale="${1:-nodes=100,services=2000}"
target="${2:-10000}"
command -v wrk >/dev/null || apt-get install -y wrk >/dev/null
config="${CONFIGURATION:-release}"
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab-sim >/dev/null
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab-exporter >/dev/null
bin=".build/$config"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# start_sim NAME ARGS...: runs homelab-sim writing $work/NAME.yaml; waits until it exists.
start_sim() {
    local name="$1"; shift
    "$bin/homelab-sim" "$@" --write-config "$work/$name.yaml" >"$work/$name-sim.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 600); do [ -f "$work/$name.yaml" ] && return 0; sleep 0.1; done
    echo "homelab-sim did not start: $(cat "$work/$name-sim.log")" >&2; exit 1
}
# start_exporter NAME: runs the exporter on a free port for $work/NAME.yaml; sets PORT and EXPORTER_PID.
start_exporter() {
    local name="$1"
    "$bin/homelab-exporter" --config "$work/$name.yaml" --listen 127.0.0.1:0 --state "$work/$name-state.sqlite" \
        >"$work/$name-exporter.log" 2>&1 &
    EXPORTER_PID=$!
    pids+=($EXPORTER_PID)
    for _ in $(seq 300); do
        PORT="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$work/$name-exporter.log")"
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    echo "homelab-exporter did not start: $(cat "$work/$name-exporter.log")" >&2; exit 1
}
metric() { grep -E "^$1 " "$2" | awk '{print $2}'; }

echo "== (a) scrape time with 100 ms latency on every simulated component"
start_sim latency --fault docker:latency=100ms
start_exporter latency
for _ in 1 2 3; do curl -fsS "http://127.0.0.1:$PORT/metrics" >/dev/null; done
: >"$work/ratios"
for _ in $(seq 30); do
    wall="$(curl -fsS -o "$work/a.txt" -w '%{time_total}' "http://127.0.0.1:$PORT/metrics")"
    slowest="$(grep '^homelab_collection_duration_seconds' "$work/a.txt" | awk '{print $2}' | sort -g | tail -1)"
    echo "$wall $slowest" >>"$work/ratios"
done
python3 - "$work/ratios" <<'PY'
import sys, statistics
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
ratios = [wall / slowest for wall, slowest in rows]
print(f"scrape wall time: median {statistics.median(w for w, _ in rows)*1000:.1f} ms; slowest component median "
      f"{statistics.median(s for _, s in rows)*1000:.1f} ms")
print(f"ratio scrape/slowest: median {statistics.median(ratios):.3f}, max {max(ratios):.3f} (limit 1.2)")
PY
kill "$EXPORTER_PID"; wait "$EXPORTER_PID" 2>/dev/null || true

echo "== (b) wrk on /metrics at scale $scale"
start_sim scale --scale "$scale"
start_exporter scale
curl -fsS "http://127.0.0.1:$PORT/metrics" -o "$work/b0.txt"
echo "exposition: $(wc -c <"$work/b0.txt") bytes, $(grep -vc '^#' "$work/b0.txt") samples; gzip: $(curl -fsS -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT/metrics" | wc -c) bytes"
: >"$work/rounds"
round=0
while :; do
    round=$((round + 1))
    wrk -t2 -c8 -d10s --latency "http://127.0.0.1:$PORT/metrics" >"$work/wrk.txt"
    curl -fsS "http://127.0.0.1:$PORT/metrics" -o "$work/b.txt"
    rss="$(awk '/VmRSS/ {print $2}' "/proc/$EXPORTER_PID/status")"
    scrapes="$(metric 'homelab_exporter_scrapes_total\{endpoint="metrics"\}' "$work/b.txt")"
    cpu="$(metric process_cpu_seconds_total "$work/b.txt")"
    rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")"
    p50="$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")"
    p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
    echo "$round $scrapes $rss $cpu $rps $p50 $p99" >>"$work/rounds"
    echo "round $round: $scrapes scrapes, $rps req/s, p50 $p50, p99 $p99, RSS $rss KiB, CPU $cpu s"
    [ "$(printf '%.0f' "$scrapes")" -ge "$target" ] && break
done
python3 - "$work/rounds" "$work/scale-sim.log" <<'PY'
import sys
rows = [line.split() for line in open(sys.argv[1])]
scrapes = [float(r[1]) for r in rows]; rss = [float(r[2]) for r in rows]; cpu = [float(r[3]) for r in rows]
print(f"total {scrapes[-1]:.0f} scrapes; CPU {cpu[-1]:.1f} s, {cpu[-1] / scrapes[-1] * 1000:.2f} ms of CPU per scrape served")
warm = max(1, len(rows) // 5)
xs, ys = scrapes[warm:], rss[warm:]
if len(xs) >= 2:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    print(f"resident memory after warm-up: {min(ys):.0f}..{max(ys):.0f} KiB; slope {slope * 1000:.1f} KiB per 1,000 scrapes")
PY
