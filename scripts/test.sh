#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine with Swift 6:
# installs what is missing, starts a private dockerd in swarm mode (scripts/dockerd-test.sh),
# builds, runs every test, builds Examples/LibraryUsage, and stops exactly what it started.
# Tests that need sshd start and stop their own. Under CI=true a missing real server fails its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh test

state=$(mktemp -d /tmp/homelab-test.XXXXXX)
cleanup() {
    status=$?
    if [ -x scripts/dockerd-test.sh ] && [ -f "$state/docker.env" -o -f "$state/dockerd.pid" ]; then
        scripts/dockerd-test.sh stop "$state" || true
    fi
    rm -rf "$state" 2>/dev/null || true
    exit $status
}
trap cleanup EXIT INT TERM

if [ -x scripts/dockerd-test.sh ]; then
    if scripts/dockerd-test.sh start "$state"; then
        set -a; . "$state/docker.env"; set +a
    else
        echo "warning: the test dockerd did not start; Docker integration tests will fail under CI=true" >&2
    fi
fi

swift build --build-tests
if [ -f Examples/LibraryUsage/Package.swift ]; then
    echo "building Examples/LibraryUsage (a separate package using HomelabCore by path)"
    swift build --package-path Examples/LibraryUsage --scratch-path "$root/.build-libusage"
fi
# Swift Testing starts every test at once; on 2 cores, hundreds of simulations, python peers and real daemons
# starting together starve each other's deadlines. Eight test cases at a time keep both cores busy without that.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH="${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-8}"
# Should the test process crash, print the crashed thread only (no registers, no image list), so that the crash
# message and its frames are what a CI log's tail shows.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=yes,interactive=no,threads=crashed,registers=none,images=none,limit=48}"
# Last, so that its closing line ("Test run with N tests ... passed") ends the output. A CI log keeps only its head
# and tail, so on failure the failing tests and their issues are repeated just before that closing line.
output="$state/swift-test.out"
set +e
swift test --skip-build --disable-xctest 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
    echo "---- the failures above, repeated (exit status $status) ----"
    grep -E -A4 'recorded an issue|Fatal error|Crash:|Thread [0-9]+ crashed' "$output" | grep -v '^--$' | head -120 || true
    grep -E '^✘ (Test|Suite) ' "$output" | grep -v '^✘ Test run' | head -40 || true
    grep -E 'Test run with' "$output" | tail -1 || true
fi
exit "$status"
