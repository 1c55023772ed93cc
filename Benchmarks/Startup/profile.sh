#!/usr/bin/env bash
# Where one `homelab` process spends its start-up: the dynamic loader (LD_DEBUG=statistics), CPU by library and
# by function (perf), system calls (strace -c), page faults and CPU (perf stat), the libraries it loads (ldd) and
# the Swift protocol conformances it carries (each failed `as?`/`is` cast scans all of them once).
#
#   Benchmarks/Startup/profile.sh HOMELAB_BINARY [ARGUMENTS...]      (default arguments: --version)
#
# perf needs kernel.perf_event_paranoid <= 1 (or root); a missing tool is skipped with a note.
set -euo pipefail
binary=${1:?usage: $0 HOMELAB_BINARY [ARGUMENTS...]}
shift
args=("$@")
(( ${#args[@]} )) || args=(--version)
work=$(mktemp -d /tmp/homelab-profile.XXXX)
trap 'rm -rf "$work"' EXIT

echo "== $binary ${args[*]}"
echo "size: $(du -h "$binary" | cut -f1), shared libraries: $(ldd "$binary" | wc -l)"
ldd "$binary" | awk '/swift|Foundation|dispatch/ {print "  " $1}'

echo "== dynamic loader (LD_DEBUG=statistics)"
LD_DEBUG=statistics "$binary" "${args[@]}" 2>&1 >/dev/null | grep -E "total startup time|time needed for relocation|number of relocations|relative relocations|time needed to load" | sed 's/^ *[0-9]*: */  /'

if command -v perf >/dev/null; then
    echo "== perf stat (5 runs)"
    perf stat -r 5 -e task-clock,page-faults,context-switches "$binary" "${args[@]}" 2>&1 >/dev/null | grep -E "task-clock|page-faults|context-switches|elapsed" | sed 's/^ */  /'
    perf record -q -F 20000 -g -o "$work/perf.data" "$binary" "${args[@]}" >/dev/null 2>&1 || true
    echo "== CPU by library (perf, one run)"
    perf report -i "$work/perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -10 || true
    echo "== CPU by function"
    perf report -i "$work/perf.data" --no-children --sort dso,sym -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15 | cut -c1-160 || true
fi

if command -v strace >/dev/null; then
    # Wall time per phase, from the system calls that mark them (strace adds a little to each): exec until the
    # first thread (dynamic loading, static initialisers, Swift runtime start), until the inventory is opened
    # (argument parsing), until the socket connects (inventory read, transport start), until the last byte of the
    # answers (HTTP: the requests and the server's time), until the first write to standard output (decoding,
    # rendering), until exit_group (output, shutdown). Median over 10 runs; a phase a command skips shows 0.
    echo "== phases (wall ms, strace -f -ttt, median of 10 runs)"
    for i in $(seq 10); do
        strace -f -ttt -e trace=execve,clone3,clone,openat,connect,recvfrom,write,exit_group -o "$work/phases.$i" \
            "$binary" "${args[@]}" >/dev/null 2>&1 || true
    done
    python3 - "$work" <<'PY'
import glob, statistics, sys
names = ["exec, loading, runtime init", "argument parsing", "inventory read, transport", "connect + HTTP",
         "decode + render", "output + exit"]
runs = []
for path in sorted(glob.glob(sys.argv[1] + "/phases.*")):
    events = []
    for line in open(path).read().splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and "resumed>" not in parts[2]:
            events.append((float(parts[1]), parts[2]))
    start, end = events[0][0], events[-1][0]
    def first(pred, after):
        return next((t for t, call in events if t >= after and pred(call)), None)
    thread = first(lambda c: c.startswith("clone"), start)
    inventory = first(lambda c: c.startswith("openat") and ".yaml" in c and "= -1" not in c, thread or start)
    connected = first(lambda c: c.startswith("connect(") and "= 0" in c, inventory or start)
    answered = max((t for t, c in events if connected and t >= connected and c.startswith("recvfrom(")
                    and "EAGAIN" not in c and ', "\\1"' not in c), default=None)
    output = first(lambda c: c.startswith("write(1,"), answered or thread or start)
    phases, last = [], start
    for mark in [thread, inventory, connected, answered, output, end]:
        if mark is None:
            phases.append(0.0)
        else:
            phases.append((mark - last) * 1e3)
            last = mark
    runs.append(phases)
for index, name in enumerate(names):
    print("  %-28s %6.1f" % (name, statistics.median(r[index] for r in runs)))
print("  %-28s %6.1f" % ("total", statistics.median(sum(r) for r in runs)))
PY
    echo "== system calls (strace -f -c)"
    strace -f -c -o "$work/strace.txt" "$binary" "${args[@]}" >/dev/null 2>&1 || true
    head -12 "$work/strace.txt"
fi

echo "== Swift protocol conformance records by module (in the binary; shared Swift libraries add their own)"
nm "$binary" 2>/dev/null | awk '$3 ~ /Mc$/ {print $3}' | swift demangle --compact 2>/dev/null \
    | sed -E 's/^protocol conformance descriptor for //' | awk -F'[.:]' '{print $1}' | sort | uniq -c | sort -rn | head -25 \
    | awk '{total += $1; print} END {}'
echo "  total: $(nm "$binary" 2>/dev/null | awk '$3 ~ /Mc$/' | wc -l)"
