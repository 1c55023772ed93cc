#!/usr/bin/env bash
# The release build of the executables for everyday use (extra arguments go to `swift build`, e.g. --product homelab
# or --scratch-path DIR):
#   - the Swift runtime and Foundation linked statically: no symbol lookups in the shared Swift libraries at start-up;
#   - type metadata reached through direct accessors, not by mangled name: a type instantiated by name has its
#     generic requirements checked at run time, and each first check of a conformance scans all of the binary's
#     ~14,000 conformance records (a quarter of a `homelab` command's CPU before this flag; Benchmarks/README.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec swift build -c release --static-swift-stdlib --package-path "$root" \
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors "$@"
