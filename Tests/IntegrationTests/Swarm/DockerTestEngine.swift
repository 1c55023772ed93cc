import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The private swarm-mode dockerd started by `scripts/dockerd-test.sh start STATE_DIR`, found through
/// `HOMELAB_TEST_DOCKER_HOST` (see `STATE_DIR/docker.env`).
enum DockerTestEngine {
    /// The images the script imports from busybox-static.
    static let image1 = "homelab-test/busybox:1"
    static let image2 = "homelab-test/busybox:2"

    static let hostVariable = "HOMELAB_TEST_DOCKER_HOST"

    /// A client for the test engine, or `nil` (after a CI failure or a visible skip) when it is not configured.
    static func client(sourceLocation: SourceLocation = #_sourceLocation) throws -> SwarmClient? {
        let host = ProcessInfo.processInfo.environment[hostVariable] ?? ""
        guard
            try RealServer.require(
                "dockerd (scripts/dockerd-test.sh)", available: !host.isEmpty,
                hint: "run scripts/dockerd-test.sh start DIR and export \(hostVariable) from DIR/docker.env",
                sourceLocation: sourceLocation)
        else { return nil }
        let connection = try DockerConnection.fromEnvironment(["DOCKER_HOST": host])
        return try SwarmClient(transport: try CurlTransport(), connection: connection)
    }

    /// The test engine's unix socket path, or `nil` (after a CI failure or a visible skip) when it is not configured.
    static func socketPath(sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let host = ProcessInfo.processInfo.environment[hostVariable] ?? ""
        guard
            try RealServer.require(
                "dockerd (scripts/dockerd-test.sh)", available: host.hasPrefix("unix:///"),
                hint: "export \(hostVariable) from scripts/dockerd-test.sh start DIR", sourceLocation: sourceLocation)
        else { return nil }
        return String(host.dropFirst("unix://".count))
    }

    /// The built `homelab` executable, or `nil` after recording that it is missing.
    static func homelabBinary(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/homelab").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("\(path) is missing: build the package (swift build --build-tests) before testing", sourceLocation: sourceLocation)
            return nil
        }
        return path
    }

    /// A name no other test uses: `hl-it-<what>-<random>`.
    static func uniqueName(_ what: String) -> String {
        "hl-it-\(what)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// A container that marks itself healthy (when `healthy`), writes a line to stdout and one to stderr, then
    /// idles; it exits promptly on SIGTERM.
    static func container(image: String = image1, healthy: Bool = true, env: [String] = [], healthCheck: Bool = true)
        -> Swarm.ContainerSpec
    {
        let marker = healthy ? "touch /tmp/ok; " : ""
        let script = "trap 'exit 0' TERM; \(marker)echo out-line; echo err-line >&2; while :; do sleep 1; done"
        return Swarm.ContainerSpec(
            image: image, command: ["/bin/sh", "-c", script], env: env.isEmpty ? nil : env,
            stopGracePeriod: .seconds(2),
            healthCheck: healthCheck
                ? Swarm.HealthConfig(
                    test: ["CMD-SHELL", "test -f /tmp/ok"], interval: .milliseconds(500), timeout: .seconds(2),
                    retries: 2, startPeriod: 0)
                : nil)
    }

    /// A replicated service spec with fast update and rollback settings.
    static func serviceSpec(
        name: String, replicas: UInt64, container: Swarm.ContainerSpec, failureAction: Swarm.UpdateFailureAction = .pause,
        labels: [String: String] = [:]
    ) -> Swarm.ServiceSpec {
        Swarm.ServiceSpec(
            name: name, labels: ["homelab.test": "integration"].merging(labels) { $1 },
            taskTemplate: Swarm.TaskSpec(
                containerSpec: container,
                restartPolicy: Swarm.RestartPolicy(condition: .onFailure, delay: .milliseconds(200), maxAttempts: 0)),
            mode: .replicated(replicas: replicas),
            updateConfig: Swarm.UpdateConfig(
                parallelism: 1, delay: 0, failureAction: failureAction, monitor: .seconds(1), maxFailureRatio: 0,
                order: .stopFirst),
            rollbackConfig: Swarm.UpdateConfig(
                parallelism: 1, delay: 0, failureAction: .pause, monitor: .seconds(1), maxFailureRatio: 0,
                order: .stopFirst))
    }
}

/// What a test created on the engine, removed at the end whatever happened.
final class DockerScratch: Sendable {
    let client: SwarmClient
    private let services = Locked<[String]>([])
    private let secrets = Locked<[String]>([])
    private let configs = Locked<[String]>([])
    private let networks = Locked<[String]>([])

    init(client: SwarmClient) { self.client = client }

    /// Creates a service and remembers it for removal.
    func createService(_ spec: Swarm.ServiceSpec) async throws -> String {
        let created = try await client.services.create(spec)
        let id = try #require(created.id)
        services.withLock { $0.append(id) }
        return id
    }

    func remember(secret id: String) { secrets.withLock { $0.append(id) } }
    func remember(config id: String) { configs.withLock { $0.append(id) } }
    func remember(network id: String) { networks.withLock { $0.append(id) } }

    /// Removes everything remembered, services first (they hold secrets, configs and networks).
    func removeAll() async {
        for id in services.withLock({ $0 }) { try? await client.services.remove(id) }
        if !secrets.withLock({ $0 }).isEmpty || !configs.withLock({ $0 }).isEmpty || !networks.withLock({ $0 }).isEmpty {
            // Tasks must be gone before the objects they use can be removed.
            for _ in 0..<50 {
                let left = (try? await client.tasks.list()) ?? []
                if services.withLock({ $0 }).allSatisfy({ id in !left.contains { $0.serviceID == id } }) { break }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        for id in secrets.withLock({ $0 }) { try? await client.secrets.remove(id) }
        for id in configs.withLock({ $0 }) { try? await client.configs.remove(id) }
        for id in networks.withLock({ $0 }) { try? await client.networks.remove(id) }
    }

    /// Runs `body` with a scratch area that is emptied afterwards.
    static func with(_ client: SwarmClient, _ body: (DockerScratch) async throws -> Void) async throws {
        let scratch = DockerScratch(client: client)
        do {
            try await body(scratch)
        } catch {
            await scratch.removeAll()
            throw error
        }
        await scratch.removeAll()
    }
}

/// Collects progress reports from a `@Sendable` callback.
final class ProgressLog: Sendable {
    private let entries = Locked<[Swarm.ConvergenceProgress]>([])
    func append(_ progress: Swarm.ConvergenceProgress) { entries.withLock { $0.append(progress) } }
    var all: [Swarm.ConvergenceProgress] { entries.withLock { $0 } }
}

/// Raw JSON straight from the test engine, to compare with what the models keep.
enum SwarmRawJSON {
    static func get(_ client: SwarmClient, _ path: String) async throws -> Data {
        let host = try #require(ProcessInfo.processInfo.environment[DockerTestEngine.hostVariable])
        let endpoint = try DockerConnection.fromEnvironment(["DOCKER_HOST": host]).endpoint()
        let version = try await client.apiVersion()
        let response = try await CurlTransport().execute(HTTPRequest(path: version.pathPrefix + path), on: endpoint)
        #expect(response.isSuccess, "GET \(path): HTTP \(response.status)")
        return Data(response.body)
    }

    /// Paths of keys present in `raw` but missing from `roundTrip` (arrays compared element by element).
    static func keysLost(raw: Data, roundTrip: Data) throws -> [String] {
        var lost: [String] = []
        func walk(_ a: Any, _ b: Any?, _ path: String) {
            if let objectA = a as? [String: Any] {
                let objectB = b as? [String: Any] ?? [:]
                for (key, value) in objectA {
                    if value is NSNull { continue }
                    guard let other = objectB[key] else {
                        lost.append(path + "." + key)
                        continue
                    }
                    walk(value, other, path + "." + key)
                }
            } else if let arrayA = a as? [Any], let arrayB = b as? [Any], arrayA.count == arrayB.count {
                for (index, value) in arrayA.enumerated() { walk(value, arrayB[index], path + "[\(index)]") }
            }
        }
        walk(try JSONSerialization.jsonObject(with: raw), try JSONSerialization.jsonObject(with: roundTrip), "")
        return lost.sorted()
    }
}
