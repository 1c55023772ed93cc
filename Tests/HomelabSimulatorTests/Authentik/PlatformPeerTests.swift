import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("The simulated Authentik and 1Password Connect against their specs and real third-party peers", .serialized)
struct PlatformPeerTests {
    static let specs = SimulatorHarness.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/specs")
    static let authentikSpec = specs.appendingPathComponent("authentik-schema-2026.2.2.yml").path
    static let connectSpec = specs.appendingPathComponent("1password-connect-spec.yaml").path

    /// Runs a Python script from ``PlatformPythonScripts`` and decodes its JSON report.
    func run(_ script: String, _ arguments: [String]) async throws -> [String: Any] {
        let (status, output) = try await PythonClient.run(script, arguments, timeout: .seconds(120))
        try #require(status == 0, "python exited \(status): \(output.suffix(1500))")
        let line = try #require(output.split(separator: "\n").last.map(String.init))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(output.suffix(800))")
    }

    /// A 0600 file holding `token`, removed afterwards (tokens never go through argv).
    func withTokenFile<T>(_ token: String, _ body: (String) async throws -> T) async throws -> T {
        let folder = try TemporaryFolder(prefix: "platform-peer")
        let path = folder.file("token")
        try AtomicFile.write(Array(token.utf8), to: path)
        return try await body(path)
    }

    func requireSpec(_ path: String) throws -> Bool {
        try RealServer.require(
            "the API spec \((path as NSString).lastPathComponent) in ../shared/specs", available: FileManager.default.fileExists(atPath: path),
            hint: "check out the project beside its shared/ folder")
    }

    /// Sends requests and records `{method, path, template, status, body}` cases for the validator.
    struct Recorder {
        let http: HTTPClient
        var cases: [[String: Any]] = []

        mutating func record(_ method: HTTPMethod, _ path: String, _ template: String, json: Any? = nil) async throws {
            var request = HTTPRequest(method: method, path: path)
            if let json {
                request.body = [UInt8](try JSONSerialization.data(withJSONObject: json))
                request.headers.add(name: "Content-Type", value: "application/json")
            }
            let response = try await http.send(request)
            let body: Any = response.body.isEmpty ? NSNull() : try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
            cases.append(["method": method.rawValue, "path": path, "template": template, "status": response.status, "body": body])
        }
    }

    func validate(_ cases: [[String: Any]], spec: String) async throws -> [String: Any] {
        let folder = try TemporaryFolder(prefix: "platform-cases")
        let file = folder.file("cases.json")
        try JSONSerialization.data(withJSONObject: cases).write(to: URL(fileURLWithPath: file))
        return try await run(PlatformPythonScripts.validate, [file, spec])
    }

    @Test("Authentik's answers to reads, writes and errors fit the 2026.2.2 schema; the field added on purpose is unknown to it")
    func authentikAnswersFitTheSchema() async throws {
        guard try PythonClient.require("jsonschema"), try PythonClient.require("yaml"), try requireSpec(Self.authentikSpec) else { return }
        try await withPlatform { platform in
            let world = platform.authentikWorld
            var recorder = Recorder(http: HTTPClient(
                transport: platform.sim.transport, endpoint: platform.authentikEndpoint, component: "authentik",
                middleware: [HeaderAuthMiddleware.bearer(Secret(world.token))]))
            let outpost = try #require(try await platform.authentik().outposts.embedded())
            let flows = try await platform.authentik().flows.list().collect()
            let reads: [(String, String)] = [
                ("/admin/version/", "/admin/version/"), ("/admin/system/", "/admin/system/"),
                ("/core/applications/?page=2&page_size=5", "/core/applications/"), ("/core/applications/grafana/", "/core/applications/{slug}/"),
                ("/core/users/", "/core/users/"), ("/core/users/1/", "/core/users/{id}/"), ("/core/groups/", "/core/groups/"),
                ("/providers/all/", "/providers/all/"), ("/providers/proxy/", "/providers/proxy/"), ("/providers/proxy/1/", "/providers/proxy/{id}/"),
                ("/outposts/instances/", "/outposts/instances/"), ("/outposts/instances/\(outpost.pk)/", "/outposts/instances/{uuid}/"),
                ("/outposts/instances/\(outpost.pk)/health/", "/outposts/instances/{uuid}/health/"),
                ("/flows/instances/", "/flows/instances/"), ("/events/events/?action=login_failed", "/events/events/"),
            ]
            for (path, template) in reads { try await recorder.record(.get, path, template) }
            let authorization = try #require(flows.first { $0.designation == "authorization" }).pk
            let invalidation = try #require(flows.first { $0.designation == "invalidation" }).pk
            try await recorder.record(.post, "/providers/proxy/", "/providers/proxy/", json: [
                "name": "notes", "external_host": "https://notes.home.arpa", "mode": "forward_single",
                "authorization_flow": authorization, "invalidation_flow": invalidation,
            ])
            try await recorder.record(.post, "/core/applications/", "/core/applications/", json: ["name": "Notes", "slug": "notes"])
            try await recorder.record(.post, "/core/users/", "/core/users/", json: ["username": "erin", "name": "Erin"])
            try await recorder.record(.patch, "/core/users/6/", "/core/users/{id}/", json: ["is_active": false])
            try await recorder.record(.patch, "/outposts/instances/\(outpost.pk)/", "/outposts/instances/{uuid}/", json: ["providers": [1, 2]])
            // Errors: a duplicate slug (400), no token (403).
            try await recorder.record(.post, "/core/applications/", "/core/applications/", json: ["name": "Notes", "slug": "notes"])
            let anonymous = Recorder(http: HTTPClient(transport: platform.sim.transport, endpoint: platform.authentikEndpoint, component: "authentik", middleware: []))
            var errors = anonymous
            try await errors.record(.get, "/core/applications/", "/core/applications/")
            let cases = recorder.cases + errors.cases
            #expect(cases.filter { ($0["status"] as? Int ?? 0) >= 400 }.count == 2)
            let report = try await validate(cases, spec: Self.authentikSpec)
            #expect(report["cases"] as? Int == cases.count)
            #expect((report["problems"] as? [String]) == [], "\(report["problems"] ?? "")")
            let unknown = report["unknown"] as? [String] ?? []
            #expect(unknown.contains { $0.hasSuffix(".sim_added_in_a_later_release") }, "\(unknown)")
            #expect(unknown.allSatisfy { $0.hasSuffix(".sim_added_in_a_later_release") }, "\(unknown)")
        }
    }

    @Test("Connect's answers to reads, writes and errors fit 1Password's Connect spec")
    func connectAnswersFitTheSpec() async throws {
        guard try PythonClient.require("jsonschema"), try PythonClient.require("yaml"), try requireSpec(Self.connectSpec) else { return }
        try await withPlatform { platform in
            let vaults = platform.vaults
            var root = platform.connectEndpoint
            if case .url(let url) = root.address { root.address = .url(String(url.dropLast(3))) }
            var recorder = Recorder(http: HTTPClient(
                transport: platform.sim.transport, endpoint: root, component: "onepassword", middleware: [HeaderAuthMiddleware.bearer(Secret(vaults.token))]))
            let connect = platform.connect()
            let homelab = try #require(try await connect.vaults.find(name: "homelab").first)
            let postgres = try #require(try await connect.items(in: homelab.id).find(title: "postgres").first)
            let file = try #require(try await connect.files(in: homelab.id, item: postgres.id).list().first)
            let v = homelab.id
            let reads: [(String, String)] = [
                ("/health", "/health"), ("/v1/vaults", "/vaults"), ("/v1/vaults?filter=name%20eq%20%22homelab%22", "/vaults"),
                ("/v1/vaults/\(v)", "/vaults/{vaultUuid}"), ("/v1/vaults/\(v)/items", "/vaults/{vaultUuid}/items"),
                ("/v1/vaults/\(v)/items?filter=title%20eq%20%22postgres%22", "/vaults/{vaultUuid}/items"),
                ("/v1/vaults/\(v)/items/\(postgres.id)", "/vaults/{vaultUuid}/items/{itemUuid}"),
                ("/v1/vaults/\(v)/items/\(postgres.id)/files", "/vaults/{vaultUuid}/items/{itemUuid}/files"),
                ("/v1/vaults/\(v)/items/\(postgres.id)/files/\(file.id)", "/vaults/{vaultUuid}/items/{itemUuid}/files/{fileUuid}"),
            ]
            for (path, template) in reads { try await recorder.record(.get, path, template) }
            let item: [String: Any] = [
                "title": "new-item", "category": "LOGIN", "vault": ["id": v],
                "fields": [["id": "password", "label": "password", "type": "CONCEALED", "generate": true, "recipe": ["length": 24]]],
            ]
            try await recorder.record(.post, "/v1/vaults/\(v)/items", "/vaults/{vaultUuid}/items", json: item)
            // Errors: a missing vault (404), a bad category (400), no token (401).
            try await recorder.record(.get, "/v1/vaults/\(String(repeating: "z", count: 26))", "/vaults/{vaultUuid}")
            try await recorder.record(.post, "/v1/vaults/\(v)/items", "/vaults/{vaultUuid}/items", json: ["title": "x", "category": "NOPE", "vault": ["id": v]])
            var anonymous = Recorder(http: HTTPClient(transport: platform.sim.transport, endpoint: root, component: "onepassword", middleware: []))
            try await anonymous.record(.get, "/v1/vaults", "/vaults")
            let cases = recorder.cases + anonymous.cases
            #expect(cases.filter { ($0["status"] as? Int ?? 0) >= 400 }.count == 3)
            let report = try await validate(cases, spec: Self.connectSpec)
            #expect(report["cases"] as? Int == cases.count)
            #expect((report["problems"] as? [String]) == [], "\(report["problems"] ?? "")")
        }
    }

    @Test("authentik-client 2026.2.2 (PyPI) pages through applications and lists providers, outposts, users, groups, flows, events")
    func authentikClient() async throws {
        guard try PythonClient.require("authentik_client") else { return }
        try await withPlatform { platform in
            let base: String
            if case .url(let url) = platform.authentikEndpoint.address { base = url } else { base = "" }
            let ca = platform.sim.simulation.endpoints.caFile ?? ""
            let report = try await withTokenFile(platform.authentikWorld.token) { file in
                try await run(PlatformPythonScripts.authentik, [base, file, ca])
            }
            let apps = report["apps"] as? [String] ?? []
            #expect(apps.count == 14 && apps.contains("old-wiki"))
            #expect(report["pages"] as? Int == 4)
            let providers = report["providers"] as? [[Any]] ?? []
            #expect(providers.count == 14)
            #expect(providers.contains { ($0[0] as? String) == "https://maintainerr.home.arpa" && ($0[2] as? Int) == 0 })
            let outposts = report["outposts"] as? [[Any]] ?? []
            #expect(outposts.count == 1 && outposts.first?[1] as? String == "proxy" && outposts.first?[2] as? Int == 13)
            #expect((report["health"] as? [[Any]])?.first?.first as? String == "2026.2.2")
            #expect(report["version"] as? String == "2026.2.2")
            #expect(report["users"] as? [String] == ["akadmin", "alice", "bob", "carol", "homelab-sdk"])
            #expect((report["groups"] as? [String])?.count == 3)
            #expect((report["flows"] as? [String])?.count == 3)
            #expect(report["events"] as? Int == 2)
            #expect(report["wrong_token"] as? Int == 403)
        }
    }

    @Test("onepasswordconnectsdk (PyPI) lists vaults, gets items by title, loads a secret dict and a file; values equal ours")
    func connectSDK() async throws {
        guard try PythonClient.require("onepasswordconnectsdk") else { return }
        try await withPlatform { platform in
            var root = ""
            if case .url(let url) = platform.connectEndpoint.address { root = String(url.dropLast(3)) }
            let resolver = OnePasswordSecretResolver(client: platform.connect())
            func value(_ reference: String) async throws -> String {
                try await resolver.resolve(try CredentialReference(parsing: reference)).reveal()
            }
            let expected = [
                "api_key": try await value("op://homelab/komodo/api-key"), "db": try await value("op://homelab/postgres/authentik/password"),
                "file": try await value("op://homelab/postgres/ca.pem"),
            ]
            let folder = try TemporaryFolder(prefix: "connect-expected")
            let expectedFile = folder.file("expected.json")
            try AtomicFile.write([UInt8](try JSONSerialization.data(withJSONObject: expected)), to: expectedFile)
            let report = try await withTokenFile(platform.vaults.token) { file in
                try await run(PlatformPythonScripts.onePassword, [root, file, expectedFile])
            }
            #expect(report["vaults"] as? [String] == ["homelab", "media"])
            #expect(report["komodo_fields"] as? [String] == ["api-key", "api-secret", "username"])
            #expect(report["by_vault_name"] as? String == "proxmox-api-token")
            #expect(report["files"] as? [String] == ["ca.pem"])
            #expect(report["filtered"] as? [String] == ["authentik"])
            #expect(report["wrong_token"] as? String == "FailedToRetrieveVaultException 401")
            #expect(report["matches"] as? [String: Bool] == ["api_key": true, "db": true, "file": true])
        }
    }
}
