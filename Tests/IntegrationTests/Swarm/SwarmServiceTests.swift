import Foundation
import HomelabCore
import Synchronization
import HomelabTestSupport
import Testing

extension DockerSwarm {
    @Suite("services: create, update, converge, roll back, retry, logs")
    struct Services {
        @Test("a 3-replica service with a health check converges, then an update (env, image tag) converges too")
        func createUpdateConverge() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let name = DockerTestEngine.uniqueName("web")
                let id = try await scratch.createService(
                    DockerTestEngine.serviceSpec(name: name, replicas: 3, container: DockerTestEngine.container()))

                let first = try await client.waitForConvergence(service: id, timeout: .seconds(90))
                #expect(first == .completed)
                let listed = try await client.services.list(filters: .name(name))
                #expect(listed.count == 1)
                #expect(listed.first?.serviceStatus?.runningTasks == 3)
                #expect(listed.first?.serviceStatus?.desiredTasks == 3)

                try await client.services.modify(id) { spec in
                    spec.taskTemplate?.containerSpec?.image = DockerTestEngine.image2
                    spec.taskTemplate?.containerSpec?.env = ["RELEASE=2"]
                    spec.updateConfig?.parallelism = 1
                    spec.updateConfig?.monitor = .seconds(1)
                }
                let progress = ProgressLog()
                let second = try await client.waitForConvergence(
                    service: id, timeout: .seconds(120), progress: { progress.append($0) })
                #expect(second == .completed)
                #expect(progress.all.contains { $0.phase != .converging && $0.running == 3 && $0.desired == 3 })
                #expect(progress.all.allSatisfy { $0.desired == 3 && $0.running <= 3 })

                let service = try await client.services.inspect(id)
                #expect(service.spec?.taskTemplate?.containerSpec?.image == DockerTestEngine.image2)
                #expect(service.spec?.taskTemplate?.containerSpec?.env == ["RELEASE=2"])
                #expect(service.updateStatus?.state == .completed)
                // The summaries of the same listing are the full models' summaries, update status and counts included.
                let full = try await client.services.list(filters: .name(name))
                let summaries = try await client.services.summaries(filters: .name(name))
                #expect(summaries == full.map(Swarm.ServiceSummary.init))
                #expect(summaries.first?.image == DockerTestEngine.image2)
                #expect(summaries.first?.updateStatus?.state == .completed)
                #expect(summaries.first?.serviceStatus?.runningTasks == 3)
                let running = try await client.tasks.list(
                    filters: Swarm.Filters.service(id).merging(.desiredState(.running)))
                #expect(running.count == 3)
                #expect(running.allSatisfy { $0.spec?.containerSpec?.image == DockerTestEngine.image2 })
                #expect(running.allSatisfy { $0.status?.state == .running })
            }
        }

        @Test("an update whose health check never passes, with failure action rollback, ends as rollback completed")
        func failingUpdateRollsBack() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let name = DockerTestEngine.uniqueName("rollback")
                let id = try await scratch.createService(
                    DockerTestEngine.serviceSpec(
                        name: name, replicas: 2, container: DockerTestEngine.container(), failureAction: .rollback))
                #expect(try await client.waitForConvergence(service: id, timeout: .seconds(90)) == .completed)

                try await client.services.modify(id) { spec in
                    spec.taskTemplate?.containerSpec = DockerTestEngine.container(
                        image: DockerTestEngine.image2, healthy: false, env: ["RELEASE=broken"])
                }
                let progress = ProgressLog()
                let outcome = try await client.waitForConvergence(
                    service: id, timeout: .seconds(150), progress: { progress.append($0) })
                guard case .rollbackCompleted(let message) = outcome else {
                    Issue.record("expected rollback completed, got \(outcome)")
                    return
                }
                #expect(message.contains("rollback"))
                #expect(progress.all.contains { $0.isRollback })
                let service = try await client.services.inspect(id)
                #expect(service.updateStatus?.state == .rollbackCompleted)
                #expect(service.spec?.taskTemplate?.containerSpec?.image == DockerTestEngine.image1)
                #expect(service.spec?.taskTemplate?.containerSpec?.env == nil)
            }
        }

        @Test("a concurrent writer makes the first submit out of sequence; modify re-reads, re-applies and succeeds")
        func concurrentUpdateRetries() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let id = try await scratch.createService(
                    DockerTestEngine.serviceSpec(
                        name: DockerTestEngine.uniqueName("race"), replicas: 0,
                        container: DockerTestEngine.container(healthCheck: false)))
                var attempts = 0
                try await client.services.modify(id) { spec in
                    attempts += 1
                    if attempts == 1 {
                        // Another writer gets in between our read and our write.
                        let current = try await client.services.inspect(id)
                        var theirs = try #require(current.spec)
                        theirs.labels?["writer"] = "other"
                        try await client.services.update(id, version: try #require(current.version), spec: theirs)
                    }
                    spec.labels?["ours"] = "yes"
                }
                #expect(attempts == 2)
                let labels = try await client.services.inspect(id).spec?.labels ?? [:]
                #expect(labels["writer"] == "other")
                #expect(labels["ours"] == "yes")
            }
        }

        @Test("service logs come back demultiplexed into stdout and stderr, with task details and tail")
        func logsAreDemultiplexed() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                let id = try await scratch.createService(
                    DockerTestEngine.serviceSpec(
                        name: DockerTestEngine.uniqueName("logs"), replicas: 2,
                        container: DockerTestEngine.container(healthCheck: false)))
                #expect(try await client.waitForConvergence(service: id, timeout: .seconds(90)) == .completed)

                var entries: [Swarm.LogEntry] = []
                for _ in 0..<25 {
                    entries = []
                    for try await entry in try await client.services.logs(
                        id, options: Swarm.LogOptions(timestamps: true, details: true))
                    {
                        entries.append(entry)
                    }
                    if entries.count >= 4 { break }
                    try await Task.sleep(for: .milliseconds(200))
                }
                let stdout = entries.filter { $0.stream == .stdout }
                let stderr = entries.filter { $0.stream == .stderr }
                #expect(stdout.count == 2 && stdout.allSatisfy { $0.text == "out-line" })
                #expect(stderr.count == 2 && stderr.allSatisfy { $0.text == "err-line" })
                #expect(Set(entries.compactMap(\.taskID)).count == 2)
                #expect(entries.allSatisfy { $0.timestamp.flatMap(Swarm.Timestamp.date(from:)) != nil })

                var stderrOnly: [Swarm.LogEntry] = []
                for try await entry in try await client.services.logs(id, options: Swarm.LogOptions(stdout: false)) {
                    stderrOnly.append(entry)
                }
                #expect(stderrOnly.map(\.stream) == [.stderr, .stderr])
                #expect(stderrOnly.allSatisfy { $0.attributes.isEmpty && $0.timestamp == nil })
            }
        }

        @Test("following logs delivers new output and stops when the caller stops iterating")
        func followLogs() async throws {
            guard let client = try DockerTestEngine.client() else { return }
            try await DockerScratch.with(client) { scratch in
                var container = DockerTestEngine.container(healthCheck: false)
                container.command = ["/bin/sh", "-c", "trap 'exit 0' TERM; i=0; while :; do i=$((i+1)); echo tick-$i; sleep 0.3; done"]
                let id = try await scratch.createService(
                    DockerTestEngine.serviceSpec(name: DockerTestEngine.uniqueName("follow"), replicas: 1, container: container))
                #expect(try await client.waitForConvergence(service: id, timeout: .seconds(90)) == .completed)
                var seen: [String] = []
                for try await entry in try await client.services.logs(id, options: Swarm.LogOptions(follow: true, tail: 0)) {
                    seen.append(entry.text)
                    if seen.count == 3 { break }
                }
                #expect(seen.count == 3)
                #expect(seen.allSatisfy { $0.hasPrefix("tick-") })
            }
        }
    }
}
