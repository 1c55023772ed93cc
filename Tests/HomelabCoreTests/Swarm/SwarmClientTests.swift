import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("SwarmClient against canned answers")
struct SwarmClientTests {
    /// A minimal service document with the given version and labels, plus fields this SDK does not model.
    static func serviceJSON(version: Int, labels: [String: String] = [:], extra: String = "") -> String {
        let labelText = labels.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
        return """
            {"ID":"svc1","Version":{"Index":\(version)},"Spec":{"Name":"web","Labels":{\(labelText)},
             "FutureTopLevel":{"Knob":7},
             "TaskTemplate":{"ContainerSpec":{"Image":"busybox:1","FutureContainerField":["a"],
               "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":1000000000}},"ForceUpdate":0},
             "Mode":{"Replicated":{"Replicas":2}}}\(extra)}
            """
    }

    @Test("Docker's error messages map to precise codes", arguments: [
        (500, "rpc error: code = Unknown desc = update out of sequence", HomelabError.Code.outOfSequence),
        (503, "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.", .notSwarmManager),
        (503, "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.", .notSwarmManager),
        (503, "This node is not part of a swarm", .notSwarmManager),
        (404, "service web not found", .notFound),
        (409, "rpc error: code = AlreadyExists desc = name conflicts with an existing object", .conflict),
        (400, "client version 1.51 is too new. Maximum supported API version is 1.41", .unsupportedVersion),
        (500, "something else broke", .httpStatus),
    ])
    func errorCodes(status: Int, message: String, expected: HomelabError.Code) async throws {
        let engine = CannedDockerEngine { _ in CannedDockerEngine.error(status, message) }
        let error = await #expect(throws: HomelabError.self) { _ = try await engine.client().services.list() }
        #expect(error?.code == expected)
        #expect(error?.component == "docker")
        #expect(error?.status == status)
        #expect(error?.serverMessage == message)
        #expect(error?.request?.path.hasPrefix("/v1.41/services") == true)
    }

    @Test("a worker's refusal says it is a worker; a node outside a swarm says so")
    func managerMessages() async throws {
        let worker = CannedDockerEngine { _ in
            CannedDockerEngine.error(503, "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state.")
        }
        let workerError = await #expect(throws: HomelabError.self) { _ = try await worker.client().nodes.list() }
        #expect(workerError?.message.contains("worker") == true)
        #expect(workerError?.message.contains("unix:///canned/docker.sock") == true)
        let outside = CannedDockerEngine { _ in CannedDockerEngine.error(503, "This node is not part of a swarm") }
        let outsideError = await #expect(throws: HomelabError.self) { _ = try await outside.client().swarm.inspect() }
        #expect(outsideError?.message.contains("not part of a swarm") == true)
    }

    @Test("the swarm role comes from the ping's Swarm header, or from /info when an old engine has none")
    func swarmRole() async throws {
        let modern = CannedDockerEngine(ping: ["Api-Version": "1.47", "Swarm": "active/worker"])
        #expect(try await modern.client().system.swarmRole() == .activeWorker)
        let error = await #expect(throws: HomelabError.self) { try await modern.client().system.requireManager() }
        #expect(error?.code == .notSwarmManager)
        #expect(modern.requests(.get, "/info").isEmpty)

        let old = CannedDockerEngine { request in
            CannedDockerEngine.json(text: #"{"Swarm":{"LocalNodeState":"active","ControlAvailable":true,"NodeID":"n1"}}"#)
        }
        #expect(try await old.client().system.swarmRole() == .activeManager)
        old.answer { _ in CannedDockerEngine.json(text: #"{"Swarm":{"LocalNodeState":"inactive","ControlAvailable":false}}"#) }
        #expect(try await old.client().system.swarmRole() == .inactive)
    }

    @Test("modify re-reads and re-applies after 'update out of sequence', then submits with the fresh version")
    func modifyRetries() async throws {
        let updates = Counter()
        let engine = CannedDockerEngine { request in
            switch (request.method, CannedDockerEngine.bare(request.path)) {
            case (.get, "/services/svc1"):
                // The version moves on after the first (conflicting) submit.
                return CannedDockerEngine.json(text: Self.serviceJSON(version: updates.count == 0 ? 10 : 11))
            case (.post, "/services/svc1/update"):
                if updates.next() == 1 { return CannedDockerEngine.error(500, "rpc error: code = Unknown desc = update out of sequence") }
                return CannedDockerEngine.json(text: #"{"Warnings":null}"#)
            default:
                return HTTPResponse(status: 404)
            }
        }
        var calls = 0
        try await engine.client().services.modify("svc1") { spec in
            calls += 1
            spec.labels = ["tier": "app"]
        }
        #expect(calls == 2)
        let submits = engine.requests(.post, "/services/svc1/update")
        #expect(submits.map { CannedDockerEngine.query($0)["version"] } == ["10", "11"])
    }

    @Test("modify gives up after the bounded number of attempts with outOfSequence")
    func modifyBounded() async throws {
        let engine = CannedDockerEngine { request in
            request.method == .get
                ? CannedDockerEngine.json(text: Self.serviceJSON(version: 3))
                : CannedDockerEngine.error(500, "rpc error: code = Unknown desc = update out of sequence")
        }
        var calls = 0
        let error = await #expect(throws: HomelabError.self) {
            try await engine.client().services.modify("svc1", maxAttempts: 3) { spec in
                calls += 1
                spec.labels = ["n": "\(calls)"]
            }
        }
        #expect(error?.code == .outOfSequence)
        #expect(error?.message.contains("3 attempts") == true)
        #expect(calls == 3)
    }

    @Test("modify keeps spec fields the models do not know, and drops known fields the caller removed")
    func modifyPreservesUnknownFields() async throws {
        let engine = CannedDockerEngine { request in
            request.method == .get
                ? CannedDockerEngine.json(text: Self.serviceJSON(version: 5, labels: ["old": "1"]))
                : CannedDockerEngine.json(text: "{}")
        }
        try await engine.client().services.modify("svc1") { spec in
            spec.labels = nil
            spec.taskTemplate?.containerSpec?.image = "busybox:2"
        }
        let body = try #require(engine.requests(.post, "/services/svc1/update").first?.body)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(sent["Labels"] == nil)
        #expect((sent["FutureTopLevel"] as? [String: Any])?["Knob"] as? Int == 7)
        let container = try #require((sent["TaskTemplate"] as? [String: Any])?["ContainerSpec"] as? [String: Any])
        #expect(container["Image"] as? String == "busybox:2")
        #expect(container["FutureContainerField"] as? [String] == ["a"])
        #expect(container["Healthcheck"] != nil)
        #expect(container["HealthCheck"] == nil)  // one spelling only
    }

    @Test("modify submits nothing when the change leaves the spec as it was")
    func modifyNoChange() async throws {
        let engine = CannedDockerEngine { _ in CannedDockerEngine.json(text: Self.serviceJSON(version: 5)) }
        try await engine.client().services.modify("svc1") { spec in spec.name = "web" }
        #expect(engine.requests(.post, "/services/svc1/update").isEmpty)
    }

    @Test("rollback asks for the previous spec and refuses a service that has none")
    func rollback() async throws {
        let engine = CannedDockerEngine { request in
            request.method == .get
                ? CannedDockerEngine.json(text: Self.serviceJSON(version: 8, extra: #","PreviousSpec":{"Name":"web"}"#))
                : CannedDockerEngine.json(text: "{}")
        }
        try await engine.client().services.rollback("svc1")
        let submit = try #require(engine.requests(.post, "/services/svc1/update").first)
        #expect(CannedDockerEngine.query(submit) == ["version": "8", "rollback": "previous"])

        engine.answer { _ in CannedDockerEngine.json(text: Self.serviceJSON(version: 8)) }
        let error = await #expect(throws: HomelabError.self) { try await engine.client().services.rollback("svc1") }
        #expect(error?.code == .invalidArgument)
    }

    @Test("node helpers change only their field: drain keeps labels and role")
    func nodeDrain() async throws {
        let engine = CannedDockerEngine { request in
            request.method == .get
                ? CannedDockerEngine.json(
                    text: #"{"ID":"n1","Version":{"Index":4},"Spec":{"Name":"barbary","Labels":{"zfs":"yes"},"Role":"manager","Availability":"active","Future":1}}"#)
                : HTTPResponse(status: 200)
        }
        try await engine.client().nodes.setAvailability("n1", .drain)
        let submit = try #require(engine.requests(.post, "/nodes/n1/update").first)
        #expect(CannedDockerEngine.query(submit)["version"] == "4")
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(submit.body ?? [])) as? [String: Any])
        #expect(sent["Availability"] as? String == "drain")
        #expect(sent["Role"] as? String == "manager")
        #expect(sent["Labels"] as? [String: String] == ["zfs": "yes"])
        #expect(sent["Future"] as? Int == 1)
    }

    @Test("filters and status travel as Docker expects: sorted JSON in one query item")
    func listQuery() async throws {
        let engine = CannedDockerEngine { _ in CannedDockerEngine.json(text: "[]") }
        _ = try await engine.client().services.list(filters: Swarm.Filters.label("tier=app").merging(.name("web")))
        let query = CannedDockerEngine.query(try #require(engine.requests(.get, "/services").first))
        #expect(query["status"] == "true")
        #expect(query["filters"] == #"{"label":["tier=app"],"name":["web"]}"#)
        #expect(Swarm.Filters.service("svc1").merging(.upToDate).json == #"{"_up-to-date":["true"],"service":["svc1"]}"#)
    }

    @Test("an ID with a slash is refused before anything is sent")
    func badID() async throws {
        let engine = CannedDockerEngine()
        let error = await #expect(throws: HomelabError.self) { _ = try await engine.client().services.inspect("../secrets") }
        #expect(error?.code == .invalidArgument)
        #expect(engine.requests.isEmpty)
    }

    @Test("secrets are created with base64 data and the ID is returned")
    func secretCreate() async throws {
        let engine = CannedDockerEngine { _ in CannedDockerEngine.json(201, text: #"{"ID":"sec1"}"#) }
        let id = try await engine.client().secrets.create(Swarm.SecretSpec(name: "db", content: Secret("pa55word-canned")))
        #expect(id == "sec1")
        let body = try #require(engine.requests(.post, "/secrets/create").first?.body)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(sent["Data"] as? String == Data("pa55word-canned".utf8).base64EncodedString())
    }

    @Test("events arrive one per line as typed values, with the filters in the query")
    func events() async throws {
        let lines = [
            #"{"Type":"service","Action":"create","Actor":{"ID":"s1","Attributes":{"name":"web"}},"scope":"swarm","time":1700000000,"timeNano":1700000000000000000}"#,
            #"{"Type":"node","Action":"update","Actor":{"ID":"n1","Attributes":{"availability.new":"drain"}},"scope":"swarm","time":1700000001}"#,
            #"{"Type":"hologram","Action":"flicker","scope":"galaxy"}"#,
        ]
        let engine = CannedDockerEngine { _ in HTTPResponse(status: 200, body: Array((lines.joined(separator: "\n") + "\n").utf8)) }
        var events: [Swarm.SystemEvent] = []
        for try await event in try await engine.client().events(filters: .type(.service), since: Date(timeIntervalSince1970: 1_700_000_000)) {
            events.append(event)
        }
        #expect(events.map(\.action) == ["create", "update", "flicker"])
        #expect(events[1].actor?.attributes?["availability.new"] == "drain")
        #expect(events[2].type == .unknown("hologram"))
        #expect(events[2].scope == .unknown("galaxy"))
        let query = CannedDockerEngine.query(try #require(engine.requests(.get, "/events").first))
        #expect(query["filters"] == #"{"type":["service"]}"#)
        #expect(query["since"] == "1700000000.000000000")
    }

    @Test("swarm init returns the node ID; leave and update send their flags; rotating a token re-reads the version")
    func swarmCalls() async throws {
        let engine = CannedDockerEngine { request in
            switch (request.method, CannedDockerEngine.bare(request.path)) {
            case (.post, "/swarm/init"): return CannedDockerEngine.json(text: #""node-7""#)
            case (.get, "/swarm"):
                return CannedDockerEngine.json(
                    text: #"{"ID":"sw1","Version":{"Index":12},"Spec":{"Name":"default"},"JoinTokens":{"Worker":"SWMTKN-1-canned-w","Manager":"SWMTKN-1-canned-m"}}"#)
            default: return HTTPResponse(status: 200)
            }
        }
        let client = engine.client()
        #expect(try await client.swarm.initialize(Swarm.SwarmInitRequest(listenAddr: "127.0.0.1:2377", advertiseAddr: "127.0.0.1")) == "node-7")
        let initBody = try #require(engine.requests(.post, "/swarm/init").first?.body)
        #expect(String(decoding: initBody, as: UTF8.self) == #"{"AdvertiseAddr":"127.0.0.1","ListenAddr":"127.0.0.1:2377"}"#)
        try await client.swarm.leave(force: true)
        #expect(CannedDockerEngine.query(try #require(engine.requests(.post, "/swarm/leave").first)) == ["force": "true"])
        let tokens = try await client.swarm.rotateJoinToken(.worker)
        #expect(tokens.worker?.reveal() == "SWMTKN-1-canned-w")
        let update = CannedDockerEngine.query(try #require(engine.requests(.post, "/swarm/update").first))
        #expect(update["version"] == "12")
        #expect(update["rotateWorkerToken"] == "true" && update["rotateManagerToken"] == "false")
    }
}

