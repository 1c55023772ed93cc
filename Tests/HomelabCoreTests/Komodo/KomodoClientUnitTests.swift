import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// Komodo's client on the in-memory transport: request shape, paging edges, error mapping, update polling.
@Suite("Komodo client (in memory)")
struct KomodoClientUnitTests {
    /// A client with key `K-test`, secret `S-test`, retries on (1 ms waits) and a fast poll.
    static func client(_ transport: InMemoryTransport, pageSize: Int = 50) -> KomodoClient {
        var client = KomodoClient(http: HTTPClient(
            transport: transport, endpoint: .url("https://komodo.lab:9120"), component: "komodo",
            middleware: [
                RetryMiddleware(policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2))),
                HeaderAuthMiddleware(name: "X-Api-Key", secret: Secret("K-test")),
                HeaderAuthMiddleware(name: "X-Api-Secret", secret: Secret("S-test")),
            ]))
        client.pageSize = pageSize
        client.pollSchedule = .every(.milliseconds(5))
        return client
    }

    /// The request's `{type, params}`.
    static func envelope(_ request: HTTPRequest) -> (type: String, params: [String: JSONValue]) {
        guard let body = request.body, case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(body)),
            case .string(let type)? = fields["type"]
        else { return ("", [:]) }
        if case .object(let params)? = fields["params"] { return (type, params) }
        return (type, [:])
    }

    static func stack(_ index: Int) -> [String: Any] {
        [
            "id": String(format: "%024x", index), "type": "Stack", "name": String(format: "stack-%03d", index), "template": false,
            "tags": [String](), "info": ["state": "running", "swarm_id": "s", "server_id": "", "deployed_hash": "abc1234"],
        ]
    }

    /// Answers `ListStacks` from `total` stacks by `page`/`limit`, as Core does.
    static func stacks(total: Int) -> InMemoryTransport {
        InMemoryTransport { request, _ in
            let (type, params) = envelope(request)
            guard type == "ListStacks", case .integer(let page)? = params["page"], case .integer(let limit)? = params["limit"] else {
                return InMemoryTransport.json(400, text: #"{"error":"bad request","trace":[]}"#)
            }
            let start = min(total, Int(page * limit))
            let items = (start..<min(total, start + Int(limit))).map(stack)
            return HTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: items)))
        }
    }

    @Test("a read is POST /read with {type, params}, the key and secret headers, and marked retryable")
    func requestShape() async throws {
        let transport = InMemoryTransport { _, _ in InMemoryTransport.json(text: #"{"version":"v2.3.2"}"#) }
        #expect(try await Self.client(transport).version() == "v2.3.2")
        let request = try #require(transport.requests.first)
        #expect(request.method == .post)
        #expect(request.path == "/read")
        #expect(request.retryAsRead)
        #expect(request.headers["X-Api-Key"] == "K-test")
        #expect(request.headers["X-Api-Secret"] == "S-test")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == #"{"params":{},"type":"GetVersion"}"#)
    }

    @Test("list calls read every page: 0 items, exactly one page, one more than a page, many pages", arguments: [0, 1, 50, 51, 123])
    func paging(total: Int) async throws {
        let transport = Self.stacks(total: total)
        let stacks = try await Self.client(transport).stacks.list()
        #expect(stacks.count == total)
        #expect(Set(stacks.map(\.name)).count == total)
        let pages = transport.requests.map { Self.envelope($0).params["page"] }
        #expect(pages.count == total / 50 + 1, "a short (or empty) page ends the listing")
        #expect(pages == (0...(total / 50)).map { JSONValue.integer(Int64($0)) })
        #expect(transport.requests.allSatisfy { Self.envelope($0).params["limit"] == .integer(50) })
    }

    @Test("a smaller page size is sent as limit and still reads everything")
    func smallPages() async throws {
        let transport = Self.stacks(total: 7)
        let stacks = try await Self.client(transport, pageSize: 3).stacks.list()
        #expect(stacks.map(\.name) == (0..<7).map { String(format: "stack-%03d", $0) })
        #expect(transport.requests.count == 3)
    }

    @Test("ListUpdates follows next_page until it is null")
    func updatesPages() async throws {
        let transport = InMemoryTransport { request, _ in
            let page = Self.envelope(request).params["page"]
            let number: Int = if case .integer(let value)? = page { Int(value) } else { -1 }
            let updates = (0..<(number < 2 ? 100 : 17)).map { index in
                [
                    "id": "u\(number)-\(index)", "operation": "DeployStack", "start_ts": 1_700_000_000_000 - number * 1000 - index,
                    "success": true, "username": "admin", "operator": "u1", "target": ["type": "Stack", "id": "s1"],
                    "status": "Complete",
                ] as [String: Any]
            }
            var body: [String: Any] = ["updates": updates, "next_page": NSNull()]
            if number < 2 { body["next_page"] = number + 1 }
            return HTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: body)))
        }
        let updates = try await Self.client(transport).updates.list(target: Komodo.ResourceTarget(type: "Stack", id: "s1")).collect()
        #expect(updates.count == 217)
        let first = Self.envelope(try #require(transport.requests.first)).params
        #expect(first["query"] == .object(["target.type": .string("Stack"), "target.id": .string("s1")]))
        #expect(transport.requests.count == 3)
    }

    @Test("{error, trace} becomes a HomelabError with the message, never the trace")
    func errorMessage() async throws {
        let transport = InMemoryTransport { _, _ in
            InMemoryTransport.json(500, text: #"{"error":"Did not find any Stack matching plex","trace":["secret-ish detail from the database"]}"#)
        }
        let error = await #expect(throws: HomelabError.self) { _ = try await Self.client(transport).stacks.get("plex") }
        #expect(error?.code == .notFound)
        #expect(error?.serverMessage == "Did not find any Stack matching plex")
        #expect(!(error?.description.contains("secret-ish") ?? true))
    }

    @Test("rejected credentials are .unauthorized, and the key and secret appear nowhere in the error")
    func rejected() async throws {
        let transport = InMemoryTransport { _, _ in InMemoryTransport.json(401, text: #"{"error":"Invalid user credentials","trace":[]}"#) }
        let error = await #expect(throws: HomelabError.self) { _ = try await Self.client(transport).servers.list() }
        #expect(error?.code == .unauthorized)
        #expect(error?.status == 401)
        let text = String(describing: error)
        #expect(!text.contains("K-test") && !text.contains("S-test"))
    }

    @Test("reads are retried on a 503, executes are not")
    func retries() async throws {
        let transport = InMemoryTransport { _, _ in InMemoryTransport.json(503, text: #"{"error":"busy","trace":[]}"#) }
        _ = try? await Self.client(transport).version()
        #expect(transport.requests.count == 3)
        let executes = InMemoryTransport { _, _ in InMemoryTransport.json(503, text: #"{"error":"busy","trace":[]}"#) }
        _ = try? await Self.client(executes).stacks.deploy("plex")
        #expect(executes.requests.count == 1)
        #expect(executes.requests.first?.path == "/execute")
    }

    static func update(_ status: String, success: Bool, logs: [[String: Any]] = []) -> [String: Any] {
        [
            "_id": ["$oid": "u1"], "operation": "DeployStack", "start_ts": 1_700_000_000_000, "success": success, "operator": "admin",
            "target": ["type": "Stack", "id": "s1"], "status": status, "logs": logs, "commit_hash": "abc1234",
        ]
    }

    static func log(_ stage: String, success: Bool, stderr: String = "") -> [String: Any] {
        ["stage": stage, "command": "", "stdout": "", "stderr": stderr, "success": success, "start_ts": 1, "end_ts": 2]
    }

    @Test("an execute's update is polled with GetUpdate until complete; progress sees each change; logs are kept")
    func polling() async throws {
        let looks = Tally()
        let transport = InMemoryTransport { request, _ in
            let (type, _) = Self.envelope(request)
            let body: [String: Any]
            if type == "DeployStack" {
                body = Self.update("Queued", success: false)
            } else {
                let look = await looks.add(1)
                body = look < 3 ? Self.update("InProgress", success: false, logs: [Self.log("Clone Repo", success: true)])
                    : Self.update("Complete", success: true, logs: [Self.log("Clone Repo", success: true), Self.log("Deploy", success: true)])
            }
            return HTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: body)))
        }
        let client = Self.client(transport)
        let started = try await client.stacks.deploy("plex")
        #expect(started.status == .queued)
        let seen = Tally()
        let done = try await client.waitForUpdate(started, timeout: .seconds(10)) { update in _ = await seen.add(update.logs.count) }
        #expect(done.success && done.isComplete)
        #expect(done.logs.map(\.stage) == ["Clone Repo", "Deploy"])
        #expect(done.commitHash == "abc1234")
        #expect(await seen.values == [1, 2])
        #expect(transport.requests.dropFirst().allSatisfy { Self.envelope($0).type == "GetUpdate" })
    }

    @Test("an update that completes unsuccessfully is returned with the failing stage's output")
    func failedUpdate() async throws {
        let transport = InMemoryTransport { request, _ in
            let body = Self.envelope(request).type == "GetUpdate"
                ? Self.update("Complete", success: false, logs: [Self.log("Validate Files", success: false, stderr: "Missing compose files: x.yml")])
                : Self.update("Queued", success: false)
            return HTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: body)))
        }
        let client = Self.client(transport)
        let done = try await client.waitForUpdate(try await client.stacks.deploy("media-enrichment"), timeout: .seconds(5))
        #expect(!done.success)
        #expect(done.failureText == "Validate Files: Missing compose files: x.yml")
    }

    @Test("an update that never completes times out at the deadline")
    func deadline() async throws {
        let transport = InMemoryTransport { _, _ in
            HTTPResponse(status: 200, body: Array(try JSONSerialization.data(withJSONObject: Self.update("InProgress", success: false))))
        }
        let client = Self.client(transport)
        let started = try await client.stacks.deploy("plex")
        let error = await #expect(throws: HomelabError.self) { _ = try await client.waitForUpdate(started, timeout: .milliseconds(100)) }
        #expect(error?.code == .timedOut)
    }

    @Test("unknown enum values and extra keys decode; an empty stack name is refused before any request")
    func lenient() async throws {
        let transport = InMemoryTransport { _, _ in
            InMemoryTransport.json(text: #"[{"id":"1","type":"Server","name":"new","template":false,"tags":[],"info":{"state":"Hibernating","future":1}}]"#)
        }
        let servers = try await Self.client(transport).servers.list()
        #expect(servers.first?.info.state == .unknown("Hibernating"))
        let error = await #expect(throws: HomelabError.self) { _ = try await Self.client(transport).stacks.deploy(" ") }
        #expect(error?.code == .invalidArgument)
        #expect(transport.requests.count == 1)
    }
}

/// Values recorded from concurrent closures.
actor Tally {
    private(set) var values: [Int] = []

    /// Records `value`; returns how many were recorded.
    func add(_ value: Int) -> Int {
        values.append(value)
        return values.count
    }
}
