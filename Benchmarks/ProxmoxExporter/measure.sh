#!/bin/bash
# Issue 11, point 10: our exporter's Proxmox collection beside prometheus-pve-exporter (PyPI 3.10.2) against the
# same simulated Proxmox VE with 10 ms of latency on every API request.
#
#   Benchmarks/ProxmoxExporter/measure.sh [scrapes=50]
#
# Both exporters run as their own processes and collect the same thing (status, version, node, cluster, resources
# and config collectors; prometheus-pve-exporter's backup-info, qdevice, replication and subscription off, which we
# do not have): ours is `homelab-exporter` scraped at /probe?target=proxmox, theirs `pve_exporter` (gunicorn,
# 2 threads) at /pve?target=127.0.0.1. After 3 warm-up scrapes each, `scrapes` scrapes are timed one after another:
# wall time per scrape (curl's time_total; median and mean) and CPU time per scrape (user+system of the exporter's
# processes from /proc, over the run, divided by the scrapes). Prints both and the ratios theirs / ours, one run.
# Release builds (CONFIGURATION=debug to try the script quickly); run from the package root. Only loopback traffic.
set -euo pipefail
scrapes="${1:-50}"
config="${CONFIGURATION:-release}"
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab-sim >/dev/null
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab-exporter >/dev/null
python3 -c 'import pve_exporter' 2>/dev/null || { echo "needs prometheus-pve-exporter: scripts/install-deps.sh test" >&2; exit 1; }
bin=".build/$config"
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$bin/homelab-sim" --fault proxmox:latency=10ms --write-config "$work/sim.yaml" >"$work/sim.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do [ -f "$work/sim.yaml" ] && break; sleep 0.1; done
[ -f "$work/sim.yaml" ] || { echo "homelab-sim did not start: $(cat "$work/sim.log")" >&2; exit 1; }

# The simulated Proxmox as the written inventory names it: URL, CA file, token ID and the secret's file.
read -r url ca token secret_file < <(python3 - "$work/sim.yaml" <<'PY'
import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))["components"]["proxmox"]
print(p["url"], p["tls"]["ca_file"], p["username"], p["credentials"]["token_secret"].removeprefix("file:"))
PY
)
port="$(echo "$url" | sed -n 's|https://127.0.0.1:\([0-9]*\)/.*|\1|p')"
cat >"$work/pve.yml" <<YML
default:
  user: ${token%%!*}
  token_name: ${token##*!}
  token_value: $(cat "$secret_file")
  verify_ssl: $ca
  port: $port
  timeout: 30
YML

"$bin/homelab-exporter" --config "$work/sim.yaml" --listen 127.0.0.1:0 --state "$work/state.sqlite" >"$work/ours.log" 2>&1 &
ours_pid=$!
pids+=($ours_pid)
for _ in $(seq 300); do
    ours_port="$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$work/ours.log")"
    [ -n "$ours_port" ] && break
    sleep 0.1
done
[ -n "${ours_port:-}" ] || { echo "homelab-exporter did not start: $(cat "$work/ours.log")" >&2; exit 1; }
theirs_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
pve_exporter --config.file "$work/pve.yml" --web.listen-address "127.0.0.1:$theirs_port" \
    --no-collector.backup-info --no-collector.qdevice --no-collector.replication --no-collector.subscription \
    >"$work/theirs.log" 2>&1 &
theirs_pid=$!
pids+=($theirs_pid)
for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$theirs_port/" 2>/dev/null && break; sleep 0.1; done

# cpu_ticks PID: user+system clock ticks of PID and its children (gunicorn's worker).
cpu_ticks() {
    local total=0 pid
    for pid in "$1" $(pgrep -P "$1" || true); do
        [ -r "/proc/$pid/stat" ] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}
hz="$(getconf CLK_TCK)"

# measure NAME PID URL: prints "median_ms mean_ms cpu_ms_per_scrape series".
measure() {
    local name="$1" pid="$2" url="$3"
    for _ in 1 2 3; do curl -fsS -o /dev/null "$url"; done
    curl -fsS -o "$work/$name.prom" "$url"
    local before after
    before="$(cpu_ticks "$pid")"
    : >"$work/$name.times"
    for _ in $(seq "$scrapes"); do curl -fsS -o /dev/null -w '%{time_total}\n' "$url" >>"$work/$name.times"; done
    after="$(cpu_ticks "$pid")"
    local series
    series="$(grep -c '^pve_' "$work/$name.prom" || true)"
    sort -g "$work/$name.times" | awk -v ticks="$((after - before))" -v hz="$hz" -v n="$scrapes" -v series="$series" '
        { t[NR] = $1; sum += $1 }
        END { printf "%.1f %.1f %.2f %d\n", t[int((NR + 1) / 2)] * 1000, sum / NR * 1000, ticks / hz / n * 1000, series }'
}

echo "== Proxmox collection with 10 ms latency per simulated API request, $scrapes scrapes each ($config build)"
read -r ours_median ours_mean ours_cpu ours_series < <(measure ours "$ours_pid" "http://127.0.0.1:$ours_port/probe?target=proxmox")
read -r theirs_median theirs_mean theirs_cpu theirs_series < <(measure theirs "$theirs_pid" \
    "http://127.0.0.1:$theirs_port/pve?target=127.0.0.1&module=default&cluster=1&node=1")
printf '%-32s %12s %10s %14s %8s\n' exporter "wall p50 ms" "mean ms" "CPU ms/scrape" "pve_*"
printf '%-32s %12s %10s %14s %8s\n' "homelab-exporter (ours)" "$ours_median" "$ours_mean" "$ours_cpu" "$ours_series"
printf '%-32s %12s %10s %14s %8s\n' "prometheus-pve-exporter 3.10.2" "$theirs_median" "$theirs_mean" "$theirs_cpu" "$theirs_series"
awk -v a="$theirs_median" -v b="$ours_median" -v c="$theirs_cpu" -v d="$ours_cpu" \
    'BEGIN { printf "theirs / ours: wall %.2fx, CPU %.2fx\n", a / b, (d > 0 ? c / d : 0) }'
