import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A PXE network in a pair of network namespaces this test makes (veth, 192.0.2.0/24 TEST-NET-1 inside them only):
/// the real dnsmasq with the configuration `DnsmasqConfiguration` generates in the server namespace, serving
/// Debian's iPXE binaries over TFTP; a PXE client's DHCP exchange (`pxe_dhcp_client.py`), busybox's tftp and wget in
/// the client namespace; the simulated matchbox reached from the namespaces through a unix socket
/// (`pxe_http_bridge.py` listens on 192.0.2.1:8080 in the server namespace). Everything is removed by name and pid.
final class NetworkBootLab: Sendable {
    static let serverAddress = "192.0.2.1"
    static let clientAddress = "192.0.2.50"
    static let lorcha = "52:54:00:a1:00:21"
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    let serverNamespace: String
    let clientNamespace: String
    let serverLink: String
    let clientLink: String
    let folder: TemporaryFolder
    let tools: Tools
    let simulation: HomelabSimulation
    let dnsmasq: ChildProcess
    let bridge: ChildProcess
    let configuration: DnsmasqConfiguration

    struct Tools: Sendable {
        var ip: String
        var dnsmasq: String
        var busybox: String
        var python: String
    }

    /// The tools, or `nil` after ``RealServer/require(_:available:hint:sourceLocation:)`` (skip, or fail under CI).
    static func tools() throws -> Tools? {
        let ip = RealServer.executable(["ip"])
        let dnsmasq = RealServer.executable(["dnsmasq"])
        let busybox = RealServer.executable(["busybox"])
        let python = RealServer.executable(["python3"])
        let ipxe = ["undionly.kpxe", "ipxe.efi"].allSatisfy { FileManager.default.fileExists(atPath: "/usr/lib/ipxe/" + $0) }
        guard try RealServer.require("root (network namespaces)", available: geteuid() == 0, hint: "run the tests as root"),
            try RealServer.require("ip (iproute2)", available: ip != nil, hint: "apt install iproute2"),
            try RealServer.require("dnsmasq", available: dnsmasq != nil, hint: "apt install dnsmasq-base"),
            try RealServer.require("busybox (tftp, wget)", available: busybox != nil, hint: "apt install busybox-static"),
            try RealServer.require("python3", available: python != nil, hint: "apt install python3"),
            try RealServer.require("Debian's iPXE binaries", available: ipxe, hint: "apt install ipxe"),
            let ip, let dnsmasq, let busybox, let python
        else { return nil }
        return Tools(ip: ip, dnsmasq: dnsmasq, busybox: busybox, python: python)
    }

    /// Builds the namespaces, starts the simulation, the bridge and dnsmasq in `mode`; stops everything after `body`.
    static func with(mode: PXESettings.Mode, tools: Tools, _ body: (NetworkBootLab) async throws -> Void) async throws {
        let tag = String(UUID().uuidString.filter(\.isHexDigit).prefix(6)).lowercased()
        let (server, client) = ("hlpxe-\(tag)-s", "hlpxe-\(tag)-c")
        let (serverLink, clientLink) = ("hx\(tag)s", "hx\(tag)c")
        let folder = try TemporaryFolder(prefix: "pxe-boot")
        var cleanups: [@Sendable () async -> Void] = []
        func cleanup() async { for step in cleanups.reversed() { await step() } }
        do {
            try await ChildProcess.check(tools.ip, ["netns", "add", server])
            cleanups.append { _ = try? await ChildProcess.run(tools.ip, ["netns", "del", server]) }
            try await ChildProcess.check(tools.ip, ["netns", "add", client])
            cleanups.append { _ = try? await ChildProcess.run(tools.ip, ["netns", "del", client]) }
            for command in [
                ["link", "add", serverLink, "netns", server, "type", "veth", "peer", "name", clientLink, "netns", client],
                ["-n", server, "addr", "add", "\(serverAddress)/24", "dev", serverLink],
                ["-n", server, "link", "set", serverLink, "up"], ["-n", server, "link", "set", "lo", "up"],
                ["-n", client, "link", "set", clientLink, "address", lorcha],
                ["-n", client, "addr", "add", "\(clientAddress)/24", "dev", clientLink],
                ["-n", client, "link", "set", clientLink, "up"], ["-n", client, "link", "set", "lo", "up"],
            ] {
                try await ChildProcess.check(tools.ip, command)
            }
            let tftp = folder.file("tftp")
            try FileManager.default.createDirectory(atPath: tftp, withIntermediateDirectories: true)
            for file in ["undionly.kpxe", "ipxe.efi"] { try FileManager.default.copyItem(atPath: "/usr/lib/ipxe/" + file, toPath: tftp + "/" + file) }

            let homelab = try InventoryLoader.load(yaml: inventory(mode: mode, interface: serverLink, tftpRoot: tftp), file: "pxe-lab.yaml")
            let socket = folder.file("matchbox.sock")
            let simulation = try await HomelabSimulation.start(
                inventory: homelab, options: SimulationOptions(listeners: [.matchbox: ListenerOptions(socketPath: socket)]))
            cleanups.append { await simulation.shutdown() }

            let bridge = try ChildProcess(
                tools.ip, ["netns", "exec", server, tools.python, here.appendingPathComponent("pxe_http_bridge.py").path, "--listen",
                    "\(serverAddress):8080", "--unix", socket], stdout: .pipe)
            cleanups.append { bridge.stop(grace: .seconds(1)) }
            guard try await bridge.readLine(timeout: .seconds(10)) == "ready" else { throw ChildProcessError("the HTTP bridge did not start") }

            let configuration = try DnsmasqConfiguration(homelab: homelab)
            let conf = folder.file("dnsmasq.conf")
            try configuration.render().write(toFile: conf, atomically: true, encoding: .utf8)
            let log = folder.file("dnsmasq.log")
            let dnsmasq = try ChildProcess(
                tools.ip, [
                    "netns", "exec", server, tools.dnsmasq, "--keep-in-foreground", "--conf-file=\(conf)", "--pid-file=\(folder.file("dnsmasq.pid"))",
                    "--log-facility=\(log)", "--dhcp-leasefile=\(folder.file("leases"))", "--user=root", "--group=root",
                ])
            cleanups.append { dnsmasq.stop(grace: .seconds(2)) }
            let started = ContinuousClock.now
            while !((try? String(contentsOfFile: log, encoding: .utf8))?.contains("TFTP root is") ?? false) {
                guard dnsmasq.isRunning, ContinuousClock.now - started < .seconds(10) else {
                    throw ChildProcessError("dnsmasq did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "no log")")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let lab = NetworkBootLab(
                serverNamespace: server, clientNamespace: client, serverLink: serverLink, clientLink: clientLink, folder: folder,
                tools: tools, simulation: simulation, dnsmasq: dnsmasq, bridge: bridge, configuration: configuration)
            try await body(lab)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    private init(
        serverNamespace: String, clientNamespace: String, serverLink: String, clientLink: String, folder: TemporaryFolder, tools: Tools,
        simulation: HomelabSimulation, dnsmasq: ChildProcess, bridge: ChildProcess, configuration: DnsmasqConfiguration
    ) {
        self.serverNamespace = serverNamespace
        self.clientNamespace = clientNamespace
        self.serverLink = serverLink
        self.clientLink = clientLink
        self.folder = folder
        self.tools = tools
        self.simulation = simulation
        self.dnsmasq = dnsmasq
        self.bridge = bridge
        self.configuration = configuration
    }

    static func inventory(mode: PXESettings.Mode, interface: String, tftpRoot: String) -> String {
        let lease = mode == .dhcp ? "  dhcp_ranges: [192.0.2.100-192.0.2.199]\n  router: 192.0.2.1\n" : ""
        return """
            version: 1
            name: pxe-lab
            nodes:
              - name: barbary
                role: manager
                platform: truenas
                address: 192.0.2.1
              - name: lorcha
                role: worker
                platform: bare-metal
                address: 192.0.2.21
                mac: "\(lorcha)"
              - name: dhow
                role: worker
                platform: bare-metal
                address: 192.0.2.22
                mac: "52:54:00:a1:00:22"
            pxe:
              mode: \(mode.rawValue)
              subnet: 192.0.2.0/24
              server: 192.0.2.1
              interface: \(interface)
            \(lease)  matchbox_url: http://192.0.2.1:8080
              tftp_root: \(tftpRoot)
            tiers: [infrastructure]
            stacks: []
            components:
              matchbox:
                url: http://192.0.2.1:8080

            """
    }

    /// What the PXE client's DHCP exchange ended with.
    struct Exchange: Decodable {
        struct Answer: Decodable {
            var type: Int
            var yiaddr: String
            var file: String
        }
        var answers: [Answer]
        var boot_file: String?
        var boot_server: String?
    }

    /// A PXE client's DHCP exchange from the client namespace, as `mac` with client architecture `arch`
    /// (0 BIOS, 7 x86-64 UEFI), as iPXE when `ipxe`.
    func dhcp(mac: String = lorcha, arch: Int, ipxe: Bool = false) async throws -> Exchange {
        var arguments = [
            "netns", "exec", clientNamespace, "env", "PXE_CLIENT_ADDRESS=\(Self.clientAddress)", tools.python,
            Self.here.appendingPathComponent("pxe_dhcp_client.py").path, "--iface", clientLink, "--mac", mac, "--arch", String(arch), "--timeout", "3",
        ]
        if ipxe { arguments += ["--user-class", "iPXE"] }
        let output = try await ChildProcess.check(tools.ip, arguments)
        return try JSONDecoder().decode(Exchange.self, from: Data(output.utf8))
    }

    /// Fetches a file over TFTP from the server, in the client namespace; returns its bytes.
    func tftp(_ name: String) async throws -> [UInt8] {
        let target = folder.file("got-" + name)
        try await ChildProcess.check(tools.ip, ["netns", "exec", clientNamespace, tools.busybox, "tftp", "-g", "-r", name, "-l", target, Self.serverAddress])
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: target)))
    }

    /// GETs a URL in the client namespace with busybox wget.
    func http(_ url: String) async throws -> String {
        try await ChildProcess.check(tools.ip, ["netns", "exec", clientNamespace, tools.busybox, "wget", "-q", "-O", "-", url])
    }

    /// dnsmasq's log so far.
    var log: String { (try? String(contentsOfFile: folder.file("dnsmasq.log"), encoding: .utf8)) ?? "" }

    /// iPXE's expansion of the bootstrap script's variables for this client (BIOS build: `buildarch` is i386).
    static func expand(_ chain: String, mac: String) -> String {
        chain.replacingOccurrences(of: "${mac:hexhyp}", with: mac.replacingOccurrences(of: ":", with: "-"))
            .replacingOccurrences(of: "${buildarch:uristring}", with: "i386")
            .replacingOccurrences(of: "${uuid}", with: "00010203-0405-0607-0809-0a0b0c0d0e0f")
            .replacingOccurrences(of: "${domain}", with: "").replacingOccurrences(of: "${hostname}", with: "")
            .replacingOccurrences(of: "${serial}", with: "")
    }
}

@Suite("PXE network boot in network namespaces", .serialized)
struct NetworkBootTests {
    @Test("proxy-DHCP: the PXE ROM gets undionly.kpxe (BIOS) or ipxe.efi (UEFI) over TFTP, iPXE gets matchbox's script, which chains to lorcha's profile")
    func proxyDHCPBoot() async throws {
        guard let tools = try NetworkBootLab.tools() else { return }
        try await NetworkBootLab.with(mode: .proxy, tools: tools) { lab in
            // 1. The PXE ROM (BIOS): a proxy offer with a boot menu, then the boot server names the iPXE binary.
            let bios = try await lab.dhcp(arch: 0)
            #expect(bios.boot_file == "undionly.kpxe", "\(bios) \(lab.log)")
            #expect(bios.boot_server == NetworkBootLab.serverAddress)
            #expect(bios.answers.first?.yiaddr == "0.0.0.0", "proxy-DHCP leases no address")
            let uefi = try await lab.dhcp(arch: 7)
            #expect(uefi.boot_file == "ipxe.efi", "\(uefi) \(lab.log)")

            // 2. TFTP serves Debian's iPXE, byte for byte.
            let kpxe = try await lab.tftp("undionly.kpxe")
            #expect(kpxe == [UInt8](try Data(contentsOf: URL(fileURLWithPath: "/usr/lib/ipxe/undionly.kpxe"))))

            // 3. iPXE asks again with user class iPXE: it is sent to matchbox instead of iPXE again (no loop).
            let ipxe = try await lab.dhcp(arch: 0, ipxe: true)
            #expect(ipxe.boot_file == "http://192.0.2.1:8080/boot.ipxe", "\(ipxe)")

            // 4. iPXE runs matchbox's script, which chains to /ipxe with its MAC; matchbox answers lorcha's profile.
            let script = try await lab.http(try #require(ipxe.boot_file))
            let chain = try #require(script.split(separator: "\n").first { $0.hasPrefix("chain ") }).dropFirst("chain ".count)
            let profile = try await lab.http("http://192.0.2.1:8080/" + NetworkBootLab.expand(String(chain), mac: NetworkBootLab.lorcha))
            let parsed = try #require(Matchbox.IPXEScript(profile), "\(profile)")
            #expect(parsed.kernel == "/assets/debian/bookworm/linux")
            #expect(parsed.initrd == ["/assets/debian/bookworm/initrd.gz"])
            #expect(parsed.args.contains("url=http://192.0.2.1:8080/generic?mac=${mac:hexhyp}"))
            #expect(try await lab.http("http://192.0.2.1:8080" + (parsed.kernel ?? "")).hasPrefix("simulated debian/bookworm/linux"))

            // 5. A machine that is not in the inventory gets no boot file (only_known_nodes).
            let stranger = try await lab.dhcp(mac: "52:54:00:00:00:99", arch: 0)
            #expect(stranger.boot_file == nil, "\(stranger)")
            #expect(lab.log.contains("52:54:00:a1:00:21") && lab.log.contains("tags: homelab"))
        }
    }

    @Test("full DHCP: lorcha gets its static lease and the boot file for its firmware; iPXE gets matchbox's URL")
    func fullDHCPBoot() async throws {
        guard let tools = try NetworkBootLab.tools() else { return }
        try await NetworkBootLab.with(mode: .dhcp, tools: tools) { lab in
            let bios = try await lab.dhcp(arch: 0)
            #expect(bios.answers.first?.yiaddr == "192.0.2.21", "\(bios) \(lab.log)")
            #expect(bios.boot_file == "undionly.kpxe")
            #expect(try await lab.dhcp(arch: 7).boot_file == "ipxe.efi")
            #expect(try await lab.dhcp(arch: 0, ipxe: true).boot_file == "http://192.0.2.1:8080/boot.ipxe")
            let stranger = try await lab.dhcp(mac: "52:54:00:00:00:99", arch: 0)
            #expect(stranger.boot_file == nil || stranger.boot_file == "", "\(stranger)")
        }
    }
}
