#!/usr/bin/env bash
# How long a Tab takes: the shell runs `homelab ---completion ...` (ArgumentParser's custom completion calling
# back into the binary), which starts, reads the inventory and asks the homelab. Measured against the simulated
# homelab (homelab-sim on the example inventory, or a generated one with SCALE=nodes=N,services=M) with hyperfine,
# one process per completion as a shell runs it, for each kind of live name:
#   services         `homelab swarm ps <Tab>`               inventory + GET /services from the simulated swarm
#   nodes            `homelab node activate <Tab>`          inventory + GET /nodes from the simulated swarm
#   rollout IDs      `homelab rollout show <Tab>`           the state store's journal (no network)
#   inventory names  `homelab rollout apply --restart <Tab>` the inventory only
# Target: under 100 ms each.
#
#   Benchmarks/Completion/measure.sh
#
# Knobs: HOMELAB, HOMELAB_SIM (binaries; default: release builds in SCRATCH, .build-release), SCALE, RUNS (30).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scratch=${SCRATCH:-$root/.build-release}
runs=${RUNS:-30}
command -v hyperfine >/dev/null || { echo "$0: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }

homelab=${HOMELAB:-}
sim=${HOMELAB_SIM:-}
if [[ -z $homelab || -z $sim ]]; then
    echo "building homelab and homelab-sim (release)..." >&2
    swift build -c release --package-path "$root" --scratch-path "$scratch" --product homelab >&2
    swift build -c release --package-path "$root" --scratch-path "$scratch" --product homelab-sim >&2
    homelab=${homelab:-$scratch/release/homelab}
    sim=${sim:-$scratch/release/homelab-sim}
fi

work=$(mktemp -d /tmp/homelab-completion.XXXX)
sim_pid=""
cleanup() {
    [[ -n $sim_pid ]] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

scale=()
[[ -n ${SCALE:-} ]] && scale=(--scale "$SCALE")
config="$work/homelab.yaml"
"$sim" --inventory "$root/Examples/homelab.yaml" "${scale[@]}" --write-config "$config" --time-scale 0.02 \
    > "$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 600); do [[ -s $config ]] && break; sleep 0.1; done
[[ -s $config ]] || { echo "$0: homelab-sim wrote no config" >&2; cat "$work/sim.log" >&2; exit 1; }

# A few journaled rollouts, for the rollout IDs.
export XDG_STATE_HOME="$work/state" HOMELAB_PROGRESS=plain
for tag in 12.1.1 12.1.2 12.1.3; do
    "$homelab" rollout apply --config "$config" --image "grafana=$tag" > /dev/null
done

echo "nodes offered: $("$homelab" ---completion node activate -- positional@0 5 0 homelab --config "$config" node activate '' | tr '\n' ' ')" >&2
echo "rollouts offered: $("$homelab" ---completion rollout show -- positional@0 3 0 homelab rollout show '' | tr '\n' ' ')" >&2

hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/completion.json" \
    -n "services (live)" "$homelab ---completion swarm ps -- positional@0 5 0 homelab swarm ps --config $config ''" \
    -n "nodes (live)" "$homelab ---completion node activate -- positional@0 5 0 homelab --config $config node activate ''" \
    -n "rollout IDs" "$homelab ---completion rollout show -- positional@0 3 0 homelab rollout show ''" \
    -n "inventory services" "$homelab ---completion rollout apply -- --restart 5 0 homelab rollout apply --config $config --restart ''" \
    -n "homelab --version" "$homelab --version" >&2

python3 - "$work/completion.json" <<'PY'
import json, sys
print("| completion | wall ms (mean ± sd) | max | under 100 ms |")
print("|---|---:|---:|---|")
for r in json.load(open(sys.argv[1]))["results"]:
    print("| %s | %.1f ± %.1f | %.1f | %s |" % (r["command"], r["mean"] * 1e3, r["stddev"] * 1e3, r["max"] * 1e3,
                                             "yes" if r["max"] < 0.1 else "mean" if r["mean"] < 0.1 else "NO"))
PY
