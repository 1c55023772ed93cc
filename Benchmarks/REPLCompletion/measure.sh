#!/bin/bash
# Issue 9, point 12: how fast homelab-repl answers Tab with live names at the simulator's scale.
#
#   Benchmarks/REPLCompletion/measure.sh [nodes=100,services=2000] [rounds=100]
#
# Starts `homelab-sim --scale` and homelab-repl on a pseudo-terminal (a private tmux server), waits until the
# background cache holds the services, then completes service names `rounds` times:
# `rollout plan --restart stack-NNN_s` + Tab, whose answer extends the line to the stack's common prefix
# (`stack-NNN_svc-0N`), searched among every service of the homelab; every tenth round completes `s` (all of
# them match). Two figures:
#   (a) the completer itself, inside homelab-repl (HOMELAB_REPL_COMPLETION_TIMES: microseconds per Tab, from
#       libedit's call to the matches handed back), median, p90 and max;
#   (b) key to screen: from sending Tab to the completed line showing in tmux's capture of the pane, which
#       adds tmux's own send-keys and capture-pane processes (an upper bound of what a person sees);
#   (c) the same path for a plain key (`x`, no completion): what tmux and the polling cost by themselves, so
#       (b) - (c) is what completing adds.
# Release builds (CONFIGURATION=debug to try the script quickly); run from the package root. Loopback only.
set -euo pipefail
scale="${1:-nodes=100,services=2000}"
rounds="${2:-100}"
command -v tmux >/dev/null || apt-get install -y tmux >/dev/null
config="${CONFIGURATION:-release}"
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab-sim >/dev/null
[ -n "${SKIP_BUILD:-}" ] || swift build -c "$config" --product homelab-repl >/dev/null
bin="$PWD/.build/$config"
work="$(mktemp -d)"
sock="$work/tmux.sock"
sim_pid=""
cleanup() {
    tmux -S "$sock" kill-server 2>/dev/null || true
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$bin/homelab-sim" --scale "$scale" --write-config "$work/sim.yaml" >"$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 600); do [ -f "$work/sim.yaml" ] && break; sleep 0.1; done
[ -f "$work/sim.yaml" ] || { echo "homelab-sim did not start: $(cat "$work/sim.log")" >&2; exit 1; }
head -1 "$work/sim.log"

tmux -S "$sock" -f /dev/null new-session -d -x 200 -y 50 -s bench \
    "env XDG_STATE_HOME='$work/state' HOMELAB_REPL_COMPLETION_TIMES='$work/times' TERM=xterm '$bin/homelab-repl' --config '$work/sim.yaml'"
last_line() { tmux -S "$sock" capture-pane -p -t bench | sed '/^[[:space:]]*$/d' | tail -1; }
for _ in $(seq 300); do [[ "$(last_line)" == *"homelab>"* ]] && break; sleep 0.1; done

now_ms() { date +%s%N | cut -b1-13; }
# complete TEXT [KEY]: types TEXT, presses Tab (or sends KEY literally), waits until the line changes; prints
# the milliseconds it took.
complete() {
    tmux -S "$sock" send-keys -t bench C-u
    tmux -S "$sock" send-keys -t bench -l -- "$1"
    local typed="homelab> $1"
    for _ in $(seq 200); do [ "$(last_line)" = "$typed" ] && break; sleep 0.01; done
    local start; start=$(now_ms)
    if [ -n "${2:-}" ]; then tmux -S "$sock" send-keys -t bench -l -- "$2"; else tmux -S "$sock" send-keys -t bench Tab; fi
    for _ in $(seq 2000); do
        if [ "$(last_line)" != "$typed" ]; then echo $(( $(now_ms) - start )); return 0; fi
    done
    echo "timeout"
}

# Wait for the cache: the first service's stack completes once the services are read.
for _ in $(seq 120); do
    [ "$(complete 'rollout plan --restart stack-001_s')" != timeout ] && break
    sleep 0.5
done
: >"$work/times"
stacks=$(grep -c '^  - name: stack-' "$work/sim.yaml" || true)
[ "$stacks" -gt 0 ] || stacks=100
width=${#stacks}
[ "$width" -lt 3 ] && width=3
: >"$work/wall"
: >"$work/plain"
for round in $(seq "$rounds"); do
    if (( round % 10 == 0 )); then text="rollout plan --restart s"
    else text="rollout plan --restart $(printf "stack-%0${width}d_s" $(( (round * 37) % stacks + 1 )))"; fi
    complete "$text" >>"$work/wall"
    complete "$text" x >>"$work/plain"
done
stats() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "no samples"; exit }
    printf "median %s, p90 %s, max %s (%d samples)", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.999)], v[NR], NR }'; }
echo "scale $scale, $(wc -l <"$work/times") completions"
echo "(a) completer inside homelab-repl, microseconds: $(stats <"$work/times")"
grep -c timeout "$work/wall" >/dev/null && echo "timeouts: $(grep -c timeout "$work/wall")" || true
echo "(b) Tab to screen through tmux, milliseconds: $(grep -v timeout "$work/wall" | stats)"
echo "(c) a plain key to screen through tmux, milliseconds: $(grep -v timeout "$work/plain" | stats)"
