import Foundation
import HomelabCore

extension KomodoCore {
    /// One stage of a running update: its label, command, output and simulated duration.
    struct Stage {
        var name: String
        var command: String
        var stdout: String = ""
        var stderr: String = ""
        var success = true
        var seconds: Double = 0.5
    }

    /// Starts an execute: checks its target, records a `Queued` update, and runs it in the background.
    /// - Throws: ``KomodoAPIError`` for a missing target or a type the simulator does not serve.
    func execute(_ type: String, _ params: [String: JSONValue]) throws -> JSONValue {
        switch type {
        case "DeployStack", "DeployStackIfChanged", "RestartStack", "PullStack", "StartStack", "StopStack":
            let index = try stackIndex(params["stack"])
            let stack = stacks[index]
            // Core records DeployStackIfChanged as a DeployStack update (Operation has no other name for it).
            let id = record(
                operation: type == "DeployStackIfChanged" ? "DeployStack" : type, target: ("Stack", stack.id), start: Self.now(), end: nil,
                success: false, logs: [], commit: nil, status: "Queued")
            let plan = stages(for: type, stack: stack)
            run(id, stages: plan.stages, onSuccess: plan.done)
            return updates[updateIndex[id] ?? 0]
        case "RunSync":
            let index = try syncIndex(params["sync"])
            let sync = syncs[index]
            let id = record(
                operation: type, target: ("ResourceSync", sync.id), start: Self.now(), end: nil, success: false, logs: [], commit: nil,
                status: "Queued")
            syncs[index].syncing = true
            var stages = [Stage(name: "Get remote resources", command: "git pull \(Self.repository)", stdout: "at \(sync.pendingHash)")]
            for diff in sync.pending {
                let kind = diff.komodoMember("target")?.komodoMember("type")?.komodoText ?? "?"
                let change = diff.komodoMember("data")?.komodoMember("type")?.komodoText ?? "?"
                let name = diff.komodoMember("data")?.komodoMember("data")?.komodoMember("name")?.komodoText
                    ?? stacks.first { $0.id == diff.komodoMember("target")?.komodoMember("id")?.komodoText }?.name ?? "?"
                stages.append(Stage(name: "\(change) \(kind)", command: "", stdout: "\(change.lowercased())d \(kind) '\(name)'"))
            }
            if stages.count == 1 { stages.append(Stage(name: "Sync", command: "", stdout: "no changes")) }
            let hash = sync.pendingHash
            run(id, stages: stages, commit: hash) { core in await core.applySync(sync.id, succeeded: true) }
            return updates[updateIndex[id] ?? 0]
        default:
            throw unsimulated(type)
        }
    }

    /// The stages of a stack execute and what a success changes.
    private func stages(for type: String, stack: Stack) -> (stages: [Stage], done: @Sendable (KomodoCore) async -> Void) {
        let id = stack.id
        let deploy = "docker stack deploy --with-registry-auth -c \(stack.name)/compose.yaml \(stack.name)"
        switch type {
        case "DeployStackIfChanged" where stack.deployedHash == stack.latestHash:
            return ([Stage(name: "Check", command: "", stdout: "no changes since \(stack.deployedHash): not deploying", seconds: 0.2)], { _ in })
        case "DeployStack", "DeployStackIfChanged":
            var stages = [Stage(name: "Clone Repo", command: "git clone https://\(Self.gitProvider)/\(Self.repository)", stdout: "at \(stack.latestHash)")]
            if !stack.missingFiles.isEmpty {
                stages.append(Stage(
                    name: "Validate Files", command: "", stderr: "Missing compose files: \(stack.missingFiles.joined(separator: ", "))",
                    success: false, seconds: 0.2))
                return (stages, { _ in })
            }
            stages.append(Stage(name: "Deploy", command: deploy, stdout: stack.services.map { "Updating service \(stack.name)_\($0.name)" }.joined(separator: "\n"), seconds: 1))
            return (stages, { core in await core.deployed(id) })
        case "PullStack":
            return (stack.services.map { Stage(name: "Pull \($0.name)", command: "docker pull \($0.image)", stdout: "Status: Image is up to date for \($0.image)", seconds: 0.2) }, { _ in })
        case "StopStack":
            return ([Stage(name: "Stop", command: "docker stack rm \(stack.name)")], { core in await core.setStackState(id, "down") })
        default:
            return ([Stage(name: type == "StartStack" ? "Start" : "Restart", command: deploy)], { core in await core.setStackState(id, "running") })
        }
    }

    /// Runs `stages` on the simulated clock, appending each one's log to update `id`; completes it, failed at the
    /// first failing stage (or at the first stage when ``failNext(_:)`` asked for it).
    private func run(_ id: String, stages: [Stage], commit: String? = nil, onSuccess: @escaping @Sendable (KomodoCore) async -> Void) {
        let operation = updates[updateIndex[id] ?? 0].komodoMember("operation")?.komodoText ?? ""
        let forced = failures.removeValue(forKey: operation)
        let clock = self.clock
        if operation.hasSuffix("Stack"), let stackID = updates[updateIndex[id] ?? 0].komodoMember("target")?.komodoMember("id")?.komodoText,
            let index = stacks.firstIndex(where: { $0.id == stackID }), operation != "PullStack"
        {
            stacks[index].deploying = true
            stacks[index].state = "deploying"
        }
        running.append(Task { [weak self] in
            try? await clock.sleep(for: .milliseconds(200))
            await self?.setStatus(id, "InProgress")
            var success = true
            for var stage in stages {
                let start = Self.now()
                try? await clock.sleep(for: .milliseconds(Int(stage.seconds * 1000)))
                if let forced {
                    stage.success = false
                    stage.stderr = forced
                }
                await self?.appendLog(id, stage, start: start)
                if !stage.success {
                    success = false
                    break
                }
            }
            if success, let self { await onSuccess(self) }
            await self?.finish(id, success: success, commit: success ? commit : nil)
        })
    }

    func setStatus(_ id: String, _ status: String) {
        mutateUpdate(id) { $0["status"] = .string(status) }
    }

    func appendLog(_ id: String, _ stage: Stage, start: Int64) {
        let entry = log(
            stage: stage.name, command: stage.command, stdout: stage.stdout, stderr: stage.stderr, success: stage.success, start: start,
            end: Self.now())
        mutateUpdate(id) { fields in
            if case .array(var logs)? = fields["logs"] {
                logs.append(entry)
                fields["logs"] = .array(logs)
            }
        }
    }

    func mutateUpdate(_ id: String, _ change: (inout [String: JSONValue]) -> Void) {
        guard let index = updateIndex[id], case .object(var fields) = updates[index] else { return }
        change(&fields)
        updates[index] = .object(fields)
    }

    private func finish(_ id: String, success: Bool, commit: String?) {
        var stackCommit: String?
        if let target = updates[updateIndex[id] ?? 0].komodoMember("target")?.komodoMember("id")?.komodoText,
            let index = stacks.firstIndex(where: { $0.id == target })
        {
            stacks[index].deploying = false
            if stacks[index].state == "deploying" { stacks[index].state = "running" }
            let operation = updates[updateIndex[id] ?? 0].komodoMember("operation")?.komodoText ?? ""
            if success, operation.hasPrefix("Deploy") { stackCommit = stacks[index].deployedHash }
            refreshStackStates()
        }
        mutateUpdate(id) { fields in
            fields["status"] = .string("Complete")
            fields["success"] = .bool(success)
            fields["end_ts"] = .integer(Self.now())
            if let hash = commit ?? stackCommit { fields["commit_hash"] = .string(hash) }
        }
        if !success, let target = updates[updateIndex[id] ?? 0].komodoMember("target") {
            for index in syncs.indices where syncs[index].id == target.komodoMember("id")?.komodoText {
                syncs[index].syncing = false
                syncs[index].state = "Failed"
            }
        }
    }

    func deployed(_ id: String) {
        guard let index = stacks.firstIndex(where: { $0.id == id }) else { return }
        stacks[index].deployedHash = stacks[index].latestHash
        stacks[index].state = "running"
    }

    func setStackState(_ id: String, _ state: String) {
        guard let index = stacks.firstIndex(where: { $0.id == id }) else { return }
        stacks[index].state = state
        stacks[index].deploying = false
    }

    /// Applies the sync's pending changes.
    func applySync(_ id: String, succeeded: Bool) {
        guard let index = syncs.firstIndex(where: { $0.id == id }) else { return }
        if let core = stacks.firstIndex(where: { $0.name == "media-core" }),
            syncs[index].pending.contains(where: { $0.komodoMember("target")?.komodoMember("id")?.komodoText == stacks[core].id })
        {
            stacks[core].config["environment"] = .string("TZ=UTC\nPUID=1000\nPGID=1000\n")
        }
        if syncs[index].pending.contains(where: { $0.komodoMember("data")?.komodoMember("data")?.komodoMember("name")?.komodoText == Self.nightlyPull.name }) {
            procedures.append(Procedure(id: nextID(), name: Self.nightlyPull.name, config: Self.nightlyPull.config))
        }
        syncs[index].syncing = false
        syncs[index].state = "Ok"
        syncs[index].lastSyncTs = Self.now()
        syncs[index].lastSyncHash = syncs[index].pendingHash
        syncs[index].pending = []
    }
}
