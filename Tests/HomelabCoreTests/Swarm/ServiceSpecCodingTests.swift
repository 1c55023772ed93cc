import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("ServiceSpec encoding")
struct ServiceSpecCodingTests {
    /// A spec touching every part the issue names.
    static let fullSpec = Swarm.ServiceSpec(
        name: "web",
        labels: ["homelab.tier": "edge"],
        taskTemplate: Swarm.TaskSpec(
            containerSpec: Swarm.ContainerSpec(
                image: "nginx:1.27@sha256:0123456789abcdef",
                labels: ["role": "proxy"],
                command: ["nginx"],
                args: ["-g", "daemon off;"],
                env: ["TZ=UTC", "WORKERS=4"],
                mounts: [
                    Swarm.Mount(target: "/data", source: "web-data", type: .volume, readOnly: false,
                          volumeOptions: Swarm.VolumeOptions(noCopy: true, driverConfig: Swarm.DriverConfig(name: "local"))),
                    Swarm.Mount(target: "/etc/nginx", source: "/srv/nginx", type: .bind, readOnly: true,
                          bindOptions: Swarm.BindOptions(propagation: .rprivate)),
                    Swarm.Mount(target: "/tmp", type: .tmpfs, tmpfsOptions: Swarm.TmpfsOptions(sizeBytes: 64 << 20, mode: 0o1777)),
                ],
                stopGracePeriod: .seconds(30),
                healthCheck: Swarm.HealthConfig(
                    test: ["CMD-SHELL", "wget -qO- http://127.0.0.1/health || exit 1"], interval: .seconds(10),
                    timeout: .seconds(3), retries: 3, startPeriod: .seconds(20)),
                secrets: [Swarm.SecretReference(
                    file: Swarm.FileTarget(name: "tls.key", uid: "0", gid: "0", mode: 0o400), secretID: "s1",
                    secretName: "tls-key")],
                configs: [Swarm.ConfigReference(
                    file: Swarm.FileTarget(name: "/etc/nginx/nginx.conf", uid: "0", gid: "0", mode: 0o444),
                    configID: "c1", configName: "nginx-conf")]),
            resources: Swarm.ResourceRequirements(
                limits: Swarm.Limit(nanoCPUs: 1_500_000_000, memoryBytes: 512 << 20),
                reservations: Swarm.ResourceObject(nanoCPUs: 250_000_000, memoryBytes: 128 << 20)),
            restartPolicy: Swarm.RestartPolicy(condition: .onFailure, delay: .seconds(5), maxAttempts: 3, window: .seconds(120)),
            placement: Swarm.Placement(
                constraints: ["node.role==worker", "node.labels.disk==ssd"],
                preferences: [Swarm.PlacementPreference(spread: Swarm.SpreadOver(spreadDescriptor: "node.labels.rack"))],
                maxReplicas: 2),
            forceUpdate: 3,
            networks: [Swarm.NetworkAttachmentConfig(target: "edge", aliases: ["www"])],
            logDriver: Swarm.DriverConfig(name: "json-file", options: ["max-size": "10m"])),
        mode: .replicated(replicas: 3),
        updateConfig: Swarm.UpdateConfig(
            parallelism: 2, delay: .seconds(10), failureAction: .rollback, monitor: .seconds(30),
            maxFailureRatio: 0.2, order: .startFirst),
        rollbackConfig: Swarm.UpdateConfig(parallelism: 1, failureAction: .pause, order: .stopFirst),
        endpointSpec: Swarm.EndpointSpec(
            mode: .vip,
            ports: [Swarm.EndpointPortConfig(portProtocol: .tcp, targetPort: 80, publishedPort: 8080, publishMode: .ingress)]))

    @Test("a full ServiceSpec survives encode then decode unchanged")
    func roundTrip() throws {
        let data = try JSONEncoder().encode(Self.fullSpec)
        let decoded = try JSONDecoder().decode(Swarm.ServiceSpec.self, from: data)
        #expect(decoded == Self.fullSpec)
    }

    @Test("the wire keys are Docker's PascalCase and values are in Docker's units")
    func wireShape() throws {
        let json = try SwarmFixture.jsonObject(Self.fullSpec)
        #expect(Set(json.keys) == ["Name", "Labels", "TaskTemplate", "Mode", "UpdateConfig", "RollbackConfig", "EndpointSpec"])
        let template = try #require(json["TaskTemplate"] as? [String: Any])
        let container = try #require(template["ContainerSpec"] as? [String: Any])
        #expect(container["StopGracePeriod"] as? Int64 == 30_000_000_000)
        let health = try #require(container["Healthcheck"] as? [String: Any])
        #expect(health["Interval"] as? Int64 == 10_000_000_000)
        #expect((container["Secrets"] as? [[String: Any]])?.first?["SecretName"] as? String == "tls-key")
        let file = (container["Secrets"] as? [[String: Any]])?.first?["File"] as? [String: Any]
        #expect(file?["Mode"] as? Int == 0o400)
        let mode = try #require(json["Mode"] as? [String: Any])
        #expect((mode["Replicated"] as? [String: Any])?["Replicas"] as? Int == 3)
        let update = try #require(json["UpdateConfig"] as? [String: Any])
        #expect(update["Order"] as? String == "start-first")
        #expect(update["FailureAction"] as? String == "rollback")
        #expect(update["Monitor"] as? Int64 == 30_000_000_000)
        let restart = try #require(template["RestartPolicy"] as? [String: Any])
        #expect(restart["Condition"] as? String == "on-failure")
        let placement = try #require(template["Placement"] as? [String: Any])
        let spread = (placement["Preferences"] as? [[String: Any]])?.first?["Spread"] as? [String: Any]
        #expect(spread?["SpreadDescriptor"] as? String == "node.labels.rack")
        let port = (json["EndpointSpec"] as? [String: Any]).flatMap { ($0["Ports"] as? [[String: Any]])?.first }
        #expect(port?["Protocol"] as? String == "tcp")
        #expect(port?["PublishMode"] as? String == "ingress")
    }

    @Test("an UpdateConfig without Parallelism encodes without the key (Docker reads that as unlimited)")
    func parallelismOmitted() throws {
        let config = Swarm.UpdateConfig(delay: .seconds(5), failureAction: .pause)
        let json = try SwarmFixture.jsonObject(config)
        #expect(json["Parallelism"] == nil)
        #expect(Set(json.keys) == ["Delay", "FailureAction"])
        #expect(try SwarmFixture.jsonObject(Swarm.UpdateConfig(parallelism: 1))["Parallelism"] as? Int == 1)
    }

    @Test("absent fields are omitted, never sent as null")
    func nilOmitted() throws {
        #expect(try SwarmFixture.jsonText(Swarm.ServiceSpec(name: "web")) == #"{"Name":"web"}"#)
        #expect(try SwarmFixture.jsonText(Swarm.ContainerSpec(image: "redis")) == #"{"Image":"redis"}"#)
        #expect(try SwarmFixture.jsonText(Swarm.ServiceSpec()) == "{}")
        #expect(!(try SwarmFixture.jsonText(Self.fullSpec)).contains("null"))
    }

    @Test("each service mode has its own wire shape", arguments: [
        (Swarm.ServiceMode.replicated(replicas: 2), #"{"Replicated":{"Replicas":2}}"#),
        (Swarm.ServiceMode.replicated(replicas: nil), #"{"Replicated":{}}"#),
        (Swarm.ServiceMode.global, #"{"Global":{}}"#),
        (Swarm.ServiceMode.replicatedJob(maxConcurrent: 2, totalCompletions: 10),
         #"{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":10}}"#),
        (Swarm.ServiceMode.globalJob, #"{"GlobalJob":{}}"#),
    ])
    func modes(mode: Swarm.ServiceMode, wire: String) throws {
        #expect(try SwarmFixture.jsonText(mode) == wire)
        #expect(try JSONDecoder().decode(Swarm.ServiceMode.self, from: Data(wire.utf8)) == mode)
    }

    @Test("durations are integer nanoseconds and convert to Swift Duration")
    func durations() throws {
        #expect(Swarm.Nanoseconds(.seconds(1.5)).nanoseconds == 1_500_000_000)
        #expect(Swarm.Nanoseconds(nanoseconds: 250_000_000).duration == .milliseconds(250))
        #expect(try SwarmFixture.jsonText(["d": Swarm.Nanoseconds.seconds(10)]) == #"{"d":10000000000}"#)
        #expect(try JSONDecoder().decode(Swarm.Nanoseconds.self, from: Data("15000000000".utf8)) == .seconds(15))
        #expect(Swarm.Nanoseconds(.seconds(Int64.max)).nanoseconds == .max)
        #expect("\(Swarm.Nanoseconds.seconds(5))" == "5s")
        #expect("\(Swarm.Nanoseconds.milliseconds(300))" == "300ms")
    }

    @Test("a secret's data is base64 of the content, masked in descriptions, revealed only on the wire")
    func secretSpec() throws {
        let spec = Swarm.SecretSpec(name: "db-password", content: Secret("hunter2-correct-horse"))
        let expected = Data("hunter2-correct-horse".utf8).base64EncodedString()
        #expect(spec.data?.reveal() == expected)
        #expect(!"\(spec)".contains(expected))
        #expect(try SwarmFixture.jsonObject(spec)["Data"] as? String == expected)
        let tokens = Swarm.JoinTokens(worker: Secret("SWMTKN-1-worker-abcdef"), manager: nil)
        #expect(try SwarmFixture.jsonText(tokens) == #"{"Worker":"SWMTKN-1-worker-abcdef"}"#)
        #expect(!String(describing: tokens).contains("SWMTKN"))
    }

    @Test("the health check is read under the engine's key (Healthcheck) and the swagger's (HealthCheck), written as the engine's",
        arguments: ["Healthcheck", "HealthCheck"])
    func healthCheckSpelling(key: String) throws {
        let json = #"{"Image":"busybox","\#(key)":{"Test":["CMD-SHELL","test -f /tmp/ok"],"Retries":2}}"#
        let container = try JSONDecoder().decode(Swarm.ContainerSpec.self, from: Data(json.utf8))
        #expect(container.healthCheck?.test == ["CMD-SHELL", "test -f /tmp/ok"])
        #expect(container.healthCheck?.retries == 2)
        let written = try SwarmFixture.jsonObject(container)
        #expect(written["Healthcheck"] != nil && written["HealthCheck"] == nil)
    }
}
