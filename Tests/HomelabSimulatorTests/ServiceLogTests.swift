import Foundation
import HomelabCore
import HomelabSimulator
import Testing

@Suite("The simulated service and task logs honour the Engine API's query")
struct ServiceLogTests {
    /// One frame of a multiplexed body: its stream byte and payload.
    struct Frame: Equatable {
        var stream: UInt8
        var text: String
    }

    /// Splits a multiplexed body, recording an issue for a malformed one.
    static func frames(_ body: [UInt8]) -> [Frame] {
        var frames: [Frame] = []
        var at = 0
        while at < body.count {
            guard body.count - at >= 8, body[at + 1] == 0, body[at + 2] == 0, body[at + 3] == 0 else {
                Issue.record("a malformed frame header at byte \(at)")
                return frames
            }
            let size = body[(at + 4)..<(at + 8)].reduce(0) { ($0 << 8) | Int($1) }
            guard body.count - at - 8 >= size else {
                Issue.record("a frame cut short at byte \(at)")
                return frames
            }
            frames.append(Frame(stream: body[at], text: String(decoding: body[(at + 8)..<(at + 8 + size)], as: UTF8.self)))
            at += 8 + size
        }
        return frames
    }

    /// Creates a service and waits until all its tasks run.
    static func runningService(_ sim: SimulatorHarness, _ spec: Swarm.ServiceSpec, replicas: Int) async throws -> (String, [Swarm.Task]) {
        let id = try await sim.createService(spec)
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let tasks = try await sim.tasks(of: id)
            if tasks.filter({ $0.status?.state == .running }).count == replicas { return (id, tasks) }
            guard ContinuousClock.now < deadline else {
                Issue.record("the tasks of \(spec.name ?? "") did not all run")
                return (id, tasks)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("details and timestamps: RFC 3339 nanoseconds, then node, service and task IDs, then the text, one stdout frame a line")
    func detailsAndTimestamps() async throws {
        try await withSimulation { sim in
            let (id, tasks) = try await Self.runningService(sim, .test("web", replicas: 2), replicas: 2)
            let response = try await sim.send(.get, "/v1.47/services/web/logs?stdout=1&stderr=1&details=1&timestamps=1")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"] == "application/vnd.docker.multiplexed-stream")
            let frames = Self.frames(response.body)
            #expect(frames.count == 4, "two lines per running task: \(frames)")
            let pattern = #/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) com\.docker\.swarm\.node\.id=(\w+),com\.docker\.swarm\.service\.id=(\w+),com\.docker\.swarm\.task\.id=(\w+) homelab-sim: (.*)\n$/#
            var stamps: [String] = []
            for frame in frames {
                #expect(frame.stream == 1)
                guard let match = frame.text.wholeMatch(of: pattern) else {
                    Issue.record("not a detailed, timestamped line: \(frame.text.debugDescription)")
                    continue
                }
                stamps.append(String(match.1))
                #expect(String(match.3) == id)
                let task = tasks.first { $0.id == String(match.4) }
                #expect(task != nil, "the line names one of the service's tasks")
                #expect(task?.nodeID == String(match.2))
                #expect(match.5 == "healthy" || match.5.hasPrefix("task \(match.4) of web runs registry.home.arpa/web:1"))
            }
            #expect(stamps == stamps.sorted(), "lines come oldest first")
            let plain = Self.frames(try await sim.send(.get, "/v1.47/services/\(id)/logs?stdout=true").body)
            #expect(plain.count == 4 && plain.allSatisfy { $0.text.hasPrefix("homelab-sim: ") }, "no details, no timestamp: \(plain)")
            let old = try await sim.send(.get, "/v1.41/services/\(id)/logs?stdout=true")
            #expect(old.headers["Content-Type"] == "application/vnd.docker.raw-stream", "below 1.42 the daemon calls it raw")
            #expect(Self.frames(old.body) == plain, "but multiplexes it all the same")
        }
    }

    @Test("tail is per task (0: nothing, all: everything), since keeps lines at or after it, stderr alone has no healthy lines")
    func tailSinceAndStreams() async throws {
        try await withSimulation { sim in
            _ = try await Self.runningService(sim, .test("web", replicas: 3), replicas: 3)
            func count(_ query: String) async throws -> Int {
                let response = try await sim.send(.get, "/v1.47/services/web/logs?\(query)")
                #expect(response.status == 200, "\(query): \(response.text)")
                return Self.frames(response.body).count
            }
            #expect(try await count("stdout=1&tail=1") == 3)
            #expect(try await count("stdout=1&tail=0") == 0)
            #expect(try await count("stdout=1&tail=all") == 6)
            #expect(try await count("stdout=1&tail=") == 6)
            #expect(try await count("stdout=1&since=0") == 6)
            #expect(try await count("stdout=1&since=4102444800.5") == 0)
            #expect(try await count("stderr=1") == 0)
            #expect(try await count("stdout=1&until=1") == 6, "the swarm log endpoints read no until, as the daemon")
            let last = Self.frames(try await sim.send(.get, "/v1.47/services/web/logs?stdout=1&tail=1&timestamps=1").body)
            let newest = try #require(last.map { String($0.text.prefix(30)) }.max())
            let time = try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(newest.replacingOccurrences(of: "000000Z", with: "Z"))
            let before = String(format: "%.6f", time.timeIntervalSince1970 - 0.001)
            let after = String(format: "%.6f", time.timeIntervalSince1970 + 0.002)
            #expect(try await count("stdout=1&since=\(before)") >= 1)
            #expect(try await count("stdout=1&since=\(after)") == 0)
        }
    }

    @Test("Bad queries are refused with the daemon's words", arguments: [
        ("", 400, "Bad parameters: you must choose at least one stream"),
        ("stdout=0&stderr=no", 400, "Bad parameters: you must choose at least one stream"),
        ("stdout=1&tail=x", 500, "tail value must be a positive integer or \"all\""),
        ("stdout=1&tail=-1", 500, "negative tail values not supported"),
        ("stdout=1&since=yesterday", 500, "could not parse since timestamp: strconv.ParseInt: parsing \"yesterday\": invalid syntax"),
    ])
    func refused(_ query: String, _ status: Int, _ message: String) async throws {
        try await withSimulation { sim in
            let response = try await sim.send(.get, "/v1.47/services/ingress_caddy/logs?\(query)")
            #expect(response.status == status)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(response.body)) == ["message": message])
            #expect(try await sim.send(.get, "/v1.47/services/nope/logs?stdout=1&tail=x").status == 404, "the object is looked up before tail")
            #expect(try await sim.send(.get, "/v1.47/tasks/nope/logs?stdout=1").status == 404)
        }
    }

    @Test("A TTY service's log is a raw stream; a task's log has only that task's lines")
    func ttyAndTaskLogs() async throws {
        try await withSimulation { sim in
            var spec = Swarm.ServiceSpec.test("console", replicas: 1)
            spec.taskTemplate?.containerSpec?.tty = true
            let (_, tasks) = try await Self.runningService(sim, spec, replicas: 1)
            let raw = try await sim.send(.get, "/v1.47/services/console/logs?stdout=1&stderr=1")
            #expect(raw.headers["Content-Type"] == "application/vnd.docker.raw-stream")
            #expect(raw.text.hasPrefix("homelab-sim: task ") && raw.text.hasSuffix("homelab-sim: healthy\n"))
            let (_, webTasks) = try await Self.runningService(sim, .test("web", replicas: 2), replicas: 2)
            let task = try #require(webTasks.first?.id)
            let one = Self.frames(try await sim.send(.get, "/v1.47/tasks/\(task)/logs?stdout=1&details=1").body)
            #expect(one.count == 2 && one.allSatisfy { $0.text.contains("com.docker.swarm.task.id=\(task) ") })
            #expect(tasks.count == 1)
        }
    }

    @Test("follow keeps the stream open and sends the lines of tasks that start later (read with the SDK's client)")
    func follow() async throws {
        try await withSimulation { sim in
            let (id, tasks) = try await Self.runningService(sim, .test("web", replicas: 1), replicas: 1)
            let swarm = SwarmClient(transport: sim.transport, endpoint: .unixSocket(sim.simulation.endpoints.dockerSocket, host: "docker"))
            let stream = try await swarm.services.logs(id, options: Swarm.LogOptions(follow: true, tail: 1, details: true))
            let first = try #require(tasks.first?.id)
            let seen = try await withThrowingTaskGroup(of: [Swarm.LogEntry].self) { group in
                group.addTask {
                    var entries: [Swarm.LogEntry] = []
                    for try await entry in stream {
                        entries.append(entry)
                        if entries.count == 1 { _ = try await sim.update(id) { $0.mode = .replicated(replicas: 2) } }
                        if entry.taskID != first && entry.text == "homelab-sim: healthy" { break }
                    }
                    return entries
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(30))
                    return []
                }
                let entries = try await group.next() ?? []
                group.cancelAll()
                return entries
            }
            #expect(seen.first?.text == "homelab-sim: healthy" && seen.first?.taskID == first, "tail=1: the last line only")
            #expect(seen.last?.text == "homelab-sim: healthy" && seen.last?.taskID != first, "the new task's lines came: \(seen)")
            #expect(seen.contains { $0.taskID != first && $0.text.hasPrefix("homelab-sim: task ") })
        }
    }
}
