import Foundation
import HomelabCore

/// The simulated Core's answer shapes (`ResourceListItem<Info>`, `Resource<Config, Info>`), with every field the
/// TypeScript client declares as required (client/core/ts/src/types.ts, v2.3.2).
extension KomodoCore {
    func listItem(_ id: String, _ type: String, _ name: String, info: [String: JSONValue]) -> JSONValue {
        .object([
            "id": .string(id), "type": .string(type), "name": .string(name), "template": .bool(false), "tags": .array([]),
            "info": .object(info),
        ])
    }

    func resource(_ id: String, _ name: String, config: [String: JSONValue], info: [String: JSONValue]) -> JSONValue {
        .object([
            "_id": .object(["$oid": .string(id)]), "name": .string(name), "description": .string(""), "template": .bool(false),
            "tags": .array([]), "config": .object(config), "info": .object(info), "base_permission": .object(["level": .string("None"), "specific": .array([])]),
            "updated_at": .integer(Self.now() - 3_600_000),
        ])
    }

    var repoLink: String { "https://\(Self.gitProvider)/\(Self.repository)" }

    func serverItem(_ server: Server) -> JSONValue {
        var info: [String: JSONValue] = [
            "state": .string(server.on ? "Ok" : "NotOk"), "region": .string("home"), "address": .string(server.address),
            "version": .string(server.on ? version : ""), "send_unreachable_alerts": .bool(true), "send_cpu_alerts": .bool(true),
            "send_mem_alerts": .bool(true), "send_disk_alerts": .bool(true), "send_version_mismatch_alerts": .bool(true),
            "terminals_disabled": .bool(false), "container_terminals_disabled": .bool(false),
            "alerting_thresholds": .object([
                "cpu_warning": .number(90), "cpu_critical": .number(99), "mem_warning": .number(75), "mem_critical": .number(95),
                "disk_warning": .number(75), "disk_critical": .number(95),
            ]),
        ]
        if !server.on {
            info["err"] = .object([
                "error": .string("Failed to reach Periphery at \(server.address)"),
                "trace": .array([.string("error sending request"), .string("connection refused")]),
            ])
        }
        return listItem(server.id, "Server", server.name, info: info)
    }

    func serverResource(_ server: Server) -> JSONValue {
        resource(server.id, server.name, config: [
            "address": .string(server.address), "region": .string("home"), "enabled": .bool(true), "insecure_tls": .bool(false),
            "auto_rotate_keys": .bool(true), "auto_prune": .bool(true), "stats_monitoring": .bool(true),
            "send_unreachable_alerts": .bool(true), "send_cpu_alerts": .bool(true), "send_mem_alerts": .bool(true),
            "send_disk_alerts": .bool(true), "send_version_mismatch_alerts": .bool(true), "cpu_warning": .number(90),
            "cpu_critical": .number(99), "mem_warning": .number(75), "mem_critical": .number(95), "disk_warning": .number(75),
            "disk_critical": .number(95),
        ], info: [:])
    }

    func stackInfo(_ stack: Stack) -> [String: JSONValue] {
        var info: [String: JSONValue] = [
            "swarm_id": .string(swarmID), "swarm_name": .string(swarmName), "server_id": .string(""), "files_on_host": .bool(false),
            "file_contents": .bool(false), "linked_repo": .string(""), "git_provider": .string(Self.gitProvider),
            "repo": .string(Self.repository), "branch": .string("main"), "repo_link": .string(repoLink), "state": .string(stack.state),
            "status": .string("\(stack.services.count) services"), "auto_update_all_services": .bool(false),
            "project_missing": .bool(false), "missing_files": .array(stack.missingFiles.map(JSONValue.string)),
            "deployed_hash": .string(stack.deployedHash), "latest_hash": .string(stack.latestHash),
            "services": .array(stack.services.map {
                .object(["service": .string($0.name), "image": .string($0.image), "update_available": .bool(false)])
            }),
        ]
        if stack.state == "down" { info["status"] = .null }
        return info
    }

    func stackItem(_ stack: Stack) -> JSONValue { listItem(stack.id, "Stack", stack.name, info: stackInfo(stack)) }

    func stackResource(_ stack: Stack) -> JSONValue {
        var info = stackInfo(stack)
        info["deployed_project_name"] = .string(stack.name)
        info["latest_message"] = .string("\(stack.name): update")
        return resource(stack.id, stack.name, config: stack.config, info: info)
    }

    func deploymentItem(_ deployment: (id: String, name: String, image: String, server: String)) -> JSONValue {
        listItem(deployment.id, "Deployment", deployment.name, info: [
            "state": .string("exited"), "status": .string("Exited (0) 2 hours ago"), "custom_name": .string(""),
            "image": .string(deployment.image), "update_available": .bool(false), "swarm_id": .string(""),
            "server_id": .string(deployment.server),
            "server_name": .string(servers.first { $0.id == deployment.server }?.name ?? ""),
        ])
    }

    func syncItem(_ sync: Sync) -> JSONValue {
        listItem(sync.id, "ResourceSync", sync.name, info: [
            "last_sync_ts": .integer(sync.lastSyncTs), "files_on_host": .bool(false), "file_contents": .bool(false),
            "managed": .bool(false), "resource_path": sync.config["resource_path"] ?? .array([]), "linked_repo": .string(""),
            "git_provider": .string(Self.gitProvider), "repo": .string(Self.repository), "branch": .string("main"),
            "repo_link": .string(repoLink), "last_sync_hash": .string(sync.lastSyncHash), "last_sync_message": .string("stacks: initial"),
            "state": .string(sync.syncing ? "Syncing" : sync.state),
        ])
    }

    func syncResource(_ sync: Sync) -> JSONValue {
        resource(sync.id, sync.name, config: sync.config, info: [
            "last_sync_ts": .integer(sync.lastSyncTs), "last_sync_hash": .string(sync.lastSyncHash),
            "last_sync_message": .string("stacks: initial"), "resource_updates": .array(sync.pending), "variable_updates": .array([]),
            "user_group_updates": .array([]), "pending_deploys": .array([]), "pending_hash": .string(sync.pendingHash),
            "pending_message": .string(sync.pendingMessage), "remote_contents": .array([]), "remote_errors": .array([]),
        ])
    }
}
