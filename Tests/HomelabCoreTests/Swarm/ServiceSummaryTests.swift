import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("A service summary reads a listing's fields from the full answer, as the full model would")
struct ServiceSummaryTests {
    /// Decodes `json` as a summary with both decoders; they agree, and where the full model decodes, the summary is
    /// the full model's summary. Returns the tape's summary, or nil when both refuse it.
    @discardableResult
    static func summary(_ json: String) throws -> Swarm.ServiceSummary? {
        try TapeDecoderTests.agree(Swarm.ServiceSummary.self, json)
        let summary = try? TapeJSONDecoder().decode(Swarm.ServiceSummary.self, from: Array(json.utf8))
        if let full = try? JSONDecoder().decode(Swarm.Service.self, from: Data(json.utf8)) {
            #expect(summary == Swarm.ServiceSummary(full), "\(json)")
        }
        return summary
    }

    @Test("every service fixture's summary is its full model's summary, with both decoders")
    func fixtures() throws {
        for name in ["service", "service-v1.56", "handmade-service-unknowns"] {
            let data = try SwarmFixture.data(name)
            let full = try JSONDecoder().decode(Swarm.Service.self, from: data)
            let expected = Swarm.ServiceSummary(full)
            #expect(try JSONDecoder().decode(Swarm.ServiceSummary.self, from: data) == expected, "\(name).json")
            #expect(try TapeJSONDecoder().decode(Swarm.ServiceSummary.self, from: data) == expected, "\(name).json")
            #expect(expected.name != nil && expected.image != nil && expected.mode != nil, "\(name).json sets the listing's fields")
        }
        let listing = TapeDecoderTests.listing(50, tag: "s")
        let full = try TapeJSONDecoder().decode([Swarm.Service].self, from: listing)
        #expect(try TapeJSONDecoder().decode([Swarm.ServiceSummary].self, from: listing) == full.map(Swarm.ServiceSummary.init))
        #expect(try JSONDecoder().decode([Swarm.ServiceSummary].self, from: Data(listing)) == full.map(Swarm.ServiceSummary.init))
    }

    @Test("each field comes from its place in the service object")
    func fields() throws {
        let json = #"""
            {"ID":"abc","Version":{"Index":12},"CreatedAt":"2026-01-02T03:04:05Z","UpdatedAt":"2026-01-03T00:00:00Z",
             "Spec":{"Name":"web","Labels":{"com.docker.stack.namespace":"edge"},"Mode":{"Replicated":{"Replicas":3}},
                     "TaskTemplate":{"ContainerSpec":{"Image":"nginx:1@sha256:aa","Env":["A=1"]},"ForceUpdate":2}},
             "PreviousSpec":{"Name":"old","TaskTemplate":{"ContainerSpec":{"Image":"nginx:0"}}},
             "Endpoint":{"Spec":{"Mode":"vip"},"Ports":[{"Protocol":"tcp","TargetPort":80,"PublishedPort":8080}]},
             "UpdateStatus":{"State":"rollback_completed","Message":"m"},
             "ServiceStatus":{"RunningTasks":2,"DesiredTasks":3},"JobStatus":{"JobIteration":{"Index":4}}}
            """#
        let summary = try #require(try Self.summary(json))
        #expect(summary.id == "abc" && summary.version?.index == 12)
        #expect(summary.createdAt == "2026-01-02T03:04:05Z" && summary.updatedAt == "2026-01-03T00:00:00Z")
        #expect(summary.name == "web" && summary.labels == ["com.docker.stack.namespace": "edge"])
        #expect(summary.mode == .replicated(replicas: 3))
        #expect(summary.image == "nginx:1@sha256:aa", "the current spec's image, not the previous one's")
        #expect(summary.ports == [Swarm.EndpointPortConfig(portProtocol: .tcp, targetPort: 80, publishedPort: 8080)])
        #expect(summary.updateStatus?.state == .rollbackCompleted && summary.updateStatus?.message == "m")
        #expect(summary.serviceStatus?.runningTasks == 2 && summary.serviceStatus?.desiredTasks == 3)
        #expect(summary.jobStatus?.jobIteration?.index == 4)
    }

    @Test("null at any level is absent; a level of the wrong type fails as the full model fails, naming the field")
    func nullsAndMismatches() throws {
        for json in [
            #"{"Spec":null}"#, #"{"Spec":{"TaskTemplate":null}}"#, #"{"Spec":{"TaskTemplate":{"ContainerSpec":null}}}"#,
            #"{"Spec":{"TaskTemplate":{"ContainerSpec":{"Image":null}}}}"#, #"{"Endpoint":null}"#, #"{"Endpoint":{"Ports":null}}"#,
            #"{"UpdateStatus":null,"ServiceStatus":null,"JobStatus":null,"Version":null}"#, "{}",
        ] {
            #expect(try Self.summary(json) == Swarm.ServiceSummary(), "\(json)")
        }
        let mismatches = [
            (#"{"Spec":[]}"#, "at Spec: expected Dictionary<String, Any>"),
            (#"{"Spec":{"TaskTemplate":"x"}}"#, "at Spec.TaskTemplate: expected Dictionary<String, Any>"),
            (#"{"Spec":{"TaskTemplate":{"ContainerSpec":1}}}"#, "at Spec.TaskTemplate.ContainerSpec: expected Dictionary<String, Any>"),
            (#"{"Spec":{"TaskTemplate":{"ContainerSpec":{"Image":2}}}}"#, "at Spec.TaskTemplate.ContainerSpec.Image: expected String"),
            (#"{"Spec":{"Labels":{"a":1}}}"#, "at Spec.Labels.a: expected String"),
            (#"{"Endpoint":{"Ports":{}}}"#, "at Endpoint.Ports: expected Array<Any>"),
            (#"{"ServiceStatus":{"RunningTasks":-1}}"#, "at ServiceStatus.RunningTasks: "),
        ]
        for (json, message) in mismatches {
            try Self.summary(json)
            let summary = try #require(throws: DecodingError.self) {
                try TapeJSONDecoder().decode(Swarm.ServiceSummary.self, from: Array(json.utf8))
            }
            let full = try #require(throws: DecodingError.self) { try TapeJSONDecoder().decode(Swarm.Service.self, from: Array(json.utf8)) }
            #expect(DecodingErrorText.describe(summary) == DecodingErrorText.describe(full), "\(json)")
            #expect(DecodingErrorText.describe(summary).hasPrefix(message), "\(json): \(DecodingErrorText.describe(summary))")
        }
        let error = try #require(throws: DecodingError.self) {
            try TapeJSONDecoder().decode(
                [Swarm.ServiceSummary].self, from: Array(#"[{},{"Spec":{"TaskTemplate":{"ContainerSpec":{"Image":["a"]}}}}]"#.utf8))
        }
        #expect(DecodingErrorText.describe(error) == "at [1].Spec.TaskTemplate.ContainerSpec.Image: expected String")
    }

    @Test("fields outside the summary are not read, but the whole answer must still be JSON")
    func onlyTheSummary() throws {
        let json = #"{"Spec":{"Name":"a","TaskTemplate":{"ContainerSpec":{"Image":"i","Env":["A",2]},"Resources":7}},"PreviousSpec":3}"#
        #expect(throws: DecodingError.self) { try TapeJSONDecoder().decode(Swarm.Service.self, from: Array(json.utf8)) }
        #expect(try Self.summary(json) == Swarm.ServiceSummary(name: "a", image: "i"))
        for broken in [#"{"Spec":{"Name":"a"},"PreviousSpec":{"Name":}}"#, #"[{"Spec":{}},{"Spec":{"Env":[1,]}}"#, #"{"Spec":{}} x"#] {
            let error = try #require(throws: DecodingError.self) {
                try TapeJSONDecoder().decode(Swarm.ServiceSummary.self, from: Array(broken.utf8))
            }
            #expect(DecodingErrorText.describe(error).contains("invalid JSON"), "\(broken)")
        }
    }

    @Test("a repeated key reads as its first occurrence, at every level, as with JSONDecoder")
    func repeatedKeys() throws {
        let json = #"""
            {"Spec":{"Name":"first","TaskTemplate":{"ContainerSpec":{"Image":"one","Image":"two"},"ContainerSpec":{"Image":"three"}},
                     "Name":"second"},"Spec":{"Name":"third"},"Endpoint":{"Ports":[],"Ports":[{"TargetPort":1}]}}
            """#
        let summary = try #require(try Self.summary(json))
        #expect(summary.name == "first" && summary.image == "one" && summary.ports == [])
    }

    @Test("encoded, a summary is a service object with only its fields, which decodes again as a summary or a service")
    func encoding() throws {
        let summary = Swarm.ServiceSummary(
            id: "x", version: Swarm.ObjectVersion(index: 3), name: "web", labels: ["k": "v"], mode: .global, image: "nginx:1",
            ports: [Swarm.EndpointPortConfig(targetPort: 80)], serviceStatus: Swarm.ServiceStatus(runningTasks: 1, desiredTasks: 1))
        let data = try JSONEncoder().encode(summary)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["ID", "Version", "Spec", "Endpoint", "ServiceStatus"])
        let spec = try #require(object["Spec"] as? [String: Any])
        #expect(((spec["TaskTemplate"] as? [String: Any])?["ContainerSpec"] as? [String: Any])?["Image"] as? String == "nginx:1")
        #expect(try JSONDecoder().decode(Swarm.ServiceSummary.self, from: data) == summary)
        #expect(try TapeJSONDecoder().decode(Swarm.ServiceSummary.self, from: Array(data)) == summary)
        #expect(Swarm.ServiceSummary(try JSONDecoder().decode(Swarm.Service.self, from: data)) == summary)
        #expect(String(decoding: try JSONEncoder().encode(Swarm.ServiceSummary()), as: UTF8.self) == "{}")
        #expect(try JSONSerialization.jsonObject(with: JSONEncoder().encode(Swarm.ServiceSummary(id: "y"))) as? [String: String] == ["ID": "y"])
    }
}
