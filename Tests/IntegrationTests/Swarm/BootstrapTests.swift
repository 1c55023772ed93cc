import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

extension DockerSwarm {
    @Suite("homelab bootstrap against the real dockerd")
    struct Bootstrap {
        /// A service that marks itself healthy (or, `healthy: false`, whose health check always fails).
        static func service(_ name: String, healthy: Bool = true, extra: String = "") -> String {
            """
              \(name):
                image: \(DockerTestEngine.image1)
                command: ["/bin/sh", "-c", "trap 'exit 0' TERM; touch /tmp/ok; while :; do sleep 1; done"]
                healthcheck: { test: ["CMD-SHELL", "\(healthy ? "test -f /tmp/ok" : "false")"], interval: 500ms, timeout: 2s, retries: 2 }
                stop_grace_period: 2s
            \(extra)    deploy:
                  restart_policy: { condition: on-failure, delay: 500ms }
                  update_config: { parallelism: 1, monitor: 1s, order: stop-first, failure_action: rollback }

            """
        }

        /// Three stacks, one per tier: `<p>edge` (a service with its own network and a secret from a file),
        /// `<p>data` (db, api after db, cache) and `<p>apps` (web).
        static func stacks(prefix: String, brokenDB: Bool) -> [(name: String, tier: String, services: [String], compose: String)] {
            [
                ("\(prefix)edge", "infrastructure", ["proxy"],
                 "services:\n" + service("proxy", extra: "    networks: [front]\n    secrets: [token]\n")
                    + "networks:\n  front: {}\nsecrets:\n  token: { file: ./token.txt }\n"),
                ("\(prefix)data", "platform", ["db", "api", "cache"],
                 "services:\n" + service("db", healthy: !brokenDB) + service("api", extra: "    depends_on: [db]\n") + service("cache")),
                ("\(prefix)apps", "application", ["web"], "services:\n" + service("web")),
            ]
        }

        /// Writes the inventory (pointing at the test engine) and the stack files; returns the inventory's path.
        static func writeLab(
            prefix: String, socket: String, brokenDB: Bool, in folder: TemporaryFolder
        ) throws -> (config: String, names: [String]) {
            var yaml = """
                version: 1
                name: "bootstrap"
                nodes:
                  - name: "node1"
                    role: manager
                    platform: bare-metal
                    address: "127.0.0.1"
                tiers: ["infrastructure", "platform", "application"]
                stacks:

                """
            var names: [String] = []
            for stack in stacks(prefix: prefix, brokenDB: brokenDB) {
                yaml += "  - name: \"\(stack.name)\"\n    tier: \"\(stack.tier)\"\n    services:\n"
                for service in stack.services {
                    yaml += "      - name: \"\(service)\"\n        image: \"\(DockerTestEngine.image1)\"\n"
                    names.append("\(stack.name)_\(service)")
                }
                let directory = folder.file("stacks/\(stack.name)")
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try stack.compose.write(toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
                try "bootstrap-secret-\(prefix)\n".write(toFile: directory + "/token.txt", atomically: true, encoding: .utf8)
            }
            yaml += "components:\n  docker:\n    socket: \"\(socket)\"\n"
            let config = folder.file("homelab.yaml")
            try yaml.write(toFile: config, atomically: true, encoding: .utf8)
            return (config, names)
        }

        /// Removes every service, secret and network whose name starts with `prefix` (what a bootstrap made).
        static func removeAll(prefix: String, client: SwarmClient) async {
            let services = ((try? await client.services.list(filters: .name(prefix), status: false)) ?? [])
                .filter { $0.spec?.name?.hasPrefix(prefix) == true }
            for service in services { if let id = service.id { try? await client.services.remove(id) } }
            for _ in 0..<100 {
                let left = (try? await client.tasks.list()) ?? []
                if !left.contains(where: { task in services.contains { $0.id == task.serviceID } }) { break }
                try? await Task.sleep(for: .milliseconds(200))
            }
            for secret in (try? await client.secrets.list()) ?? [] where secret.spec?.name?.hasPrefix(prefix) == true {
                if let id = secret.id { try? await client.secrets.remove(id) }
            }
            for network in (try? await client.networks.list()) ?? [] where network.name?.hasPrefix(prefix) == true {
                if let id = network.id { try? await client.networks.remove(id) }
            }
        }

        static func withLab(
            tag: String, brokenDB: Bool,
            _ body: (SwarmClient, String, String, [String], [String: String]) async throws -> Void
        ) async throws {
            guard let client = try DockerTestEngine.client(), let socket = try DockerTestEngine.socketPath(),
                let binary = DockerTestEngine.homelabBinary()
            else { return }
            let prefix = tag + UUID().uuidString.prefix(6).lowercased()
            let folder = try TemporaryFolder()
            let (config, names) = try writeLab(prefix: prefix, socket: socket, brokenDB: brokenDB, in: folder)
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = folder.path
            environment["HOMELAB_CONFIG"] = config
            do {
                try await body(client, binary, prefix, names, environment)
            } catch {
                await removeAll(prefix: prefix, client: client)
                throw error
            }
            await removeAll(prefix: prefix, client: client)
        }

        @Test("from none of its services, three stacks with dependencies come up tier by tier; a rerun creates nothing")
        func threeStacksInOrder() async throws {
            try await Self.withLab(tag: "hlbu", brokenDB: false) { client, binary, prefix, names, environment in
                for name in names { #expect(try await client.serviceExists(named: name) == false) }
                let dry = try await ChildProcess.run(binary, ["bootstrap", "--dry-run"], environment: environment, timeout: .seconds(60))
                #expect(dry.status == 0, "\(dry.output)")
                #expect(dry.output.contains("5 services (5 to create"), "\(dry.output)")

                let run = try await ChildProcess.run(
                    binary, ["bootstrap", "--budget", "2", "--timeout", "120"], environment: environment, timeout: .seconds(400))
                #expect(run.status == 0, "\(run.output)")
                #expect(run.output.contains("tier application: up (\(prefix)apps_web)"), "\(run.output)")
                #expect(!run.output.contains("bootstrap-secret-"), "the secret's content is never printed")
                // Tier by tier: every service of a tier healthy before any service of the next one started.
                let lines = run.output.split(separator: "\n").map(String.init)
                func line(_ prefixText: String, _ service: String) -> Int {
                    lines.firstIndex { $0.hasPrefix(prefixText) && $0.hasSuffix(" \(service)") } ?? -1
                }
                let edge = ["\(prefix)edge_proxy"]
                let data = ["db", "api", "cache"].map { "\(prefix)data_\($0)" }
                for (lower, upper) in [(edge, data), (data, ["\(prefix)apps_web"])] {
                    let lastHealthy = lower.map { line("healthy", $0) }.max() ?? -1
                    for service in upper {
                        #expect(line("started", service) > lastHealthy, "\(service) started before the tier below was up:\n\(run.output)")
                    }
                }
                #expect(line("healthy", "\(prefix)data_db") < line("started", "\(prefix)data_api"), "depends_on: db before api")
                for name in names {
                    #expect(try await client.waitForConvergence(service: name, timeout: .seconds(60)) == .completed, "\(name)")
                }
                let proxy = try await client.services.inspect("\(prefix)edge_proxy")
                #expect(proxy.spec?.labels?[ComposeConverter.namespaceLabel] == "\(prefix)edge")
                #expect(try await client.secretID(named: "\(prefix)edge_token") != nil)
                #expect(try await client.networks.list().filter { $0.name == "\(prefix)edge_front" }.count == 1)

                let again = try await ChildProcess.run(binary, ["bootstrap"], environment: environment, timeout: .seconds(60))
                #expect(again.status == 0 && again.output.contains("checking that each is up"), "\(again.output)")
                #expect(try await client.services.list(filters: .name(prefix), status: false).count == names.count, "nothing created twice")
            }
        }

        @Test("a service whose health check always fails blocks its tier and the tier above: exit 5, naming it and what was not started")
        func unhealthyServiceBlocks() async throws {
            try await Self.withLab(tag: "hlbb", brokenDB: true) { client, binary, prefix, names, environment in
                let run = try await ChildProcess.run(
                    binary, ["bootstrap", "--budget", "2", "--timeout", "20"], environment: environment, timeout: .seconds(300))
                #expect(run.status == 5, "\(run.output)")
                #expect(run.output.contains("tier infrastructure: up"), "\(run.output)")
                #expect(run.output.contains("tier platform: BLOCKED"), "\(run.output)")
                #expect(run.output.contains("\(prefix)data_db never became healthy: did not converge within"), "\(run.output)")
                #expect(run.output.contains("not started in this tier: \(prefix)data_api"), "\(run.output)")
                #expect(run.output.contains("tier application: not started (tier platform is blocked): \(prefix)apps_web"), "\(run.output)")
                #expect(try await client.serviceExists(named: "\(prefix)apps_web") == false)
                #expect(try await client.serviceExists(named: "\(prefix)data_api") == false)
                #expect(try await client.serviceExists(named: "\(prefix)data_cache"), "the independent cache still came up")
            }
        }
    }
}
