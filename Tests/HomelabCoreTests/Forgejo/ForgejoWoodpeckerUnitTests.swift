import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@Suite("Forgejo and Woodpecker client pieces without a server: versions, names, log entries, events, pagination")
struct ForgejoWoodpeckerUnitTests {
    @Test("Forgejo version strings that are not strict semver parse into a typed version", arguments: [
        ("11.0.1+gitea-1.22.0", 11, 0, 1, false, "1.22.0"),
        ("12.0.0-dev+abc1234", 12, 0, 0, true, nil),
        ("12.0.0-dev-123-abc1234+gitea-1.22.0", 12, 0, 0, true, "1.22.0"),
        ("v1.21.4", 1, 21, 4, false, nil),
        ("7.0", 7, 0, 0, false, nil),
        ("10.0.3+gitea-1.22.0+extra", 10, 0, 3, false, "1.22.0"),
    ] as [(String, Int, Int, Int, Bool, String?)])
    func versions(text: String, major: Int, minor: Int, patch: Int, prerelease: Bool, gitea: String?) {
        let version = ForgejoVersion(text)
        #expect(version.raw == text)
        #expect(version.major == major && version.minor == minor && version.patch == patch)
        #expect(version.isPrerelease == prerelease)
        #expect(version.giteaCompatibility == gitea)
        #expect(version.isKnown)
    }

    @Test("A commit hash or garbage is an unknown version, never an error; versions order as releases do")
    func unknownAndOrder() throws {
        for text in ["b5757a6", "", "main", "1.x.3"] {
            let version = ForgejoVersion(text)
            #expect(!version.isKnown && version.raw == text && version.release == "?")
            #expect(!version.isAtLeast(1))
        }
        #expect(ForgejoVersion("12.0.0-dev+abc") < ForgejoVersion("12.0.0"))
        #expect(ForgejoVersion("11.0.1+gitea-1.22.0") < ForgejoVersion("12.0.0-dev+abc"))
        #expect(ForgejoVersion("b5757a6") < ForgejoVersion("1.0.0"))
        #expect(ForgejoVersion("11.0.1+gitea-1.22.0").isAtLeast(11) && !ForgejoVersion("10.0.3").isAtLeast(11))
        let decoded = try JSONDecoder().decode([ForgejoVersion].self, from: Data(#"["12.0.0-dev+abc"]"#.utf8))
        #expect(decoded.first?.major == 12)
    }

    @Test("Repository names are OWNER/NAME; anything else is refused with a clear error")
    func repositoryNames() throws {
        let name = try Forgejo.RepositoryName(parsing: "homelab/stacks")
        #expect(name.owner == "homelab" && name.name == "stacks" && name.description == "homelab/stacks")
        for bad in ["stacks", "/stacks", "homelab/", "a/b/c", ""] {
            #expect(throws: HomelabError.self) { try Forgejo.RepositoryName(parsing: bad) }
        }
    }

    @Test("Log entries read data as base64 (what the server sends) or as an array of bytes (what the swagger says)")
    func logEntries() throws {
        let base64 = #"{"id":1,"step_id":7,"time":3,"line":0,"data":"aGVsbG8K","type":0}"#
        let bytes = #"{"line":1,"data":[104,105]}"#
        let first = try JSONDecoder().decode(Woodpecker.LogEntry.self, from: Data(base64.utf8))
        let second = try JSONDecoder().decode(Woodpecker.LogEntry.self, from: Data(bytes.utf8))
        #expect(first.text == "hello" && first.stepID == 7 && first.time == 3)
        #expect(second.text == "hi" && second.line == 1)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Woodpecker.LogEntry.self, from: Data(#"{"line":1,"data":"%%%"}"#.utf8)) }
        let round = try JSONDecoder().decode(Woodpecker.LogEntry.self, from: JSONEncoder().encode(first))
        #expect(round == first)
    }

    @Test("Statuses a newer Woodpecker adds are kept; finished and active states are told apart")
    func statuses() throws {
        let pipeline = try JSONDecoder().decode(
            Woodpecker.Pipeline.self, from: Data(#"{"id":1,"number":2,"status":"quarantined","created":10,"started":0,"extra":true}"#.utf8))
        #expect(pipeline.status == .unknown("quarantined") && !pipeline.status.isKnown)
        #expect(pipeline.startedAt == nil && pipeline.createdAt == Date(timeIntervalSince1970: 10))
        #expect(Woodpecker.Status.blocked.isActive && !Woodpecker.Status.blocked.isFinished)
        #expect(Woodpecker.Status.killed.isFinished && Woodpecker.Status.killed.isFailure)
    }

    @Test("Server-sent events: fields up to a blank line, comments skipped, multi-line data joined")
    func serverSentEvents() async throws {
        let text = ": ping\n\nid: 1\ndata: {\"line\":0}\n\nevent: error\ndata: eof\n\ndata: a\ndata: b\n"
        var events: [ServerSentEvent] = []
        for try await event in ServerSentEvents.events(HTTPBody(chunks: [Array(text.utf8.prefix(9)), Array(text.utf8.dropFirst(9))])) {
            events.append(event)
        }
        #expect(events == [
            ServerSentEvent(data: "{\"line\":0}", id: "1"), ServerSentEvent(event: "error", data: "eof"), ServerSentEvent(data: "a\nb"),
        ])
    }

    @Test("Forgejo pagination reads every page through Link and X-Total-Count, clamps the page size to 50, and sends the token")
    func forgejoPagination() async throws {
        let transport = InMemoryTransport { request, _ in
            let page = Int(LinkHeader.queryValue("page", in: request.path) ?? "1") ?? 1
            let limit = Int(LinkHeader.queryValue("limit", in: request.path) ?? "30") ?? 30
            let total = 120
            let items: [[String: Any]] = ((page - 1) * limit..<min(total, page * limit)).map { ["id": $0, "login": "u\($0)"] }
            var headers: HTTPHeaders = ["X-Total-Count": String(total)]
            if page * limit < total { headers.add(name: "Link", value: "<http://x/api/v1/admin/users?limit=\(limit)&page=\(page + 1)>; rel=\"next\"") }
            let body = try JSONSerialization.data(withJSONObject: items)
            return HTTPResponse(status: 200, headers: headers, body: Array(body))
        }
        var client = ForgejoClient(transport: transport, endpoint: .url("http://x/api/v1"), token: Secret("fj_unit"))
        client.pageSize = 500
        #expect(client.pageSize == 50)
        let users = try await client.admin.users().collect()
        #expect(users.count == 120 && users.last?.login == "u119")
        #expect(transport.requests.count == 3)
        #expect(transport.requests.allSatisfy { $0.headers["Authorization"] == "token fj_unit" })
    }

    @Test("Woodpecker pagination stops at a short page or an empty one; the root endpoint drops /api")
    func woodpeckerPagination() async throws {
        let total = Locked(100)
        let transport = InMemoryTransport { request, _ in
            let page = Int(LinkHeader.queryValue("page", in: request.path) ?? "1") ?? 1
            let perPage = Int(LinkHeader.queryValue("perPage", in: request.path) ?? "50") ?? 50
            let count = total.withLock { $0 }
            let items = ((page - 1) * perPage..<min(count, page * perPage)).map { ["id": $0, "name": "agent\($0)"] as [String: Any] }
            return HTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: items)))
        }
        let client = WoodpeckerClient(transport: transport, endpoint: .url("https://ci.home.arpa/api"), token: Secret("wp_unit"))
        #expect(try await client.agents.list().collect().count == 100)
        #expect(transport.requests.count == 3, "two full pages and an empty one")
        total.withLock { $0 = 0 }
        #expect(try await client.agents.list().collect().isEmpty)
        #expect(transport.requests.count == 4)
        total.withLock { $0 = 7 }
        #expect(try await client.agents.list().collect().count == 7)
        #expect(transport.requests.count == 5)
        #expect(transport.requests.allSatisfy { $0.headers["Authorization"] == "Bearer wp_unit" })
        let root = WoodpeckerClient.rootEndpoint(of: .url("https://ci.home.arpa/woodpecker/api/"))
        #expect(root.address == .url("https://ci.home.arpa/woodpecker"))
    }
}
