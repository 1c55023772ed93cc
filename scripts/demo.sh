#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine with Swift 6: installs what is missing, builds,
# and runs `homelab demo` (a simulated homelab on 127.0.0.1: homelab runs homelab-demo, which links the simulator).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
swift build --product homelab
swift build --product homelab-demo
exec .build/debug/homelab demo "$@"
