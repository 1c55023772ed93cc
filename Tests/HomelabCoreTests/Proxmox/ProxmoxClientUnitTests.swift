import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@Suite("Proxmox client pieces without a server: UPIDs, answers, errors, retries, tickets, fingerprints")
struct ProxmoxClientUnitTests {
    @Test("A UPID decodes into its fields and encodes back as upid_encode writes it")
    func upid() throws {
        let text = "UPID:pve1:0002F1A3:00B1C2D3:6765A1B2:qmstart:101:homelab@pve!sdk:"
        let upid = try Proxmox.UPID(text)
        #expect(upid.node == "pve1" && upid.pid == 0x2F1A3 && upid.pstart == 0xB1C2D3 && upid.starttime == 0x6765A1B2)
        #expect(upid.type == "qmstart" && upid.id == "101" && upid.user == "homelab@pve!sdk")
        let encoded = Proxmox.UPID(node: "pve1", pid: 0x2F1A3, pstart: 0xB1C2D3, starttime: 0x6765A1B2, type: "qmstart", id: "101", user: "homelab@pve!sdk")
        #expect(encoded.rawValue == text)
        for bad in ["", "UPID:pve1:zz:00:00:qmstart:101:root@pam:", "TASK:pve1:1:2:3:a:b:c:", "UPID::1:2:3:a:b:c:"] {
            #expect(throws: HomelabError.self) { try Proxmox.UPID(bad) }
        }
    }

    @Test("OK and WARNINGS: n are success; anything else is the error", arguments: [
        ("OK", true), ("WARNINGS: 3", true), ("unexpected status", false), ("WARNINGS:3", false), ("command 'qm start' failed", false),
    ])
    func exitStatus(text: String, success: Bool) {
        #expect(Proxmox.TaskStatus.isSuccess(text) == success)
    }

    @Test("Answers decode leniently: 0/1 booleans, numeric strings, unknown fields and enum values")
    func lenientDecoding() throws {
        let json = """
            {"data":[{"vmid":"101","name":"ching","status":"hibernated","template":0,"cpu":"0.25","maxmem":8589934592,
              "future-field":{"x":1}},{"vmid":9000,"status":"stopped","template":1}]}
            """
        struct Answer: Decodable { let data: [Proxmox.VM] }
        let vms = try JSONDecoder().decode(Answer.self, from: Data(json.utf8)).data
        #expect(vms[0].vmid == 101 && vms[0].status == .unknown("hibernated") && vms[0].cpu == 0.25 && !vms[0].template)
        #expect(vms[1].template && vms[1].status == .stopped)
        let task = try JSONDecoder().decode(Proxmox.TaskStatus.self, from: Data(#"{"upid":"u","status":"some error","endtime":5}"#.utf8))
        #expect(task.status == .stopped && task.exitstatus == "some error" && !task.succeeded)
        let config = try JSONDecoder().decode(Proxmox.VMConfig.self, from: Data(#"{"memory":4096,"name":"x","digest":"abc","newkey":"v"}"#.utf8))
        #expect(config.memory == 4096 && config.digest == "abc" && config[text: "newkey"] == "v" && config.values["digest"] == nil)
    }

    @Test("Errors: locked, stale digest, missing guest, parameter errors and 596 get precise codes")
    func errorMapping() {
        func error(_ status: Int, _ body: String) -> HomelabError {
            ErrorMapping.proxmox.error(
                status: status, body: Array(body.utf8), request: HTTPRequest(path: "/x"), endpoint: "https://pve:8006", component: "proxmox")
        }
        #expect(error(500, #"{"data":null,"message":"VM is locked (backup)\n"}"#).code == .conflict)
        #expect(error(500, #"{"data":null,"message":"detected modified configuration - file changed by other user? Try again.\n"}"#).code == .outOfSequence)
        #expect(error(500, #"{"data":null,"message":"Configuration file 'nodes/pve1/qemu-server/5.conf' does not exist\n"}"#).code == .notFound)
        let parameters = error(400, #"{"data":null,"message":"Parameter verification failed.\n","errors":{"memory":"type check failed"}}"#)
        #expect(parameters.code == .invalidArgument && parameters.serverMessage?.contains("memory: type check failed") == true)
        #expect(error(596, "").code == .tlsFailure)
        #expect(error(401, "").code == .unauthorized)
    }

    @Test("A POST answered 'VM is locked' is retried (it was refused before acting); other POST failures are not")
    func lockedPostIsRetried() async throws {
        let transport = InMemoryTransport()
        let locked = HTTPResponse(status: 500, body: Array(#"{"data":null,"message":"VM is locked (backup)\n"}"#.utf8))
        let upid = HTTPResponse(status: 200, body: Array(#"{"data":"UPID:pve1:00000001:00000002:00000003:qmstop:101:root@pam:"}"#.utf8))
        transport.enqueue([.success(locked), .success(locked), .success(upid)])
        let client = ProxmoxClient(transport: transport, endpoint: .url("https://pve:8006/api2/json"), auth: [])
        let started = try await client.vms(node: "pve1").request(.stop, 101)
        #expect(started.type == "qmstop")
        #expect(transport.requests.count == 3)
        transport.enqueue([.success(HTTPResponse(status: 500, body: Array(#"{"data":null,"message":"VM 101 not running\n"}"#.utf8)))])
        await #expect(throws: HomelabError.self) { try await client.vms(node: "pve1").request(.stop, 101) }
        #expect(transport.requests.count == 4, "a plain failure of a POST is not repeated")
    }

    @Test("Ticket login: one login, cookie on every request, CSRF token only on writes, renewal with the ticket")
    func ticket() async throws {
        let transport = InMemoryTransport { request, _ in
            if request.path.hasSuffix("/access/ticket") {
                let form = String(decoding: request.body ?? [], as: UTF8.self)
                let ticket = form.contains("password=secret-pw") ? "PVE:root@pam:1::first" : "PVE:root@pam:2::renewed"
                return HTTPResponse(status: 200, body: Array(#"{"data":{"ticket":"\#(ticket)","CSRFPreventionToken":"csrf-1","username":"root@pam"}}"#.utf8))
            }
            return HTTPResponse(status: 200, body: Array(#"{"data":{"version":"9.1.2","release":"9.1"}}"#.utf8))
        }
        let clock = ProxmoxTestClock()
        let auth = ProxmoxTicketAuth(username: "root@pam", password: Secret("secret-pw"), now: { clock.now })
        let client = ProxmoxClient(transport: transport, endpoint: .url("https://pve:8006/api2/json"), auth: [auth])
        _ = try await client.version()
        _ = try? await client.vms(node: "pve1").request(.start, 101)
        let requests = transport.requests
        #expect(requests.filter { $0.path.hasSuffix("/access/ticket") }.count == 1)
        let get = try #require(requests.first { $0.path == "/version" })
        #expect(get.headers["Cookie"]?.hasPrefix("PVEAuthCookie=PVE%3Aroot%40pam%3A1") == true && get.headers["CSRFPreventionToken"] == nil)
        let post = try #require(requests.first { $0.method == .post && !$0.path.hasSuffix("/access/ticket") })
        #expect(post.headers["CSRFPreventionToken"] == "csrf-1")
        clock.advance(3_700)
        _ = try await client.version()
        let logins = transport.requests.filter { $0.path.hasSuffix("/access/ticket") }
        #expect(logins.count == 2)
        #expect(String(decoding: logins[1].body ?? [], as: UTF8.self).contains("password=PVE%3Aroot%40pam%3A1"), "renewed with the ticket")
        #expect(transport.requests.last?.headers["Cookie"]?.contains("renewed") == true)
    }

    @Test("Certificate fingerprints parse as Proxmox shows them and are refused when malformed")
    func fingerprints() throws {
        let shown = "0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9"
        #expect(try CertificateFingerprint(shown).description == shown)
        #expect(try CertificateFingerprint(shown.lowercased().replacingOccurrences(of: ":", with: "")).description == shown)
        for bad in ["", "AB:CD", String(repeating: "ZZ:", count: 31) + "ZZ", shown + ":00"] {
            #expect(throws: HomelabError.self) { try CertificateFingerprint(bad) }
        }
        #expect(throws: HomelabError.self) { try TLSOptions(certificateFingerprint: "nope").validate() }
    }

    @Test("Cloud-init settings become config keys, SSH keys URL-encoded as the API wants")
    func cloudInit() {
        let values = Proxmox.CloudInit(user: "ops", sshKeys: ["ssh-ed25519 AAAA a@b", "ssh-rsa BBBB c@d"], ipConfig: "ip=dhcp").configValues
        #expect(values["ciuser"] == "ops" && values["ipconfig0"] == "ip=dhcp")
        #expect(values["sshkeys"]?.removingPercentEncoding == "ssh-ed25519 AAAA a@b\nssh-rsa BBBB c@d")
    }
}

/// A wall clock tests move by hand.
final class ProxmoxTestClock: Sendable {
    private let seconds = Locked<TimeInterval>(1_700_000_000)
    var now: Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
    func advance(_ by: TimeInterval) { seconds.withLock { $0 += by } }
}
