import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("ServiceSpec encoding")
struct ServiceSpecCodingTests {
    /// A spec touching every part the issue names.
    static let fullSpec = ServiceSpec(
        name: "web",
        labels: ["homelab.tier": "edge"],
        taskTemplate: TaskSpec(
            containerSpec: ContainerSpec(
                image: "nginx:1.27@sha256:0123456789abcdef",
                labels: ["role": "proxy"],
                command: ["nginx"],
                args: ["-g", "daemon off;"],
                env: ["TZ=UTC", "WORKERS=4"],
                mounts: [
                    Mount(target: "/data", source: "web-data", type: .volume, readOnly: false,
                          volumeOptions: VolumeOptions(noCopy: true, driverConfig: DriverConfig(name: "local"))),
                    Mount(target: "/etc/nginx", source: "/srv/nginx", type: .bind, readOnly: true,
                          bindOptions: BindOptions(propagation: .rprivate)),
                    Mount(target: "/tmp", type: .tmpfs, tmpfsOptions: TmpfsOptions(sizeBytes: 64 << 20, mode: 0o1777)),
                ],
                stopGracePeriod: .seconds(30),
                healthCheck: HealthConfig(
                    test: ["CMD-SHELL", "wget -qO- http://127.0.0.1/health || exit 1"], interval: .seconds(10),
                    timeout: .seconds(3), retries: 3, startPeriod: .seconds(20)),
                secrets: [SecretReference(
                    file: FileTarget(name: "tls.key", uid: "0", gid: "0", mode: 0o400), secretID: "s1",
                    secretName: "tls-key")],
                configs: [ConfigReference(
                    file: FileTarget(name: "/etc/nginx/nginx.conf", uid: "0", gid: "0", mode: 0o444),
                    configID: "c1", configName: "nginx-conf")]),
            resources: ResourceRequirements(
                limits: Limit(nanoCPUs: 1_500_000_000, memoryBytes: 512 << 20),
                reservations: ResourceObject(nanoCPUs: 250_000_000, memoryBytes: 128 << 20)),
            restartPolicy: RestartPolicy(condition: .onFailure, delay: .seconds(5), maxAttempts: 3, window: .seconds(120)),
            placement: Placement(
                constraints: ["node.role==worker", "node.labels.disk==ssd"],
                preferences: [PlacementPreference(spread: SpreadOver(spreadDescriptor: "node.labels.rack"))],
                maxReplicas: 2),
            forceUpdate: 3,
            networks: [NetworkAttachmentConfig(target: "edge", aliases: ["www"])],
            logDriver: DriverConfig(name: "json-file", options: ["max-size": "10m"])),
        mode: .replicated(replicas: 3),
        updateConfig: UpdateConfig(
            parallelism: 2, delay: .seconds(10), failureAction: .rollback, monitor: .seconds(30),
            maxFailureRatio: 0.2, order: .startFirst),
        rollbackConfig: UpdateConfig(parallelism: 1, failureAction: .pause, order: .stopFirst),
        endpointSpec: EndpointSpec(
            mode: .vip,
            ports: [EndpointPortConfig(portProtocol: .tcp, targetPort: 80, publishedPort: 8080, publishMode: .ingress)]))

    @Test("a full ServiceSpec survives encode then decode unchanged")
    func roundTrip() throws {
        let data = try JSONEncoder().encode(Self.fullSpec)
        let decoded = try JSONDecoder().decode(ServiceSpec.self, from: data)
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
        let config = UpdateConfig(delay: .seconds(5), failureAction: .pause)
        let json = try SwarmFixture.jsonObject(config)
        #expect(json["Parallelism"] == nil)
        #expect(Set(json.keys) == ["Delay", "FailureAction"])
        #expect(try SwarmFixture.jsonObject(UpdateConfig(parallelism: 1))["Parallelism"] as? Int == 1)
    }

    @Test("absent fields are omitted, never sent as null")
    func nilOmitted() throws {
        #expect(try SwarmFixture.jsonText(ServiceSpec(name: "web")) == #"{"Name":"web"}"#)
        #expect(try SwarmFixture.jsonText(ContainerSpec(image: "redis")) == #"{"Image":"redis"}"#)
        #expect(try SwarmFixture.jsonText(ServiceSpec()) == "{}")
        #expect(!(try SwarmFixture.jsonText(Self.fullSpec)).contains("null"))
    }

    @Test("each service mode has its own wire shape", arguments: [
        (ServiceMode.replicated(replicas: 2), #"{"Replicated":{"Replicas":2}}"#),
        (ServiceMode.replicated(replicas: nil), #"{"Replicated":{}}"#),
        (ServiceMode.global, #"{"Global":{}}"#),
        (ServiceMode.replicatedJob(maxConcurrent: 2, totalCompletions: 10),
         #"{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":10}}"#),
        (ServiceMode.globalJob, #"{"GlobalJob":{}}"#),
    ])
    func modes(mode: ServiceMode, wire: String) throws {
        #expect(try SwarmFixture.jsonText(mode) == wire)
        #expect(try JSONDecoder().decode(ServiceMode.self, from: Data(wire.utf8)) == mode)
    }

    @Test("durations are integer nanoseconds and convert to Swift Duration")
    func durations() throws {
        #expect(DockerDuration(.seconds(1.5)).nanoseconds == 1_500_000_000)
        #expect(DockerDuration(nanoseconds: 250_000_000).duration == .milliseconds(250))
        #expect(try SwarmFixture.jsonText(["d": DockerDuration.seconds(10)]) == #"{"d":10000000000}"#)
        #expect(try JSONDecoder().decode(DockerDuration.self, from: Data("15000000000".utf8)) == .seconds(15))
        #expect(DockerDuration(.seconds(Int64.max)).nanoseconds == .max)
        #expect("\(DockerDuration.seconds(5))" == "5s")
        #expect("\(DockerDuration.milliseconds(300))" == "300ms")
    }

    @Test("a secret's data is base64 of the content, masked in descriptions, revealed only on the wire")
    func secretSpec() throws {
        let spec = SecretSpec(name: "db-password", content: Secret("hunter2-correct-horse"))
        let expected = Data("hunter2-correct-horse".utf8).base64EncodedString()
        #expect(spec.data?.reveal() == expected)
        #expect(!"\(spec)".contains(expected))
        #expect(try SwarmFixture.jsonObject(spec)["Data"] as? String == expected)
        let tokens = JoinTokens(worker: Secret("SWMTKN-1-worker-abcdef"), manager: nil)
        #expect(try SwarmFixture.jsonText(tokens) == #"{"Worker":"SWMTKN-1-worker-abcdef"}"#)
        #expect(!String(describing: tokens).contains("SWMTKN"))
    }

    @Test("the health check is read under the engine's key (Healthcheck) and the swagger's (HealthCheck), written as the engine's",
        arguments: ["Healthcheck", "HealthCheck"])
    func healthCheckSpelling(key: String) throws {
        let json = #"{"Image":"busybox","\#(key)":{"Test":["CMD-SHELL","test -f /tmp/ok"],"Retries":2}}"#
        let container = try JSONDecoder().decode(ContainerSpec.self, from: Data(json.utf8))
        #expect(container.healthCheck?.test == ["CMD-SHELL", "test -f /tmp/ok"])
        #expect(container.healthCheck?.retries == 2)
        let written = try SwarmFixture.jsonObject(container)
        #expect(written["Healthcheck"] != nil && written["HealthCheck"] == nil)
    }
}
