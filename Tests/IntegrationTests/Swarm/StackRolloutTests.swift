import Foundation
import HomelabCore
import HomelabTestSupport
import Logging
import Testing

extension DockerSwarm {
    @Suite("stack files rolled out against the real dockerd")
    struct StackRollout {
        static func compose(secret: String, webImage: String, release: String) -> String {
            """
            services:
              db:
                image: \(DockerTestEngine.image1)
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; touch /tmp/ok; while :; do sleep 1; done"]
                healthcheck: { test: ["CMD-SHELL", "test -f /tmp/ok"], interval: 500ms, timeout: 2s, retries: 2 }
                stop_grace_period: 2s
                deploy:
                  update_config: { parallelism: 1, monitor: 1s, order: stop-first }
              web:
                image: \(webImage)
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; touch /tmp/ok; while :; do sleep 1; done"]
                environment: { RELEASE: "\(release)" }
                depends_on: [db]
                secrets: [token]
                healthcheck: { test: ["CMD-SHELL", "test -f /tmp/ok"], interval: 500ms, timeout: 2s, retries: 2 }
                stop_grace_period: 2s
                deploy:
                  replicas: 2
                  update_config: { parallelism: 1, monitor: 1s, order: stop-first }
            secrets:
              token:
                external: true
                name: \(secret)
            """
        }

        @Test("docker stack deploy's services match their file; an edited file changes just that service, which rolls out and then matches")
        func stackFileRollout() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            let docker = RealServer.executable(["docker"])
            guard try RealServer.require("the docker CLI (docker.io)", available: docker != nil, hint: "apt-get install docker.io"),
                let docker
            else { return }
            let host = ProcessInfo.processInfo.environment[DockerTestEngine.hostVariable] ?? ""
            let stack = "hlst\(UUID().uuidString.prefix(6).lowercased())"
            let secretName = "\(stack)-token"
            let folder = try TemporaryFolder()
            let file = folder.file("stack.yml")
            var environment = ProcessInfo.processInfo.environment
            environment["DOCKER_HOST"] = host
            try await DockerScratch.with(client) { scratch in
                scratch.remember(secret: try await client.secrets.create(Swarm.SecretSpec(name: secretName, content: Secret("t0ken"))))
                defer { _ = try? ChildProcess.runBlocking(docker, ["stack", "rm", stack], environment: environment) }
                try Self.compose(secret: secretName, webImage: DockerTestEngine.image1, release: "1")
                    .write(toFile: file, atomically: true, encoding: .utf8)
                let deployed = try await ChildProcess.run(
                    docker, ["stack", "deploy", "--resolve-image", "never", "-c", file, stack], environment: environment)
                #expect(deployed.status == 0, "\(deployed.output)")
                for service in ["db", "web"] {
                    #expect(try await client.waitForConvergence(service: "\(stack)_\(service)", timeout: .seconds(120)) == .completed)
                }

                // What docker stack deploy made is what we convert the file to: nothing to roll out.
                let original = try ComposeConverter.convert(ComposeLoader.load(path: file), stack: stack)
                let unchanged = try await StackChanges.compare([original], with: client)
                #expect(unchanged.changed.map(\.name) == [], "\(unchanged.changed.map { "\($0.name): \($0.fields)" })")
                #expect(unchanged.unchanged == ["\(stack)_db", "\(stack)_web"])

                try Self.compose(secret: secretName, webImage: DockerTestEngine.image2, release: "2")
                    .write(toFile: file, atomically: true, encoding: .utf8)
                let edited = try ComposeConverter.convert(ComposeLoader.load(path: file), stack: stack)
                let changes = try await StackChanges.compare([edited], with: client)
                #expect(changes.changed.map(\.name) == ["\(stack)_web"])
                #expect(Set(changes.changed.first?.fields.map(\.path) ?? []) == [
                    "TaskTemplate.ContainerSpec.Image", "TaskTemplate.ContainerSpec.Env[RELEASE]",
                ])
                #expect(changes.dependencies == [.init(service: "\(stack)_web", dependsOn: "\(stack)_db")])

                let request = RolloutRequest(
                    changes: changes.changed.map { RolloutRequest.Change(service: $0.name, change: .spec($0.desired)) },
                    dependencies: changes.dependencies, convergenceTimeoutSeconds: 120)
                let store = try StateStore(path: folder.file("state.sqlite"))
                let runner = RolloutRunner(
                    swarm: client, journal: store.rolloutJournal,
                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                let result = try await runner.apply(request)
                #expect(result.status == .completed)
                let web = try await client.services.inspect("\(stack)_web").spec
                #expect(web?.taskTemplate?.containerSpec?.image == DockerTestEngine.image2)
                #expect(web?.taskTemplate?.containerSpec?.env?.contains("RELEASE=2") == true)
                #expect(web?.taskTemplate?.containerSpec?.secrets?.first?.secretName == secretName)
                let after = try await StackChanges.compare([edited], with: client)
                #expect(after.changed.isEmpty, "\(after.changed.map { "\($0.name): \($0.fields)" })")
            }
        }
    }
}
