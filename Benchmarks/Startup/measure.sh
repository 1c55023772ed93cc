#!/usr/bin/env bash
# Start-up of the `homelab` CLI, one process per use, against the docker CLI on the same real dockerd:
#   1. a Swarm listing of 200 services: `homelab swarm services` (until that command exists `homelab node ls`, which
#      lists the nodes and every service, to find the pinned ones; `status` only shows the inventory's services)
#      against `docker service ls`, one process per listing;
#   2. `homelab --version` against `docker --version` (start-up alone).
# hyperfine runs them all in one run (no shell in between: -N); wall and CPU (user + system) per run and the
# ratios homelab / docker are printed from that one run. A second run follows with the commands in reverse order
# (REVERSE=0 skips it): on this machine a command measured later in a run was up to 15% faster than the same binary
# measured first, as much as the gap being measured, so the ratios of both orders and of their pooled means are
# printed too.
#
#   Benchmarks/Startup/measure.sh [DOCKER_HOST]
#
# DOCKER_HOST defaults to $HOMELAB_TEST_DOCKER_HOST (scripts/dockerd-test.sh start DIR writes it to DIR/docker.env).
# The services it creates carry the label homelab.bench=<run id> and are removed at the end, whatever happens.
# Knobs: HOMELAB (the binary; default: scripts/build-release.sh's build in SCRATCH), SCRATCH (release
# build dir, .build-release), SERVICES (200), RUNS (50), WARMUP (5), OUT (a directory for hyperfine's JSON and
# markdown, default a temp dir), BEFORE (a second homelab binary, e.g. the build before a change: its listing and
# `--version` join the same hyperfine run, and its ratios to docker are printed too).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
host=${1:-${HOMELAB_TEST_DOCKER_HOST:-}}
[[ -n $host ]] || { echo "usage: $0 DOCKER_HOST (or set HOMELAB_TEST_DOCKER_HOST)" >&2; exit 2; }
[[ $host == unix://* ]] || { echo "$0: DOCKER_HOST must be a unix socket (the test dockerd's)" >&2; exit 2; }
services=${SERVICES:-200}
runs=${RUNS:-50}
warmup=${WARMUP:-5}
scratch=${SCRATCH:-$root/.build-release}
image=${BENCH_IMAGE:-homelab-test/busybox:1}
out=${OUT:-$(mktemp -d /tmp/homelab-startup.XXXX)}
run_id="hl-start-$$"
command -v hyperfine >/dev/null || { echo "$0: hyperfine is missing (apt-get install hyperfine)" >&2; exit 2; }

homelab=${HOMELAB:-}
if [[ -z $homelab ]]; then
    # The Swift runtime and Foundation linked statically (as the README's release build does): no symbol lookups
    # in the shared Swift libraries at start-up. `homelab demo` needs homelab-demo beside it; this does not.
    echo "building homelab (scripts/build-release.sh)..." >&2
    "$root/scripts/build-release.sh" --scratch-path "$scratch" --product homelab >&2
    homelab="$scratch/release/homelab"
fi

socket=${host#unix://}
inventory="$out/homelab.yaml"
cat > "$inventory" <<YAML
version: 1
name: "startup-bench"
nodes:
  - name: "node1"
    role: manager
    platform: bare-metal
    address: "127.0.0.1"
tiers: ["application"]
stacks: []
components:
  docker:
    socket: "$socket"
YAML

cleanup() {
    docker -H "$host" service ls -q --filter "label=homelab.bench=$run_id" | xargs -r docker -H "$host" service rm >/dev/null || true
}
trap cleanup EXIT

for i in $(seq -f "%03g" 0 $((services - 1))); do
    docker -H "$host" service create --detach --quiet --no-resolve-image --replicas 0 --name "$run_id-$i" \
        --label "homelab.bench=$run_id" "$image" sleep 1 >/dev/null
done
echo "created $services services (0 replicas)" >&2

# The listing: `swarm services` once it exists, else `node ls` (GET /nodes and GET /services, every service decoded).
if "$homelab" swarm services --help >/dev/null 2>&1; then
    listing=(swarm services)
else
    listing=(node ls)
fi
export HOMELAB_CONFIG=$inventory
"$homelab" "${listing[@]}" >/dev/null || { echo "$0: homelab ${listing[*]} failed" >&2; "$homelab" "${listing[@]}"; exit 1; }

before=()
if [[ -n ${BEFORE:-} ]]; then
    HOMELAB_CONFIG=$inventory "$BEFORE" "${listing[@]}" >/dev/null || { echo "$0: $BEFORE ${listing[*]} failed" >&2; exit 1; }
    before=(-n "before: homelab ${listing[*]}" "$BEFORE ${listing[*]}" -n "before: homelab --version" "$BEFORE --version")
fi
commands=(-n "homelab ${listing[*]}" "$homelab ${listing[*]}"
    -n "docker service ls" "docker -H $host service ls"
    -n "homelab --version" "$homelab --version"
    -n "docker --version" "docker --version" "${before[@]}")
hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$out/startup.json" --export-markdown "$out/startup.md" \
    "${commands[@]}" >&2
reversed=()
if [[ ${REVERSE:-1} != 0 ]]; then
    for (( i = ${#commands[@]} - 3; i >= 0; i -= 3 )); do reversed+=("${commands[@]:i:3}"); done
    hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$out/startup-reversed.json" "${reversed[@]}" >&2
fi

python3 - "$out/startup.json" "$services" "$homelab" "$out/startup-reversed.json" <<'PY'
import json, os, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
names = list(results)
others = []
if os.path.exists(sys.argv[4]):
    others = [{r["command"]: r for r in json.load(open(sys.argv[4]))["results"]}]
print("%d services, %s (%s)" % (int(sys.argv[2]), sys.argv[3], "one process per run"))
print("| command | wall ms (mean ± sd) | median | CPU ms (user + sys) |")
print("|---|---:|---:|---:|")
for name in names:
    r = results[name]
    print("| %s | %.1f ± %.1f | %.1f | %.1f |" % (name, r["mean"] * 1e3, r["stddev"] * 1e3, r["median"] * 1e3,
                                               (r["user"] + r["system"]) * 1e3))
def ratio(a, b):
    ra, rb = results[a], results[b]
    return ra["mean"] / rb["mean"], (ra["user"] + ra["system"]) / (rb["user"] + rb["system"])
listing = names[0]
w, c = ratio(listing, "docker service ls")
print("%s / docker service ls: wall %.2fx, CPU %.2fx (target: wall <= 0.8x)" % (listing, w, c))
w, c = ratio("homelab --version", "docker --version")
print("homelab --version / docker --version: wall %.2fx, CPU %.2fx" % (w, c))
if "before: homelab --version" in results:
    w, c = ratio("before: " + listing, "docker service ls")
    print("before: %s / docker service ls: wall %.2fx, CPU %.2fx" % (listing, w, c))
    w, c = ratio("before: homelab --version", "docker --version")
    print("before: homelab --version / docker --version: wall %.2fx, CPU %.2fx" % (w, c))
for other in others:
    print("the run in reverse order:")
    for name in names:
        r = other[name]
        print("| %s | %.1f ± %.1f | %.1f | %.1f |" % (name, r["mean"] * 1e3, r["stddev"] * 1e3, r["median"] * 1e3,
                                                   (r["user"] + r["system"]) * 1e3))
    def pooled(name):
        return (results[name]["mean"] + other[name]["mean"]) / 2
    for a, b in [(listing, "docker service ls"), ("homelab --version", "docker --version")] + (
            [("before: " + listing, "docker service ls")] if "before: " + listing in results else []):
        print("%s / %s: wall %.2fx in reverse order, %.2fx of the two runs' pooled means" % (
            a, b, other[a]["mean"] / other[b]["mean"], pooled(a) / pooled(b)))
PY
echo "hyperfine's results: $out/startup.json, $out/startup.md" >&2
