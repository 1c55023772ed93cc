#!/bin/sh
# Issue 4, point 6: list 2,000 services with status from a simulated 100-node homelab and print the median.
#
#   Benchmarks/SimulatorScale/measure.sh [nodes=100,services=2000]
#
# Builds homelab-sim in release mode, starts the generated homelab, times 25 calls of
# GET /v1.47/services?status=true through the SDK's HTTP client (after 3 warm-up calls), prints
# median/p90/min, and stops. Run from the package root.
set -eu
scale="${1:-nodes=100,services=2000}"
swift build -c release --product homelab-sim >/dev/null
exec .build/release/homelab-sim --scale "$scale" --measure
