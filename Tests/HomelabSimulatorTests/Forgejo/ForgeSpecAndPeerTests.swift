import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("Simulated Forgejo and Woodpecker against their Swagger files; pyforgejo against the simulated Forgejo")
struct ForgeSpecAndPeerTests {
    static func spec(_ name: String) -> String {
        SimulatorHarness.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/specs/\(name)").path
    }

    /// Records answers of `client` (a client without authentication middleware: `headers` carry it).
    struct Recorder {
        let client: HTTPClient
        let headers: HTTPHeaders
        var cases: [[String: Any]] = []

        mutating func record(_ method: HTTPMethod, _ path: String, json: Any? = nil, root: Bool = false) async throws {
            var request = HTTPRequest(method: method, path: path, headers: headers)
            if let json {
                request.body = Array(try JSONSerialization.data(withJSONObject: json))
                request.headers.add(name: "Content-Type", value: "application/json")
            }
            var http = client
            if root { http.endpoint = WoodpeckerClient.rootEndpoint(of: http.endpoint) }
            let response = try await http.send(request)
            let body = (try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])) ?? NSNull()
            cases.append(["method": method.rawValue, "path": path, "status": response.status, "body": body])
        }

        func validate(against spec: String) async throws -> (Int32, String) {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("forge-answers-\(UUID().uuidString).json")
            try JSONSerialization.data(withJSONObject: cases).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            return try await PythonClient.run(SwaggerValidator.script, [file.path, spec])
        }
    }

    static func requireValidator(_ spec: String) throws -> Bool {
        try PythonClient.require("jsonschema")
            && RealServer.require(
                "\(spec) in ../shared/specs", available: FileManager.default.fileExists(atPath: Self.spec(spec)),
                hint: "check out the project beside its shared/ folder")
    }

    @Test("Every simulated Forgejo answer used by the client fits forgejo-swagger-v2.json (successes and APIError bodies)")
    func forgejoAnswersFitTheSpec() async throws {
        guard try Self.requireValidator("forgejo-swagger-v2.json") else { return }
        try await withForge { forge in
            let http = HTTPClient(transport: forge.sim.transport, endpoint: forge.forgejoEndpoint, component: "forgejo", middleware: [])
            var recorder = Recorder(client: http, headers: ["Authorization": "token " + forge.forge.adminToken])
            let stack = try #require(forge.stacks.first?.name)
            for path in [
                "/version", "/user", "/user/repos", "/user/orgs", "/orgs", "/orgs/homelab", "/orgs/homelab/repos", "/orgs/mirrors/repos",
                "/admin/users?limit=2&page=2", "/repos/search?q=stack", "/repos/homelab/stacks", "/repos/homelab/stacks/contents",
                "/repos/homelab/stacks/contents/stacks", "/repos/homelab/stacks/contents/stacks/\(stack)/compose.yaml?ref=main",
                "/repos/homelab/stacks/commits?path=stacks/\(stack)/compose.yaml&limit=1", "/repos/homelab/stacks/commits?stat=false&files=false",
                "/repos/homelab/stacks/branches", "/repos/homelab/stacks/branches/main", "/repos/homelab/stacks/hooks",
                "/repos/homelab/exporter-image/releases", "/repos/homelab/exporter-image/releases/latest", "/packages/homelab?type=container",
                "/packages/homelab", "/user/applications/oauth2",
            ] {
                try await recorder.record(.get, path)
            }
            let head = try await forge.forgejo().commits.list(StacksPaths.repository).collect().first?.sha ?? ""
            try await recorder.record(.get, "/repos/homelab/stacks/git/commits/\(head)")
            try await recorder.record(.post, "/orgs/homelab/repos", json: ["name": "spec", "auto_init": true])
            try await recorder.record(.post, "/user/repos", json: ["name": "mine", "private": true])
            try await recorder.record(.post, "/repos/homelab/spec/hooks", json: [
                "type": "forgejo", "config": ["url": "https://ci.home.arpa/api/hook?access_token=x", "content_type": "json", "secret": "s"],
                "events": ["push"], "active": true,
            ])
            try await recorder.record(.post, "/user/applications/oauth2", json: ["name": "app", "redirect_uris": ["https://x/authorize"]])
            try await recorder.record(.post, "/admin/users", json: ["username": "spec-user", "email": "spec@home.arpa"])
            // Errors: APIError bodies.
            try await recorder.record(.get, "/repos/homelab/nope")
            try await recorder.record(.post, "/orgs/homelab/repos", json: ["name": "spec"])
            try await recorder.record(.get, "/repos/homelab/scratch/commits")
            let (status, output) = try await recorder.validate(against: Self.spec("forgejo-swagger-v2.json"))
            #expect(status == 0, "\(output)")
            #expect(output.contains("checked \(recorder.cases.count) answers, 0 failures"), "\(output)")
        }
    }

    @Test("Every simulated Woodpecker answer used by the client fits woodpecker-swagger-v2.json")
    func woodpeckerAnswersFitTheSpec() async throws {
        guard try Self.requireValidator("woodpecker-swagger-v2.json") else { return }
        try await withForge { forge in
            let http = HTTPClient(transport: forge.sim.transport, endpoint: forge.woodpeckerEndpoint, component: "woodpecker", middleware: [])
            var recorder = Recorder(client: http, headers: ["Authorization": "Bearer " + forge.ci.token])
            try await recorder.record(.get, "/version", root: true)
            try await recorder.record(.get, "/healthz", root: true)
            for path in [
                "/user", "/user/repos", "/user/repos?all=true", "/repos", "/repos/lookup/homelab/stacks", "/repos/1", "/repos/1/pipelines",
                "/repos/2/pipelines?perPage=5&page=2", "/repos/1/pipelines/1", "/repos/2/pipelines/5", "/agents", "/queue/info",
            ] {
                try await recorder.record(.get, path)
            }
            let pipeline = try await forge.woodpecker().pipelines.get(repo: 1, number: 1)
            try await recorder.record(.get, "/repos/1/logs/1/\(pipeline.steps[0].id)")
            try await recorder.record(.post, "/repos/3/pipelines", json: ["branch": "main"])
            try await recorder.record(.post, "/repos/3/pipelines/1")
            try await recorder.record(.post, "/repos/2/pipelines/8/decline")
            try await recorder.record(.post, "/repos?forge_remote_id=24")
            let stacks = try await forge.woodpecker().pipelines.list(repo: 1, filter: .init(status: .blocked)).collect()
            try await recorder.record(.post, "/repos/1/pipelines/\(stacks.first?.number ?? 0)/approve")
            try await recorder.record(.post, "/repos/2/pipelines/9/cancel")
            let (status, output) = try await recorder.validate(against: Self.spec("woodpecker-swagger-v2.json"))
            #expect(status == 0, "\(output)")
            #expect(output.contains("checked \(recorder.cases.count) answers, 0 failures"), "\(output)")
        }
    }

    @Test("pyforgejo (PyPI, Forgejo's Python client) reads the simulated Forgejo with a base URL and a token")
    func pyforgejo() async throws {
        guard try PythonClient.require("pyforgejo") else { return }
        try await withForge { forge in
            let stack = try #require(forge.stacks.first?.name)
            let base = try #require(forge.sim.simulation.endpoints.listening[.forgejo]?.url)
            let (status, output) = try await PythonClient.run(Self.pyforgejoScript, [base + "/api/v1", forge.forge.adminToken, stack])
            try #require(status == 0, "python exited \(status): \(output.suffix(1500))")
            let line = try #require(output.split(separator: "\n").last.map(String.init))
            let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(output.suffix(800))")
            #expect(report["version"] as? String == "11.0.1+gitea-1.22.0")
            #expect(report["user"] as? String == "ops")
            #expect((report["repositories"] as? [String])?.contains("homelab/stacks") == true)
            #expect((report["file"] as? String)?.contains("revision 2") == true)
            #expect(report["last_commit"] as? String == "\(stack): update images\n")
            #expect(report["hooks"] as? Int == 1 && report["releases"] as? Int == 3 && report["packages"] as? Int == 3)
            #expect(report["branches"] as? [String] == ["main", "renovate/updates"])
            #expect(report["unauthorized"] as? Bool == true)
        }
    }

    static let pyforgejoScript = #"""
import base64, json, sys
from pyforgejo import PyforgejoApi
from pyforgejo.core.api_error import ApiError

base, token, stack = sys.argv[1], sys.argv[2], sys.argv[3]
client = PyforgejoApi(base_url=base, api_key=token)
report = {}
report["version"] = client.miscellaneous.get_version().version
report["user"] = client.user.get_current().login
report["repositories"] = sorted(r.full_name for r in client.repository.repo_search(limit=50).data)
contents = client.repository.repo_get_contents("homelab", "stacks", f"stacks/{stack}/compose.yaml", ref="main")
report["file"] = base64.b64decode(contents.content).decode()
commits = client.repository.repo_get_all_commits("homelab", "stacks", path=f"stacks/{stack}/compose.yaml", limit=1)
report["last_commit"] = commits[0].commit.message
report["hooks"] = len(client.repository.repo_list_hooks("homelab", "stacks"))
report["releases"] = len(client.repository.repo_list_releases("homelab", "exporter-image"))
report["packages"] = len(client.package.list_packages("homelab", type="container"))
report["branches"] = sorted(b.name for b in client.repository.repo_list_branches("homelab", "stacks"))
try:
    PyforgejoApi(base_url=base, api_key="wrong").user.get_current()
    report["unauthorized"] = False
except ApiError as error:
    report["unauthorized"] = error.status_code == 401
print(json.dumps(report))
"""#
}
