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
    perf report -i "$work/perf.data" --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -10
    echo "== CPU by function"
    perf report -i "$work/perf.data" --no-children --sort dso,sym -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15 | cut -c1-160
fi

if command -v strace >/dev/null; then
    echo "== system calls (strace -f -c)"
    strace -f -c -o "$work/strace.txt" "$binary" "${args[@]}" >/dev/null 2>&1 || true
    head -12 "$work/strace.txt"
fi

echo "== Swift protocol conformance records by module (in the binary; shared Swift libraries add their own)"
nm "$binary" 2>/dev/null | awk '$3 ~ /Mc$/ {print $3}' | swift demangle --compact 2>/dev/null \
    | sed -E 's/^protocol conformance descriptor for //' | awk -F'[.:]' '{print $1}' | sort | uniq -c | sort -rn | head -25 \
    | awk '{total += $1; print} END {}'
echo "  total: $(nm "$binary" 2>/dev/null | awk '$3 ~ /Mc$/' | wc -l)"
