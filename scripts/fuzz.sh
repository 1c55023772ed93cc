#!/usr/bin/env bash
# Fuzzes the SDK's parsers with libFuzzer (the Fuzz/ package, one target per parser).
#   scripts/fuzz.sh [SECONDS] [TARGET...]     each target runs SECONDS (default 60); all targets when none is named
# Builds Fuzz/ in release with -sanitize=fuzzer,address, then runs the targets one after the other with
# -timeout=10, -rss_limit_mb=2048 (8192 for fuzz-resource-sync, below) and leak detection on. Prints the executions and exec/s per target. Exits 1 when any
# target crashed, leaked, hung or ran out of memory; its input is kept under Fuzz/crashes/<target>/ (printed).
# New inputs libFuzzer finds go to Fuzz/.build/corpus/<target>/; the committed seeds in Fuzz/Corpus/ are only read.
# Environment: FUZZ_BUILD=0 skips the build (run what was built last); FUZZ_TIMEOUT (seconds, default 10) is the
# time one input may take before it counts as a hang (raise it for a niced run beside a build, which can starve it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

all_targets=(
    fuzz-inventory fuzz-compose fuzz-docker-models fuzz-log-stream fuzz-jsonrpc fuzz-caddy-labels fuzz-resource-sync
    fuzz-secrets
)
seconds=${1:-60}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]; SECONDS is a whole number above 0, not '$seconds'" >&2
    exit 64
fi
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    if ! [[ " ${all_targets[*]} " == *" $target "* ]]; then
        echo "unknown fuzz target '$target'; the targets are: ${all_targets[*]}" >&2
        exit 64
    fi
done

# SwiftPM names a path dependency after its folder: a checkout folder named like the Fuzz package itself clashes.
if [ "$(basename "$root" | tr '[:upper:]' '[:lower:]')" = fuzz ]; then
    echo "the checkout's folder is named '$(basename "$root")', which SwiftPM confuses with the Fuzz package; rename it" >&2
    exit 64
fi

scripts/install-deps.sh build

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
    echo "building Fuzz/ (release, -sanitize=fuzzer,address)"
    start=$(date +%s)
    swift build --package-path Fuzz -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
    echo "built in $(( $(date +%s) - start )) s"
fi
bin="$root/Fuzz/.build/release"

# Swift's runtime keeps its metadata caches reachable, so a leak report is a real leak.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:handle_abort=1}"
# Fuzz/lsan-suppressions.txt: TOMLKit's own leaks and one once-built table, each explained there.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/Fuzz/lsan-suppressions.txt}"
# Swift's crash handler would print its own backtrace (and, under ASan, trip over its memory reader) instead of
# letting libFuzzer report the crash and keep the input.
export SWIFT_BACKTRACE=enable=no
failed=()
printf '%-20s %12s %10s %8s  %s\n' target executions exec/s seconds result > "$root/Fuzz/.build/fuzz-summary.txt"
for target in "${targets[@]}"; do
    corpus="$root/Fuzz/.build/corpus/$target"
    crashes="$root/Fuzz/crashes/$target"
    log="$root/Fuzz/.build/fuzz-$target.log"
    mkdir -p "$corpus" "$crashes"
    dict=()
    [ -f "Fuzz/Dictionaries/$target.dict" ] && dict=("-dict=$root/Fuzz/Dictionaries/$target.dict")
    # TOMLKit leaks on every parse (suppressed, Fuzz/lsan-suppressions.txt): measured 1.2 KB an execution that stay
    # (4 GB after 3.5 million executions in session 14), so an hour of fuzz-resource-sync passes 4 GB; its limit is 8 GB.
    rss_limit=2048
    [ "$target" = fuzz-resource-sync ] && rss_limit=8192
    echo "fuzzing $target for $seconds s (log: $log)"
    set +e
    started=$(date +%s)
    "$bin/$target" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="$rss_limit" -detect_leaks=1 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" "$root/Fuzz/Corpus/$target" > "$log" 2>&1
    status=$?
    elapsed=$(( $(date +%s) - started ))
    set -e
    runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}' | tail -1 || true)
    rate=$(grep -E '^stat::average_exec_per_sec:' "$log" | awk '{print $2}' | tail -1 || true)
    time=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | awk '{print $5}' | tail -1 || true)
    result=ok
    if [ "$status" -ne 0 ]; then
        result="FAILED (exit $status)"
        failed+=("$target")
        grep -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|SUMMARY:|Fatal error|Test unit written to' "$log" | head -8 >&2 || true
        echo "$target: the failing input is kept under $crashes/ (reproduce: $bin/$target <that file>)" >&2
    fi
    printf '%-20s %12s %10s %8s  %s\n' "$target" "${runs:-?}" "${rate:-?}" "${time:-$elapsed}" "$result" \
        | tee -a "$root/Fuzz/.build/fuzz-summary.txt"
    rmdir "$crashes" 2>/dev/null || true
done
echo "---- fuzzing summary ----"
cat "$root/Fuzz/.build/fuzz-summary.txt"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing failed for: ${failed[*]}" >&2
    exit 1
fi
