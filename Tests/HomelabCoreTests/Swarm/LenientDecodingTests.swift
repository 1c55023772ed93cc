import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Swarm models decode leniently")
struct LenientDecodingTests {
    @Test("unknown fields, unknown enum values, null arrays and odd dates do not fail a service decode")
    func serviceWithUnknowns() throws {
        let service = try SwarmFixture.decode(Swarm.Service.self, "handmade-service-unknowns")
        #expect(service.version?.index == 42)
        #expect(service.updatedAt == "not a date at all")
        #expect(service.updateStatus?.state == .unknown("rollback_hyper"))
        #expect(service.updateStatus?.state?.isKnown == false)
        #expect(service.updateStatus?.startedAt.flatMap(Swarm.Timestamp.date(from:)) == nil)
        let spec = try #require(service.spec)
        #expect(spec.labels == nil)
        #expect(spec.taskTemplate?.containerSpec?.image == "nginx:1.27")
        #expect(spec.taskTemplate?.containerSpec?.env == nil)
        #expect(spec.taskTemplate?.containerSpec?.mounts == nil)
        #expect(spec.taskTemplate?.restartPolicy?.condition == .unknown("sometimes"))
        #expect(spec.taskTemplate?.placement?.preferences?.first?.spread?.spreadDescriptor == "node.labels.rack")
        #expect(spec.updateConfig?.failureAction == .unknown("self-destruct"))
        #expect(spec.updateConfig?.order == .unknown("random-first"))
        #expect(spec.updateConfig?.parallelism == nil)
        #expect(spec.endpointSpec?.mode == .unknown("anycast"))
        #expect(spec.endpointSpec?.ports?.first?.portProtocol == .unknown("quic"))
        #expect(spec.endpointSpec?.ports?.first?.publishMode == .unknown("mesh"))
        #expect(service.serviceStatus?.runningTasks == 2)
        #expect(service.serviceStatus?.desiredTasks == 3)
    }

    @Test("an unknown service mode is kept verbatim and re-encodes unchanged")
    func unknownMode() throws {
        let service = try SwarmFixture.decode(Swarm.Service.self, "handmade-service-unknowns")
        let mode = try #require(service.spec?.mode)
        #expect(mode == .unknown(["ReplicatedHyper": .object(["Replicas": .integer(9)])]))
        #expect(try SwarmFixture.jsonText(mode) == #"{"ReplicatedHyper":{"Replicas":9}}"#)
        #expect(mode.replicas == nil)
    }

    @Test("unknown enum values re-encode exactly as received")
    func unknownValuesRoundTrip() throws {
        let config = Swarm.UpdateConfig(failureAction: .unknown("self-destruct"), order: .unknown("random-first"))
        let decoded = try JSONDecoder().decode(Swarm.UpdateConfig.self, from: JSONEncoder().encode(config))
        #expect(decoded == config)
        #expect(try SwarmFixture.jsonObject(config)["Order"] as? String == "random-first")
    }

    @Test("a node with Availability frozen and Docker's own unknown state decodes")
    func nodeWithUnknowns() throws {
        let node = try SwarmFixture.decode(Swarm.Node.self, "handmade-node-unknowns")
        #expect(node.spec?.availability == .unknown("frozen"))
        #expect(node.spec?.role == .unknown("overlord"))
        #expect(node.spec?.labels == nil)
        #expect(node.status?.state == .unknown("unknown"))
        #expect(node.managerStatus?.reachability == .unknown("unknown"))
        #expect(node.description?.platform?.architecture == "riscv64")
        #expect(node.description?.engine?.plugins == nil)
    }

    @Test("all six update states decode to their own case", arguments: [
        ("updating", Swarm.UpdateState.updating), ("paused", .paused), ("completed", .completed),
        ("rollback_started", .rollbackStarted), ("rollback_paused", .rollbackPaused),
        ("rollback_completed", .rollbackCompleted),
    ])
    func updateStates(wire: String, state: Swarm.UpdateState) throws {
        let json = #"{"State":"\#(wire)","Message":"m"}"#
        let status = try JSONDecoder().decode(Swarm.UpdateStatus.self, from: Data(json.utf8))
        #expect(status.state == state)
        #expect(state.isKnown)
        #expect(state.rawValue == wire)
        #expect(Swarm.UpdateState(rawValue: wire) == state)
    }

    @Test("every known case spells itself back", arguments: Swarm.UpdateState.knownCases.map(\.rawValue)
        + Swarm.TaskState.knownCases.map(\.rawValue) + Swarm.NodeAvailability.knownCases.map(\.rawValue))
    func spellings(raw: String) {
        #expect(Swarm.UpdateState(rawValue: raw).rawValue == raw)
        #expect(Swarm.TaskState(rawValue: raw).rawValue == raw)
    }

    @Test("task states after running are terminal; unknown ones are not")
    func terminalStates() {
        #expect(Swarm.TaskState.failed.isTerminal && Swarm.TaskState.complete.isTerminal && Swarm.TaskState.orphaned.isTerminal)
        #expect(!Swarm.TaskState.running.isTerminal && !Swarm.TaskState.pending.isTerminal)
        #expect(!Swarm.TaskState.unknown("hibernating").isTerminal)
    }

    @Test("an object version without an index reads as 0 instead of failing")
    func versionWithoutIndex() throws {
        #expect(try JSONDecoder().decode(Swarm.ObjectVersion.self, from: Data(#"{}"#.utf8)) == Swarm.ObjectVersion(index: 0))
        #expect(try JSONDecoder().decode(Swarm.ObjectVersion.self, from: Data(#"{"Index":null}"#.utf8)).index == 0)
    }

    @Test("an enum that is not a string at all is a decoding error, not a crash")
    func wrongType() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Swarm.NodeSpec.self, from: Data(#"{"Availability":7}"#.utf8))
        }
    }

    @Test("the ping headers tell the API version and swarm role")
    func ping() {
        let ping = Swarm.Ping(headers: [
            "Api-Version": "1.47", "Ostype": "linux", "Docker-Experimental": "false", "Swarm": "active/manager",
        ])
        #expect(ping.apiVersion == "1.47")
        #expect(ping.osType == "linux")
        #expect(ping.experimental == false)
        #expect(ping.swarm == .activeManager)
        #expect(Swarm.Ping(headers: ["Swarm": "active/observer"]).swarm == .unknown("active/observer"))
        #expect(Swarm.Ping(headers: [:]).swarm == nil)
    }
}

@Suite("Docker timestamps")
struct DockerTimeTests {
    @Test("RFC 3339 with 0 to 9 fractional digits and offsets parses", arguments: [
        ("2016-06-07T21:07:29Z", 1_465_333_649.0),
        ("2016-06-07T21:07:29.962229872Z", 1_465_333_649.962229872),
        ("2016-06-07T21:07:29.9Z", 1_465_333_649.9),
        ("2016-06-07T23:07:29.5+02:00", 1_465_333_649.5),
        ("2020-06-22T15:49:27.000000000+00:00", 1_592_840_967.0),
        ("2016-06-07T21:07:29.1234567891234Z", 1_465_333_649.123456789),
    ])
    func parses(text: String, seconds: Double) throws {
        let date = try #require(Swarm.Timestamp.date(from: text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_01)
    }

    @Test("odd text gives nil, never a crash", arguments: [
        "", "yesterday", "2016-06-07", "2016-06-07T21:07:29", "2016-13-07T21:07:29Z", "2016-06-07T21:07:29.Z",
        "2016-06-07T21:07:29Zjunk", "２０１６-06-07T21:07:29Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
        "2016-04-31T00:00:00Z", "2016-06-00T00:00:00Z",
    ])
    func rejects(text: String) {
        #expect(Swarm.Timestamp.date(from: text) == nil)
    }

    @Test("leap days parse where the Gregorian calendar has them")
    func leapDays() throws {
        for text in ["2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z"] {
            let date = try #require(Swarm.Timestamp.date(from: text))
            #expect(Swarm.Timestamp.date(from: text.replacingOccurrences(of: "02-29", with: "03-01"))?
                .timeIntervalSince(date) == 86_400)
        }
    }

    @Test("the first and last day of every month from 1583 to 2400 agree with Foundation's Gregorian calendar in UTC")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var checked = 0
        for year in 1583...2400 {
            for month in 1...12 {
                let first = try #require(calendar.date(from: DateComponents(year: year, month: month, day: 1)))
                let last = try #require(calendar.range(of: .day, in: .month, for: first)).count
                for day in [1, last] {
                    let (hour, minute, second) = (checked % 24, checked % 60, (checked * 7) % 60)
                    let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, minute, second)
                    let expected = calendar.date(
                        from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
                    #expect(Swarm.Timestamp.date(from: text) == expected, "\(text)")
                    checked += 1
                }
            }
        }
        #expect(checked == 818 * 12 * 2)
    }

    @Test("Go's zero time is the proleptic Gregorian year 1, as Go computes it (time.Time{}.Unix())")
    func zeroTimeValue() throws {
        let date = try #require(Swarm.Timestamp.date(from: "0001-01-01T00:00:00Z"))
        #expect(date.timeIntervalSince1970 == -62_135_596_800)
    }

    @Test("Go's zero time is recognised as not set")
    func zeroTime() {
        #expect(Swarm.Timestamp.isZero("0001-01-01T00:00:00Z"))
        #expect(!Swarm.Timestamp.isZero("2016-06-07T21:07:29Z"))
    }
}
