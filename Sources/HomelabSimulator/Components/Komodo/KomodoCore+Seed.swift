import Foundation
import HomelabCore

extension KomodoCore {
    /// The repository the stacks and the sync come from.
    static let repository = "homelab/stacks"
    /// Its git provider.
    static let gitProvider = "git.home.arpa"

    /// Servers, stacks, the sync and a history of updates from the inventory and the stack repository's history.
    func seedResources(_ homelab: Homelab, history: StacksRepositoryHistory) {
        servers = homelab.nodes.map { Server(id: nextID(), name: $0.name, address: "https://\($0.address):8120", on: true) }
        let imported = history.commits.first.map { Self.short($0.sha) } ?? Self.commit("import")
        for stack in homelab.stacks {
            // Its files are those of its last commit; Komodo has deployed that commit, except for the stack a commit
            // behind and the stack whose deploys fail, which still run the import.
            let latest = history.lastChange(ofStack: stack.name).map { Self.short(history.commits[$0].sha) } ?? imported
            let deployed = stack.name == behindStack || stack.name == failingStack ? imported : latest
            var config: [String: JSONValue] = [
                "swarm_id": .string(swarmID), "server_id": .string(""), "repo": .string(Self.repository), "branch": .string("main"),
                "git_provider": .string(Self.gitProvider), "git_https": .bool(true), "files_on_host": .bool(false),
                "run_directory": .string(StacksPaths.directory),
                "file_paths": .array([.string("\(stack.name)/compose.yaml")]), "environment": .string("TZ=Europe/Paris\n"),
                "auto_pull": .bool(true), "webhook_enabled": .bool(true), "send_alerts": .bool(true), "env_file_path": .string(".env"),
                "compose_cmd_wrapper_include": .array([]),
            ]
            if stack.tier == "application" { config["environment"] = .string("TZ=Europe/Paris\nPUID=1000\nPGID=1000\n") }
            stacks.append(Stack(
                id: nextID(), name: stack.name,
                services: stack.services.map { ($0.name, $0.image ?? "\($0.name):latest", $0.pinnedNode) }, config: config,
                state: "running", deployedHash: deployed, latestHash: latest,
                missingFiles: stack.name == failingStack ? ["\(stack.name)/kometa/config.yml"] : []))
        }
        let syncConfig: [String: JSONValue] = [
            "repo": .string(Self.repository), "branch": .string("main"), "git_provider": .string(Self.gitProvider), "git_https": .bool(true),
            "resource_path": .array([.string("komodo/")]), "managed": .bool(false), "delete": .bool(false),
            "include_resources": .bool(true), "include_variables": .bool(false), "include_user_groups": .bool(false),
            "webhook_enabled": .bool(true), "pending_alert": .bool(true), "files_on_host": .bool(false),
        ]
        let pendingHash = Self.commit("sync@2")
        syncs = [Sync(
            id: nextID(), name: syncName, config: syncConfig, state: "Pending", lastSyncTs: Self.now() - 86_400_000,
            lastSyncHash: history.commits.dropLast().last.map { Self.short($0.sha) } ?? Self.commit("sync@1"), pendingHash: pendingHash, pendingMessage: "media-core: TZ to UTC; nightly image pulls",
            pending: [])]
        syncs[0].pending = pendingDiffs()
        seedHistory(history)
    }

    /// The sync's pending changes: media-core's environment, and a new procedure.
    func pendingDiffs() -> [JSONValue] {
        var diffs: [JSONValue] = []
        let proposedEnvironment = JSONValue.string("TZ=UTC\nPUID=1000\nPGID=1000\n")
        if let core = stacks.first(where: { $0.name == "media-core" }), core.config["environment"] != proposedEnvironment {
            let current = KomodoTOML.stack(core, swarm: swarmName)
            var proposedStack = core
            proposedStack.config["environment"] = proposedEnvironment
            diffs.append(.object([
                "target": .object(["type": .string("Stack"), "id": .string(core.id)]),
                "data": .object([
                    "type": .string("Update"),
                    "data": .object(["current": .string(current), "proposed": .string(KomodoTOML.stack(proposedStack, swarm: swarmName))]),
                ]),
            ]))
        }
        if !procedures.contains(where: { $0.name == "nightly-pull" }) {
            diffs.append(.object([
                "target": .object(["type": .string("Procedure"), "id": .string("")]),
                "data": .object([
                    "type": .string("Create"),
                    "data": .object(["name": .string("nightly-pull"), "proposed": .string(KomodoTOML.procedure(Self.nightlyPull))]),
                ]),
            ]))
        }
        return diffs
    }

    /// The procedure the pending sync creates.
    static let nightlyPull: (name: String, config: [String: JSONValue]) = (
        "nightly-pull",
        [
            "schedule_format": .string("English"), "schedule": .string("Every day at 04:00"), "schedule_enabled": .bool(true),
            "schedule_alert": .bool(false), "failure_alert": .bool(true), "webhook_enabled": .bool(false),
            "stage": .array([.object([
                "name": .string("pull"), "enabled": .bool(true),
                "executions": .array([.object([
                    "enabled": .bool(true),
                    "execution": .object(["type": .string("BatchPullStack"), "params": .object(["pattern": .string("media-*")])]),
                ])]),
            ])]),
        ]
    )

    /// More than 110 past updates (two `ListUpdates` pages), oldest first, following the stack repository's history:
    /// rounds of pulls, restarts and deploys of the import commit between the import and the first stack commit;
    /// then, five minutes after each stack's own commit (once Woodpecker checked it), its deploy with that commit
    /// (the newest of its updates; the sync ran at the last of them), a failed one for the stack whose files are missing and none for the stack behind;
    /// then the last resource sync.
    func seedHistory(_ history: StacksRepositoryHistory) {
        let nowMs = Self.now()
        let importedAt = history.commits.first.map { Int64($0.date.timeIntervalSince1970 * 1000) } ?? nowMs - 30 * 86_400_000
        let imported = history.commits.first.map { Self.short($0.sha) }
        let operations = ["PullStack", "RestartStack", "DeployStack"]
        let rounds = max(1, 110 / max(1, stacks.count))
        // Every round fits in the six days after the import (the stack commits start a week after it).
        let step = min(Int64(3_600_000), 6 * 86_400_000 / Int64(max(1, (rounds + 1) * stacks.count)))
        var time = importedAt
        for round in 0...rounds {
            for (index, stack) in stacks.enumerated() {
                time += step
                let op = round == rounds || round == 0 ? "DeployStack" : operations[(round + index) % operations.count]
                record(
                    operation: op, target: ("Stack", stack.id), start: time, end: time + 42_000, success: true,
                    logs: [log(stage: op == "DeployStack" ? "Deploy" : op, command: "docker stack deploy \(stack.name)", start: time, end: time + 42_000)],
                    commit: op == "DeployStack" ? imported ?? stack.deployedHash : nil)
            }
        }
        var last = time
        for (index, commit) in history.commits.enumerated() where index > 0 {
            guard let stack = stacks.first(where: { history.lastChange(ofStack: $0.name) == index }), stack.name != behindStack else { continue }
            let start = Int64(commit.date.timeIntervalSince1970 * 1000) + 300_000
            let clone = log(stage: "Clone Repo", command: "git clone https://\(Self.gitProvider)/\(Self.repository)", stdout: "at \(stack.latestHash)", start: start, end: start + 3_000)
            if stack.missingFiles.isEmpty {
                record(
                    operation: "DeployStack", target: ("Stack", stack.id), start: start, end: start + 45_000, success: true,
                    logs: [clone, log(stage: "Deploy", command: "docker stack deploy \(stack.name)", start: start + 3_000, end: start + 45_000)],
                    commit: stack.latestHash)
            } else {
                record(
                    operation: "DeployStack", target: ("Stack", stack.id), start: start, end: start + 4_000, success: false,
                    logs: [clone, log(
                        stage: "Validate Files", command: "", stderr: "Missing compose files: \(stack.missingFiles.joined(separator: ", "))",
                        success: false, start: start + 3_000, end: start + 4_000)],
                    commit: nil)
            }
            last = start + 45_000
        }
        time = min(max(time, last) + 600_000, nowMs)
        record(
            operation: "RunSync", target: ("ResourceSync", syncs.first?.id ?? ""), start: time, end: time + 5_000, success: true,
            logs: [log(stage: "Sync", command: "", start: time, end: time + 5_000)], commit: syncs.first?.lastSyncHash)
    }

    func log(stage: String, command: String, stdout: String = "", stderr: String = "", success: Bool = true, start: Int64, end: Int64) -> JSONValue {
        .object([
            "stage": .string(stage), "command": .string(command), "stdout": .string(stdout.isEmpty && success ? "\(stage): done" : stdout),
            "stderr": .string(stderr), "success": .bool(success), "start_ts": .integer(start), "end_ts": .integer(end),
        ])
    }

    /// Appends a completed (or running) update and returns its ID.
    @discardableResult
    func record(
        operation: String, target: (String, String), start: Int64, end: Int64?, success: Bool, logs: [JSONValue], commit: String?,
        status: String = "Complete"
    ) -> String {
        let id = nextID()
        var fields: [String: JSONValue] = [
            "_id": .object(["$oid": .string(id)]), "operation": .string(operation), "start_ts": .integer(start), "success": .bool(success),
            "operator": .string("homelab-sdk"), "target": .object(["type": .string(target.0), "id": .string(target.1)]),
            "logs": .array(logs), "status": .string(status),
        ]
        if let end { fields["end_ts"] = .integer(end) }
        if let commit { fields["commit_hash"] = .string(commit) }
        updateIndex[id] = updates.count
        updates.append(.object(fields))
        return id
    }
}
