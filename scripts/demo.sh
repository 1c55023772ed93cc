#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine with Swift 6: installs what is missing, builds,
# and runs `homelab` against the example homelab.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
swift build --product homelab
exec .build/debug/homelab inventory show Examples/homelab.yaml "$@"
