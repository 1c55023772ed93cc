import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// A dockerd of a test's own inside a network namespace the test made (its port 2377 is the namespace's, so the
/// shared test engine keeps 127.0.0.1:2377): its own data root, exec root, pidfile, containerd namespace, log and a
/// unix socket in a folder outside the namespace. Shared by ``SwarmPair`` (two engines on a veth pair) and
/// ``RestartableEngine`` (one engine stopped and started again on the same data root).
enum NamespacedDockerd {
    /// The executables these tests need.
    struct Tools: Sendable {
        var ip: String
        var dockerd: String
        var docker: String
        var busybox: String
        var nsenter: String
    }

    /// The tools, or `nil` after ``RealServer/require(_:available:hint:sourceLocation:)`` (skip, or fail under CI).
    static func tools() throws -> Tools? {
        let ip = RealServer.executable(["ip"])
        let dockerd = RealServer.executable(["dockerd"])
        let docker = RealServer.executable(["docker"])
        let busybox = RealServer.executable(["busybox"])
        let nsenter = RealServer.executable(["nsenter"])
        guard try RealServer.require("root (network namespaces, dockerd)", available: geteuid() == 0, hint: "run the tests as root"),
            try RealServer.require("ip (iproute2)", available: ip != nil, hint: "apt install iproute2"),
            try RealServer.require("dockerd and docker", available: dockerd != nil && docker != nil, hint: "apt install docker.io"),
            try RealServer.require("busybox (the test image)", available: busybox != nil, hint: "apt install busybox-static"),
            // nsenter --net, not `ip netns exec`: that remounts /sys, hiding the cgroup file system dockerd needs.
            try RealServer.require("nsenter (util-linux)", available: nsenter != nil, hint: "apt install util-linux"),
            let ip, let dockerd, let docker, let busybox, let nsenter
        else { return nil }
        return Tools(ip: ip, dockerd: dockerd, docker: docker, busybox: busybox, nsenter: nsenter)
    }

    /// Starts dockerd in `namespace` with everything under `directory` (`data/`, `exec/`, `daemon.json`,
    /// `dockerd.log`, `docker.pid`) and its socket at `socket`; the log is appended to across restarts.
    static func start(
        tools: Tools, namespace: String, directory: String, socket: String, containerdNamespace: String
    ) throws -> ChildProcess {
        for sub in ["data", "exec"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + sub, withIntermediateDirectories: true)
        }
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/daemon.json"))
        let log = directory + "/dockerd.log"
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        return try ChildProcess(
            "/bin/sh",
            [
                "-c", "nsenter=$0; ns=$1; dockerd=$2; log=$3; shift 3; exec \"$nsenter\" --net=/var/run/netns/\"$ns\" \"$dockerd\" \"$@\" >>\"$log\" 2>&1",
                tools.nsenter, namespace, tools.dockerd, log,
                "--config-file", directory + "/daemon.json", "--host", "unix://" + socket,
                "--data-root", directory + "/data", "--exec-root", directory + "/exec", "--pidfile", directory + "/docker.pid",
                "--containerd-namespace", containerdNamespace, "--containerd-plugins-namespace", containerdNamespace + "-plugins",
                "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--ip-forward=false", "--bridge=none",
                "--storage-driver=vfs",
            ],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DOCKER_SERVICE_PREFER_OFFLINE_IMAGE": "1"])
    }

    /// Waits until `docker version` answers on `socket`.
    /// - Throws: when dockerd exits first (with the end of its log) or does not answer within `timeout`.
    static func waitUntilAnswering(
        _ daemon: ChildProcess, socket: String, directory: String, docker: String, timeout: Duration
    ) async throws {
        let log = directory + "/dockerd.log"
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = daemon.exitStatus {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw ChildProcessError("dockerd exited \(status): \(text.split(separator: "\n").suffix(5).joined(separator: " | "))")
            }
            if FileManager.default.fileExists(atPath: socket),
                (try? await ChildProcess.run(docker, ["-H", "unix://" + socket, "version"]))?.status == 0
            {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ChildProcessError("dockerd did not answer on \(socket) within \(timeout) (log: \(log))")
    }

    /// Unmounts what a stopped dockerd left under `folder` (vfs leaves no mounts; the exec root may hold netns bind
    /// mounts of containers).
    static func unmountLeftovers(under folder: String) async {
        _ = try? await ChildProcess.run("/bin/sh", ["-c", "grep -o ' \(folder)/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l"])
    }

    /// `docker import` of busybox-static with every applet, as `homelab-test/busybox:TAG` for each of `tags` (what
    /// scripts/dockerd-test.sh makes for the shared engine); the root file system is built under `scratch`.
    static func importBusybox(tools: Tools, socket: String, scratch: String, tags: [String]) async throws {
        let script = """
            set -e
            docker=$1; scratch=$2; busybox=$3; socket=$4; shift 4
            root="$scratch/rootfs"; mkdir -p "$root/bin" "$root/tmp" "$root/etc" "$root/proc" "$root/sys" "$root/dev"
            cp "$busybox" "$root/bin/busybox"
            for applet in $("$busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"; done
            chmod 1777 "$root/tmp"
            tar -C "$root" -cf "$scratch/rootfs.tar" .
            for tag in "$@"; do
                "$docker" -H "unix://$socket" import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' "$scratch/rootfs.tar" "homelab-test/busybox:$tag" >/dev/null
            done
            rm -rf "$root" "$scratch/rootfs.tar"
            """
        try await ChildProcess.check("/bin/sh", ["-c", script, "sh", tools.docker, scratch, tools.busybox, socket] + tags)
    }
}
