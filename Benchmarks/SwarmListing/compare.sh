#!/usr/bin/env bash
# Lists 200 swarm services (0 replicas) with their status 50 times each through
#   1. HomelabCore, one warm client in one process (swarm-list-bench, release build): `services.list` (the full
#      models) and `services.summaries` (what a listing shows, read from the same answer), the summaries also on the
#      transport's own thread (`withTaskExecutorPreference(transport.executor)`: no hand-off between threads),
#   2. HomelabCore, one process per listing (cold: start, negotiate, list),
#   3. `docker service ls` (one process per listing, as it is used),
#   4. the Python docker SDK, `client.services.list(status=True)` on one warm client,
#   5. curl fetching the same JSON over one kept-alive connection (the raw HTTP exchange; unix sockets only),
# all in one run against the same dockerd, and prints wall and CPU time per listing with ratios.
#
#   Benchmarks/SwarmListing/compare.sh [DOCKER_HOST]
#
# DOCKER_HOST defaults to $HOMELAB_TEST_DOCKER_HOST (scripts/dockerd-test.sh start DIR writes it to DIR/docker.env).
# The services it creates carry the label homelab.bench=<run id> and are removed at the end, whatever happens.
# The warm clients (1 all three ways, 4, 5) are measured in ROUNDS rounds whose order rotates, and each one's listings pooled.
# Knobs: SERVICES (200), ITERATIONS (50), ROUNDS (5), SCRATCH (release build dir, /tmp/swarm-list-bench-build).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
host=${1:-${HOMELAB_TEST_DOCKER_HOST:-}}
[[ -n $host ]] || { echo "usage: $0 DOCKER_HOST (or set HOMELAB_TEST_DOCKER_HOST)" >&2; exit 2; }
services=${SERVICES:-200}
iterations=${ITERATIONS:-50}
rounds=${ROUNDS:-5}
scratch=${SCRATCH:-/tmp/swarm-list-bench-build}
run_id="hl-bench-$$"
image=${BENCH_IMAGE:-homelab-test/busybox:1}

python3 -c 'import docker' 2>/dev/null || pip install --quiet docker

echo "building swarm-list-bench (release)..." >&2
swift build -c release --package-path "$here" --scratch-path "$scratch" >&2
bench="$scratch/release/swarm-list-bench"

# dockerd's pid, when the host is the private test engine (for its CPU per listing).
dockerd_pid=""
if [[ $host == unix://* ]]; then
    pidfile="$(dirname "${host#unix://}")/docker.pid"
    [[ -r $pidfile ]] && dockerd_pid=$(tr -dc '0-9' < "$pidfile")
fi

cleanup() {
    python3 - "$host" "$run_id" <<'PY' || true
import sys, docker
client = docker.DockerClient(base_url=sys.argv[1], version="auto")
for service in client.services.list(filters={"label": "homelab.bench=" + sys.argv[2]}):
    service.remove()
PY
}
trap cleanup EXIT

python3 - "$host" "$run_id" "$services" "$image" <<'PY'
import sys, docker
from docker.types import ServiceMode
host, run_id, count, image = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
client = docker.DockerClient(base_url=host, version="auto")
for i in range(count):
    client.services.create(image, ["sleep", "1"], name="%s-%03d" % (run_id, i), mode=ServiceMode("replicated", replicas=0),
                           labels={"homelab.bench": run_id})
print("created %d services (0 replicas)" % count, file=sys.stderr)
PY

# dockerd keeps working for a while after the services are created (the allocator, raft commits): whichever client
# is measured first would share the cores with that. Wait until dockerd uses under 5% of a core over a second (at
# most 60 s), when its pid is known; else a fixed 10 s.
if [[ -n $dockerd_pid ]]; then
    python3 - "$dockerd_pid" <<'PY'
import os, sys, time
pid, ticks = sys.argv[1], os.sysconf("SC_CLK_TCK")
def cpu():
    with open("/proc/%s/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks
start = time.monotonic()
while time.monotonic() - start < 60:
    before = cpu()
    time.sleep(1)
    if cpu() - before < 0.05:
        break
print("dockerd settled after %.0f s" % (time.monotonic() - start), file=sys.stderr)
PY
else
    sleep 10
fi

python3 - "$host" "$bench" "$iterations" "$dockerd_pid" "$rounds" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
import docker

host, bench, iterations, dockerd_pid, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
ticks = os.sysconf("SC_CLK_TCK")

def dockerd_cpu():
    if not dockerd_pid:
        return None
    with open("/proc/%s/stat" % dockerd_pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def per_process(argv):
    """Runs argv `iterations` times; wall and CPU per run (CPU of the child processes)."""
    walls = []
    cpu0, d0 = children_cpu(), dockerd_cpu()
    for _ in range(iterations):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - t)
    d1 = dockerd_cpu()
    return walls, (children_cpu() - cpu0) / iterations, None if d0 is None else (d1 - d0) / iterations

rows = []
env_host = ["--host", host]

# The warm clients (1. HomelabCore in-process, three ways; 4. the Python SDK; 5. curl) are measured in `rounds` rounds of
# iterations/rounds listings each, their order rotating from round to round, and each client's listings are pooled:
# dockerd's speed drifts over a run (garbage collection, the allocator after the services were created), and a
# client measured in one block, always in the same place, took that drift as its own (the same build measured
# 0.85x to 2.3x curl from run to run that way).
rounds = max(1, min(rounds, iterations))
per_round = [iterations // rounds + (1 if r < iterations % rounds else 0) for r in range(rounds)]
warm = {name: {"walls": [], "cpu": 0.0, "dockerd": 0.0, "listings": 0}
        for name in ("ours", "summaries", "on_thread", "python", "curl")}
ours = {}

def bench_round(k, listing, on_thread=False):
    """1. HomelabCore, warm client (3 warm-up listings), timed by the tool itself: the full models (`services`) or
    the summaries, these also on the transport's thread."""
    d0 = dockerd_cpu()
    out = subprocess.run([bench, *env_host, "--listing", listing, "--iterations", str(k), "--warmup", "3"]
                         + (["--on-transport-thread"] if on_thread else []),
                         capture_output=True, text=True, check=True)
    d1 = dockerd_cpu()
    result = json.loads(out.stdout)
    if listing == "services":
        ours.update(result)
    entry = warm["on_thread" if on_thread else "ours" if listing == "services" else "summaries"]
    entry["walls"] += [w / 1000 for w in result["walls_ms"]]
    entry["cpu"] += result["cpu_ms_per_listing"] / 1000 * k
    entry["dockerd"] += 0 if d0 is None else (d1 - d0) * k / (k + 3)
    entry["listings"] += k

client = docker.DockerClient(base_url=host, version="auto")
for _ in range(3):
    client.services.list(status=True)

def python_round(k):
    """4. The Python docker SDK, one warm client, in-process."""
    walls = []
    cpu0, d0 = time.process_time(), dockerd_cpu()
    for _ in range(k):
        t = time.perf_counter()
        listed = client.services.list(status=True)
        walls.append(time.perf_counter() - t)
    d1 = dockerd_cpu()
    assert all("ServiceStatus" in s.attrs for s in listed)
    entry = warm["python"]
    entry["walls"] += walls
    entry["cpu"] += time.process_time() - cpu0
    entry["dockerd"] += 0 if d0 is None else d1 - d0
    entry["listings"] += k
    entry["count"] = len(listed)

def curl_round(k):
    """5. curl, the raw HTTP exchange: one process fetching the same JSON over one kept-alive connection (3 warm-up
    transfers, then k), each transfer timed by curl itself (time_total). Unix sockets only."""
    url = "http://localhost/v%s/services?status=true" % ours["api_version"]
    argv = ["curl", "-s", "--unix-socket", host[len("unix://"):], "-w", "%{time_total}\n"]
    for _ in range(k + 3):
        argv += ["-o", "/dev/null", url]
    cpu0, d0 = children_cpu(), dockerd_cpu()
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout.split()
    d1 = dockerd_cpu()
    entry = warm["curl"]
    entry["walls"] += [float(v) for v in out[3:]]
    entry["cpu"] += (children_cpu() - cpu0) * k / (k + 3)
    entry["dockerd"] += 0 if d0 is None else (d1 - d0) * k / (k + 3)
    entry["listings"] += k

measure = [("ours", lambda k: bench_round(k, "services")), ("summaries", lambda k: bench_round(k, "summaries")),
           ("on_thread", lambda k: bench_round(k, "summaries", on_thread=True)), ("python", python_round)]
if host.startswith("unix://"):
    measure.append(("curl", curl_round))
for r, k in enumerate(per_round):
    order = measure[r % len(measure):] + measure[:r % len(measure)]
    if "api_version" not in ours:  # curl asks for the API version HomelabCore negotiated
        order.sort(key=lambda m: m[0] != "ours")
    for _, run in order:
        run(k)
count = int(ours["services"])
assert warm["python"]["count"] == count

def warm_row(name, label, how):
    entry = warm[name]
    n = entry["listings"]
    return (label, how, statistics.mean(entry["walls"]), statistics.median(entry["walls"]), entry["cpu"] / n,
            None if dockerd_pid == "" else entry["dockerd"] / n)

rows.append(warm_row("ours", "HomelabCore `services.list(status: true)`", "one warm client"))
rows.append(warm_row("summaries", "HomelabCore `services.summaries(status: true)`", "one warm client"))
rows.append(warm_row("on_thread", "HomelabCore `services.summaries(status: true)` on the transport's thread",
                     "one warm client"))

# 2. HomelabCore, one process per listing.
walls, cpu, dcpu = per_process([bench, *env_host, "--iterations", "1", "--warmup", "0"])
rows.append(("HomelabCore (swarm-list-bench)", "one process per listing", statistics.mean(walls), statistics.median(walls), cpu, dcpu))

# 3. docker service ls, one process per listing.
walls, cpu, dcpu = per_process(["docker", "-H", host, "service", "ls"])
rows.append(("`docker service ls` (CLI %s)" % subprocess.run(["docker", "--version"], capture_output=True, text=True).stdout.split()[2].rstrip(","),
             "one process per listing", statistics.mean(walls), statistics.median(walls), cpu, dcpu))

python_row = warm_row("python", "Python docker SDK %s `services.list(status=True)`" % docker.__version__, "one warm client")
rows.append(python_row)

curl_row = None
if warm["curl"]["listings"]:
    curl_row = warm_row("curl", "curl %s (the raw HTTP exchange)" % subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split()[1],
                        "one process, kept-alive")
    rows.append(curl_row)

def breakdown_of(listing):
    return json.loads(subprocess.run([bench, *env_host, "--listing", listing, "--iterations", str(iterations), "--warmup", "3",
                                      "--breakdown"], capture_output=True, text=True, check=True).stdout)
breakdowns = {listing: breakdown_of(listing) for listing in ("services", "summaries")}

base_wall, base_cpu = rows[0][2], rows[0][4]
ms = lambda v: "–" if v is None else "%.2f" % (v * 1000)
print()
print("%d services, %d listings each (the warm clients in %d rounds, their order rotating), Docker API %s, %s"
      % (count, iterations, rounds, ours["api_version"], host))
print()
print("| client | how | wall ms/listing (mean) | wall ms (median) | client CPU ms/listing | dockerd CPU ms/listing | wall × ours | CPU × ours |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name, how, wall, median, cpu, dcpu in rows:
    print("| %s | %s | %s | %s | %s | %s | %.1f | %.1f |" % (name, how, ms(wall), ms(median), ms(cpu), ms(dcpu),
                                                       wall / base_wall, cpu / base_cpu if base_cpu > 0 else float("nan")))
print()
for listing, models in (("services", "full models"), ("summaries", "summaries")):
    breakdown = breakdowns[listing]
    print("HomelabCore breakdown, %s: the HTTP exchange alone %.2f ms (median); decoding the %d KB answer into %s %.2f ms"
          " CPU (Foundation's JSONDecoder: %.2f ms CPU)."
          % (listing, breakdown["http_ms_median"], breakdown["body_bytes"] / 1024, models, breakdown["decode_cpu_ms"],
             breakdown["decode_foundation_cpu_ms"]))
    print("  Within one warm listing (medians): building the request %.2f ms, the exchange %.2f ms, after it (decoding,"
          " the task's resumption) %.2f ms."
          % (breakdown["listing_before_exchange_ms_median"], breakdown["listing_exchange_ms_median"],
             breakdown["listing_after_exchange_ms_median"]))
if curl_row:
    for row in rows[:3]:
        print("%s against curl fetching the same JSON: %.2fx (mean), %.2fx (median); against the Python SDK %.2fx (mean)."
              % (row[0], row[2] / curl_row[2], row[3] / curl_row[3], row[2] / python_row[2]))
print("Load average during the run: %.1f on %d CPUs." % (os.getloadavg()[0], os.cpu_count()))
PY
