#!/usr/bin/env bash
# A private, throw-away swarm-mode dockerd for the integration tests and the listing benchmark.
#
#   scripts/dockerd-test.sh start STATE_DIR   start dockerd on unix://STATE_DIR/docker.sock, swarm init on
#                                             127.0.0.1:2377, import homelab-test/busybox:1 and :2 from
#                                             busybox-static, write STATE_DIR/docker.env
#   scripts/dockerd-test.sh stop STATE_DIR    leave the swarm, stop exactly that dockerd by its pid, unmount
#                                             and remove what it left in STATE_DIR
#
# dockerd runs with --iptables=false --ip6tables=false --bridge=none --storage-driver=vfs, with its own
# data root, exec root, pidfile, config file and containerd namespace, all under STATE_DIR. It never touches
# another dockerd: it refuses to start when 127.0.0.1:2377 is taken (only one swarm-mode dockerd fits on a
# machine), and stop only signals the pid this script recorded, after checking the process is ours.
# No ports are published and nothing here sends traffic to container addresses.
set -euo pipefail

readonly SWARM_PORT=2377
readonly START_TIMEOUT=60
readonly SOCKET_GROUP=homelab-docker-test
readonly STOP_TIMEOUT=30
readonly MARKER=.homelab-dockerd-test

die() { echo "dockerd-test: $*" >&2; exit 1; }
say() { echo "dockerd-test: $*" >&2; }

usage() { die "usage: $0 start|stop STATE_DIR"; }

[[ $# -eq 2 ]] || usage
command=$1
state=$2
mkdir -p "$state"
state=$(cd "$state" && pwd -P)

# unix socket paths are limited to 107 bytes; containerd's socket lives deepest, under exec/containerd/.
if (( ${#state} > 60 )); then
    die "STATE_DIR path '$state' is too long for unix sockets (keep it under 60 characters, e.g. mktemp -d /tmp/dockerd.XXXX)"
fi

sock="$state/docker.sock"
pidfile="$state/docker.pid"
docker_cli=(docker -H "unix://$sock")

port_busy() {
    # ss prints a header line; anything beyond it is a listener on the port.
    [[ $(ss -Htln "sport = :$SWARM_PORT" 2>/dev/null | wc -l) -gt 0 ]]
}

our_pid() {
    # The pid from our pidfile, if that process is alive and is a dockerd using our state dir.
    [[ -s $pidfile ]] || return 1
    local pid
    pid=$(tr -dc '0-9' < "$pidfile")
    [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
    local cmdline
    cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline")
    [[ $cmdline == *dockerd* && $cmdline == *"$state/data"* ]] || return 1
    echo "$pid"
}

make_rootfs_tar() {
    local root="$state/rootfs" busybox
    busybox=$(command -v busybox || true)
    [[ -n $busybox ]] || die "busybox not found (apt-get install busybox-static)"
    file -L "$busybox" 2>/dev/null | grep -q 'statically linked' ||
        ldd "$busybox" 2>&1 | grep -q 'not a dynamic executable' ||
        die "$busybox is not statically linked (install busybox-static)"
    rm -rf "$root"
    mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
    cp "$busybox" "$root/bin/busybox"
    local applet
    for applet in $("$busybox" --list); do
        [[ $applet == busybox ]] || ln -sf busybox "$root/bin/$applet"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
    echo 'root:x:0:' > "$root/etc/group"
    chmod 1777 "$root/tmp"
    tar -C "$root" -cf "$state/rootfs.tar" .
    rm -rf "$root"
}

start() {
    if pid=$(our_pid); then
        die "a dockerd from this STATE_DIR is already running (pid $pid); stop it first"
    fi
    if port_busy; then
        die "127.0.0.1:$SWARM_PORT is in use: another swarm-mode dockerd runs on this machine; wait for it to stop and retry"
    fi
    command -v dockerd >/dev/null || die "dockerd not found (apt-get install docker.io)"
    command -v docker >/dev/null || die "docker CLI not found (apt-get install docker.io)"

    touch "$state/$MARKER"
    mkdir -p "$state/data" "$state/exec"
    echo '{}' > "$state/daemon.json"
    # Whether docker_gwbridge (made by swarm init) existed before us, so stop removes it only if we made it.
    if ip link show docker_gwbridge >/dev/null 2>&1; then
        echo yes > "$state/gwbridge-preexisting"
    else
        echo no > "$state/gwbridge-preexisting"
    fi

    local namespace
    namespace="homelab-test-$(basename "$state" | tr -c 'a-zA-Z0-9\n' '-')"
    # The socket's group: lets the sshd test user reach this dockerd through `docker system dial-stdio`.
    local group_args=()
    if [ "$(id -u)" = 0 ] && command -v groupadd >/dev/null; then
        groupadd -f "$SOCKET_GROUP" && group_args=(--group "$SOCKET_GROUP")
        chmod 711 "$state"  # traversable (not listable) so group members can reach the socket
    fi
    say "starting dockerd on unix://$sock (log: $state/dockerd.log)"
    # Tasks use the local image without first trying a registry (none is reachable here).
    DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid dockerd \
        --config-file "$state/daemon.json" \
        --host "unix://$sock" \
        --data-root "$state/data" \
        --exec-root "$state/exec" \
        --pidfile "$pidfile" \
        --containerd-namespace "$namespace" \
        --containerd-plugins-namespace "$namespace-plugins" \
        --iptables=false --ip6tables=false --ip-masq=false --ip-forward=false \
        --bridge=none --storage-driver=vfs "${group_args[@]}" \
        > "$state/dockerd.log" 2>&1 < /dev/null &
    local launched=$!
    echo "$launched" > "$state/launched.pid"

    local waited=0
    until curl -fsS --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; do
        if ! kill -0 "$launched" 2>/dev/null; then
            tail -n 30 "$state/dockerd.log" >&2 || true
            die "dockerd exited during start-up (see $state/dockerd.log)"
        fi
        (( waited++ < START_TIMEOUT * 5 )) || { stop_daemon; die "dockerd did not answer /_ping within ${START_TIMEOUT}s"; }
        sleep 0.2
    done
    say "dockerd is up (pid $(tr -dc '0-9' < "$pidfile"))"

    "${docker_cli[@]}" swarm init --advertise-addr 127.0.0.1 --listen-addr "127.0.0.1:$SWARM_PORT" >/dev/null ||
        { stop_daemon; die "swarm init failed"; }
    say "swarm initialised on 127.0.0.1:$SWARM_PORT"

    make_rootfs_tar
    local tag
    for tag in 1 2; do
        "${docker_cli[@]}" import \
            --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' \
            --message "homelab test image $tag" \
            "$state/rootfs.tar" "homelab-test/busybox:$tag" >/dev/null || { stop_daemon; die "docker import failed"; }
    done
    rm -f "$state/rootfs.tar"
    say "imported homelab-test/busybox:1 and homelab-test/busybox:2"

    echo "HOMELAB_TEST_DOCKER_HOST=unix://$sock" > "$state/docker.env"
    say "ready: $(cat "$state/docker.env")"
}

# Kills processes whose command line names our state dir (containerd and its shims), by pid.
kill_leftovers() {
    local signal=$1 proc pid cmdline
    for proc in /proc/[0-9]*; do
        pid=${proc#/proc/}
        [[ $pid == "$$" ]] && continue
        cmdline=$( { tr '\0' ' ' < "$proc/cmdline"; } 2>/dev/null) || continue
        if [[ $cmdline == *"$state/exec"* || $cmdline == *"$state/data"* ]]; then
            kill "-$signal" "$pid" 2>/dev/null || true
        fi
    done
}

stop_daemon() {
    local pid
    if ! pid=$(our_pid); then
        say "no dockerd of ours is running for $state"
        return 0
    fi
    say "stopping dockerd pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if (( waited++ >= STOP_TIMEOUT * 5 )); then
            say "dockerd pid $pid did not stop within ${STOP_TIMEOUT}s: sending KILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    # The managed containerd and the shims normally exit with dockerd; anything of ours left goes now.
    sleep 0.5
    kill_leftovers TERM
    sleep 1
    kill_leftovers KILL
}

stop() {
    [[ -e "$state/$MARKER" ]] || die "$state was not made by this script (no $MARKER); refusing to touch it"
    if our_pid >/dev/null; then
        "${docker_cli[@]}" swarm leave --force >/dev/null 2>&1 || say "swarm leave failed (continuing)"
    fi
    stop_daemon

    # Unmount anything still mounted below the state dir, deepest first.
    local mounts mount
    mounts=$(awk -v root="$state/" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    for mount in $mounts; do
        umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || say "could not unmount $mount"
    done
    if [[ $(cat "$state/gwbridge-preexisting" 2>/dev/null) == no ]] && ip link show docker_gwbridge >/dev/null 2>&1; then
        ip link delete docker_gwbridge 2>/dev/null || say "could not delete docker_gwbridge"
    fi
    rm -rf "$state/data" "$state/exec" "$state/rootfs" "$state/rootfs.tar" 2>/dev/null ||
        say "some files under $state could not be removed"
    rm -f "$sock" "$pidfile" "$state/launched.pid" "$state/docker.env" "$state/daemon.json" "$state/gwbridge-preexisting"
    say "stopped; log kept at $state/dockerd.log"
}

case $command in
    start) start ;;
    stop) stop ;;
    *) usage ;;
esac
