#!/usr/bin/env bash
# The release build of the executables for everyday use (extra arguments go to `swift build`, e.g. --product homelab
# or --scratch-path DIR):
#   - the Swift runtime and Foundation linked statically: no symbol lookups in the shared Swift libraries at start-up;
#   - type metadata reached through direct accessors, not by mangled name: a type instantiated by name has its
#     generic requirements checked at run time, and each first check of a conformance scans all of the binary's
#     ~14,000 conformance records (a quarter of a `homelab` command's CPU before this flag; Benchmarks/README.md);
#   - `homelab` and `homelab-repl`, started once per use, linked as fixed-address executables (`-no-pie`): a
#     position-independent one makes the dynamic loader apply ~149,000 relative relocations (and touch their pages)
#     at every start: a listing 29.9 -> 27.0 ms, `--version` 11.0 -> 9.1 (Benchmarks/README.md, Startup). The long-running
#     `homelab-exporter`, which listens on the network, and the simulator stay position-independent (their image is
#     placed at a random address). Shared libraries are placed at random addresses either way;
#   - no symbols exported from the executables (`--no-export-dynamic`, overriding the static standard library's
#     `-export-dynamic`): the runtime's backtrace set-up calls `dladdr` before `main`, which walks the executable's
#     whole dynamic symbol table, ~59,000 entries when every public Swift symbol is exported (about a millisecond
#     of each start), and each library loaded later has its symbols looked up in that table first. Nothing resolves
#     our symbols by name (the one `dlsym` is on libcurl's and libssh's handles), and crash backtraces symbolicate
#     from the full symbol table, which stays. With timestamps parsed without Calendar, a listing 21.5 -> 16.7 ms
#     (Benchmarks/README.md, Startup);
#   - libstdc++ (the Swift runtime's C++ library) linked statically when its archive is installed (libstdc++-12-dev,
#     which Swift needs anyway): one shared library fewer to map and relocate (~5,200 relocations) at every start,
#     about 0.5 ms of a listing. The linker takes the first libstdc++ it finds along -L, so a directory holding only
#     the archive goes first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=(swift build -c release --static-swift-stdlib --package-path "$root"
    -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors -Xlinker --no-export-dynamic)
archive=$(clang -print-file-name=libstdc++.a 2>/dev/null || true)
if [[ $archive == /* && -f $archive ]]; then
    static_cxx="$root/.build/libstdc++-static"
    mkdir -p "$static_cxx"
    ln -sfn "$archive" "$static_cxx/libstdc++.a"
    build+=(-Xlinker -L"$static_cxx")
else
    echo "build-release: libstdc++.a not found (apt-get install libstdc++-12-dev); libstdc++ stays shared" >&2
fi

# The products asked for (--product NAME, as often as wanted); none means the five executables. (A plain
# `swift build -c release` would also build the tests' support target, which needs the Testing module.)
products=() other=()
args=("$@")
for (( i = 0; i < ${#args[@]}; i++ )); do
    case ${args[i]} in
        --product) products+=("${args[i + 1]:-}"); i=$((i + 1)) ;;
        --product=*) products+=("${args[i]#--product=}") ;;
        *) other+=("${args[i]}") ;;
    esac
done
is_cli() { [[ $1 == homelab || $1 == homelab-repl ]]; }

(( ${#products[@]} )) || products=(homelab homelab-repl homelab-exporter homelab-demo homelab-sim)
for product in "${products[@]}"; do
    if is_cli "$product"; then
        "${build[@]}" "${other[@]}" --product "$product" -Xlinker -no-pie
    else
        "${build[@]}" "${other[@]}" --product "$product"
    fi
done
