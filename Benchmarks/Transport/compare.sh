#!/usr/bin/env bash
# Transport benchmark (issue 2): 2,000 GETs of a 2 KB JSON document over keep-alive from a local
# Caddy, sequential and at concurrency 32, for HomelabCore's CurlTransport, the curl command line
# (one process for all URLs; --parallel for the concurrent case) and Python requests (one Session;
# a thread pool for the concurrent case), in one run. Prints requests/s and the ratios. Ours runs twice: with the
# default linger of the transport's thread and with none (CurlTransport.Configuration.linger = 0), to show its effect;
# a third time with the requests sent from the transport's own thread (CurlTransport.executor: no hand-off at all).
# Usage: Benchmarks/Transport/compare.sh [COUNT] [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
count=${1:-2000}
rounds=${2:-3}
work=$(mktemp -d)
caddy_pid=""
cleanup() { [ -n "$caddy_pid" ] && kill "$caddy_pid" 2>/dev/null && wait "$caddy_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

command -v caddy >/dev/null || { echo "caddy is required (apt-get install caddy)" >&2; exit 1; }
python3 -c 'import requests' 2>/dev/null || pip install -q requests

# A 2 KB JSON document served by Caddy on a free loopback port.
python3 - "$work/doc.json" <<'PY'
import json, sys
items, i = [], 0
while len(json.dumps({"items": items})) < 2048:
    items.append({"id": "svc%05d" % i, "name": "service-%d" % i, "replicas": i % 5, "image": "busybox:1.36"}); i += 1
open(sys.argv[1], "w").write(json.dumps({"items": items}))
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/Caddyfile" <<CADDY
{
    admin off
    auto_https off
}
http://127.0.0.1:$port {
    bind 127.0.0.1
    root * $work
    file_server
}
CADDY
XDG_DATA_HOME=$work XDG_CONFIG_HOME=$work caddy run --config "$work/Caddyfile" --adapter caddyfile >"$work/caddy.log" 2>&1 &
caddy_pid=$!
url="http://127.0.0.1:$port/doc.json"
for _ in $(seq 50); do curl -fsS -o /dev/null "$url" 2>/dev/null && break; sleep 0.1; done
size=$(curl -fsS "$url" | wc -c)

(cd "$here" && swift build -c release --product TransportBench >/dev/null)
ours="$(cd "$here" && swift build -c release --show-bin-path)/TransportBench"

# curl config: one process fetching every URL.
{ for _ in $(seq "$count"); do echo "url = \"$url\""; echo "output = /dev/null"; done; } > "$work/curl.cfg"

cat > "$work/req.py" <<'PY'
import sys, time, requests
from concurrent.futures import ThreadPoolExecutor
url, count, conc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = requests.Session()
s.mount("http://", requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=conc))
s.get(url).content
def one(_):
    r = s.get(url); assert r.status_code == 200; return len(r.content)
t = time.perf_counter()
if conc == 1:
    for i in range(count): one(i)
else:
    with ThreadPoolExecutor(conc) as ex: list(ex.map(one, range(count)))
e = time.perf_counter() - t
print("%d %.4f %.0f" % (count, e, count / e))
PY

run_curl() {  # $1 = concurrency
    local start end
    start=$(date +%s.%N)
    if [ "$1" = 1 ]; then curl -s -K "$work/curl.cfg"; else curl -s --no-progress-meter --parallel --parallel-max "$1" -K "$work/curl.cfg" 2>/dev/null; fi
    end=$(date +%s.%N)
    python3 -c "import sys; e=$end-$start; print('%d %.4f %.0f' % ($count, e, $count/e))"
}

best() { sort -k3 -n -r | head -1 | awk '{print $3}'; }  # best req/s of the rounds

echo "Transport benchmark: $count GETs of a ${size}-byte JSON document from Caddy on 127.0.0.1, keep-alive, best of $rounds rounds"
printf "%-13s %-28s %12s %18s\n" "concurrency" "client" "requests/s" "ours / client"
for conc in 1 32; do
    o=$(for _ in $(seq "$rounds"); do "$ours" "$url" "$count" "$conc"; done | best)
    z=$(for _ in $(seq "$rounds"); do "$ours" "$url" "$count" "$conc" 0; done | best)
    t=$(for _ in $(seq "$rounds"); do ON_TRANSPORT_THREAD=1 "$ours" "$url" "$count" "$conc"; done | best)
    c=$(for _ in $(seq "$rounds"); do run_curl "$conc"; done | best)
    p=$(for _ in $(seq "$rounds"); do python3 "$work/req.py" "$url" "$count" "$conc"; done | best)
    label=$([ "$conc" = 1 ] && echo sequential || echo "$conc")
    printf "%-13s %-28s %12s %18s\n" "$label" "HomelabCore CurlTransport" "$o" "1.00"
    printf "%-13s %-28s %12s %18s\n" "$label" "  the same, linger 0" "$z" "$(python3 -c "print('%.2f' % ($o/$z))")"
    printf "%-13s %-28s %12s %18s\n" "$label" "  on the transport's thread" "$t" "$(python3 -c "print('%.2f' % ($o/$t))")"
    printf "%-13s %-28s %12s %18s\n" "$label" "curl CLI$([ "$conc" = 1 ] || echo ' --parallel')" "$c" "$(python3 -c "print('%.2f' % ($o/$c))")"
    printf "%-13s %-28s %12s %18s\n" "$label" "python requests.Session" "$p" "$(python3 -c "print('%.2f' % ($o/$p))")"
done
