#!/usr/bin/env bash
# The whole test suite under a sanitizer, with every report kept and summarised:
#
#   scripts/sanitize.sh thread|address [swift test arguments, e.g. --filter 'Transport|Rollout']
#
# thread:  ThreadSanitizer (data races, lock-order inversions), TSAN_OPTIONS below.
# address: AddressSanitizer with LeakSanitizer (use after free, overflows, leaks at exit).
# Builds into .build-<sanitizer> (a clean sanitized build of the package takes ~20 min on 2 cores), starts the
# private test dockerd like scripts/test.sh, runs the suite with reports written per process under
# $SANITIZE_REPORTS (default /tmp/homelab-<sanitizer>), then prints each distinct report once (first frames in our
# code), with how many times it was seen. Exit status: 0 when no report came from our code, 1 otherwise.
# Test failures from the slowdown (deadlines missed at 5-15x) are listed apart: they are not sanitizer findings.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
kind=${1:?usage: $0 thread|address [swift test arguments]}
shift
case "$kind" in thread|address) ;; *) echo "sanitize.sh: thread or address, not $kind" >&2; exit 64 ;; esac

scripts/install-deps.sh test
reports=${SANITIZE_REPORTS:-/tmp/homelab-$kind}
rm -rf "$reports"; mkdir -p "$reports"
state=$(mktemp -d /tmp/homelab-sanitize.XXXXXX)
cleanup() {
    status=$?
    if [ -f "$state/docker.env" ] || [ -f "$state/dockerd.pid" ]; then scripts/dockerd-test.sh stop "$state" || true; fi
    rm -rf "$state" 2>/dev/null || true
    exit $status
}
trap cleanup EXIT INT TERM
if scripts/dockerd-test.sh start "$state"; then set -a; . "$state/docker.env"; set +a; fi

scratch="$root/.build-$kind"
swift build --build-tests --sanitize="$kind" --scratch-path "$scratch"
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-4}"
suppressions="$root/scripts/sanitizer-suppressions/$kind.txt"
if [ "$kind" = thread ]; then
    export TSAN_OPTIONS="log_path=$reports/report halt_on_error=0 second_deadlock_stack=1 history_size=4${TSAN_EXTRA:+ $TSAN_EXTRA}$( [ -f "$suppressions" ] && echo " suppressions=$suppressions")"
else
    export ASAN_OPTIONS="log_path=$reports/report halt_on_error=0 detect_leaks=1 detect_stack_use_after_return=0"
    export LSAN_OPTIONS="$( [ -f "$root/scripts/sanitizer-suppressions/leak.txt" ] && echo "suppressions=$root/scripts/sanitizer-suppressions/leak.txt")"
fi
set +e
swift test --skip-build --disable-xctest --sanitize="$kind" --scratch-path "$scratch" "$@" 2>&1 | tee "$reports/swift-test.out"
tests=${PIPESTATUS[0]}
set -e

echo "==== $kind sanitizer: $(ls "$reports" | grep -c '^report' || true) report files in $reports"
findings=0
python3 "$root/scripts/sanitizer-summary.py" "$reports" || findings=$?
echo "==== test run (exit $tests; under the sanitizer's slowdown, missed deadlines are expected and are not findings)"
grep -E '^✘ Test .* failed|Test run with' "$reports/swift-test.out" | tail -40 || true
exit "$findings"
