import Foundation
import HomelabCore

/// An error answer of the simulated Core: a status and `{"error": ..., "trace": [...]}`.
struct KomodoAPIError: Error, Sendable {
    let status: Int
    let error: String
    var trace: [String] = []

    /// 400, as serde words a request it cannot read.
    static func badRequest(_ message: String) -> KomodoAPIError { KomodoAPIError(status: 400, error: message) }
    /// 500 "Did not find any Stack matching x", as Core answers a missing resource.
    static func notFound(_ kind: String, _ idOrName: String) -> KomodoAPIError {
        KomodoAPIError(status: 500, error: "Did not find any \(kind) matching \(idOrName)", trace: ["Failed to get \(kind.lowercased())"])
    }
}

extension KomodoCore {
    /// Answers one request of `family` (`read`, `write`, `execute`).
    /// - Throws: ``KomodoAPIError``.
    func handle(_ family: String, type: String, params: [String: JSONValue]) async throws -> JSONValue {
        switch family {
        case "read": return try read(type, params)
        case "write":
            guard type == "RefreshResourceSyncPending" else { throw unsimulated(type) }
            let index = try syncIndex(params["sync"])
            syncs[index].pending = pendingDiffs()
            if syncs[index].pending.isEmpty, syncs[index].state == "Pending" { syncs[index].state = "Ok" }
            return syncResource(syncs[index])
        case "execute": return try execute(type, params)
        default: throw KomodoAPIError.badRequest("unknown route /\(family)")
        }
    }

    func unsimulated(_ type: String) -> KomodoAPIError {
        KomodoAPIError(status: 400, error: "request type \(type) is not simulated", trace: ["the simulated Komodo serves the homelab's subset of the API"])
    }

    private func read(_ type: String, _ params: [String: JSONValue]) throws -> JSONValue {
        switch type {
        case "GetVersion": return .object(["version": .string(version)])
        case "GetCoreInfo":
            return .object([
                "title": .string("Homelab"), "monitoring_interval": .string("15-sec"), "webhook_base_url": .string(""),
                "transparent_mode": .bool(false), "ui_write_disabled": .bool(false), "disable_confirm_dialog": .bool(false),
                "disable_non_admin_create": .bool(false), "disable_websocket_reconnect": .bool(false), "enable_fancy_toml": .bool(false),
                "timezone": .string("Europe/Paris"), "public_key": .string(""), "default_pagination_limit": .integer(Int64(defaultPaginationLimit)),
            ])
        case "ListServers": return try page(servers.map { serverItem($0) }, params)
        case "GetServer": return serverResource(servers[try serverIndex(params["server"])])
        case "GetServerState": return .object(["status": .string(servers[try serverIndex(params["server"])].on ? "Ok" : "NotOk")])
        case "ListSwarms":
            return try page([listItem(swarmID, "Swarm", swarmName, info: [
                "state": .string(servers.contains { $0.on } ? "Healthy" : "Unknown"), "server_ids": .array(servers.map { .string($0.id) }),
            ])], params)
        case "ListStacks": return try page(stacks.map { stackItem($0) }, params)
        case "GetStack": return stackResource(stacks[try stackIndex(params["stack"])])
        case "ListStackServices":
            let stack = stacks[try stackIndex(params["stack"])]
            return .array(stack.services.map { service in
                .object([
                    "stack_id": .string(stack.id), "stack_name": .string(stack.name), "service": .string(service.name),
                    "image": .string(service.image), "state": .string(stack.state == "running" ? "Healthy" : stack.state == "down" ? "Down" : "Unhealthy"),
                ])
            })
        case "ListDeployments": return try page(deployments.map { deploymentItem($0) }, params)
        case "ListResourceSyncs": return try page(syncs.map { syncItem($0) }, params)
        case "GetResourceSync": return syncResource(syncs[try syncIndex(params["sync"])])
        case "ListProcedures":
            return try page(procedures.map { listItem($0.id, "Procedure", $0.name, info: ["stages": .integer(1), "state": .string("Ok")]) }, params)
        case "GetProcedure":
            let key = params["procedure"]?.komodoText ?? ""
            guard let procedure = procedures.first(where: { $0.id == key || $0.name == key }) else { throw KomodoAPIError.notFound("Procedure", key) }
            return resource(procedure.id, procedure.name, config: procedure.config, info: [:])
        case "ListUpdates": return listUpdates(params)
        case "GetUpdate":
            let id = params["id"]?.komodoText ?? ""
            guard let index = updateIndex[id] else { throw KomodoAPIError.notFound("Update", id) }
            return updates[index]
        case "ListAlerts":
            var matching = Array(alerts.reversed())
            if case .object(let query)? = params["query"], let resolved = query["resolved"] {
                matching = matching.filter { $0.komodoMember("resolved") == resolved }
            }
            let (slice, next) = hundred(matching, params)
            return .object(["alerts": .array(slice), "next_page": next])
        case "ExportAllResourcesToToml":
            var parts = servers.map { KomodoTOML.server(name: $0.name, address: $0.address) }
            parts += stacks.map { KomodoTOML.stack($0, swarm: swarmName) }
            parts += procedures.map { KomodoTOML.procedure(($0.name, $0.config)) }
            parts += syncs.map { KomodoTOML.sync(name: $0.name, config: $0.config) }
            return .object(["toml": .string(parts.joined(separator: "\n"))])
        default: throw unsimulated(type)
        }
    }

    /// `ListUpdates`: newest first, 100 a page, filtered by `target.type`, `target.id` and `operation`.
    private func listUpdates(_ params: [String: JSONValue]) -> JSONValue {
        var matching = Array(updates.reversed())
        if case .object(let query)? = params["query"] {
            for (key, wanted) in query {
                switch key {
                case "target.type": matching = matching.filter { $0.komodoMember("target")?.komodoMember("type") == wanted }
                case "target.id": matching = matching.filter { $0.komodoMember("target")?.komodoMember("id") == wanted }
                case "operation": matching = matching.filter { $0.komodoMember("operation") == wanted }
                default: break
                }
            }
        }
        let (slice, next) = hundred(matching, params)
        let items: [JSONValue] = slice.map { update in
            .object([
                "id": .string(update.komodoMember("_id")?.komodoMember("$oid")?.komodoText ?? ""), "operation": update.komodoMember("operation") ?? .null,
                "start_ts": update.komodoMember("start_ts") ?? .integer(0), "success": update.komodoMember("success") ?? .bool(false),
                "username": .string("homelab-sdk"), "operator": update.komodoMember("operator") ?? .string(""),
                "target": update.komodoMember("target") ?? .null, "status": update.komodoMember("status") ?? .string("Complete"),
            ])
        }
        return .object(["updates": .array(items), "next_page": next])
    }

    /// One 100-item page of `items` for `params["page"]`, and the next page's number (or `null`).
    private func hundred(_ items: [JSONValue], _ params: [String: JSONValue]) -> ([JSONValue], JSONValue) {
        let number = max(0, Int(params["page"]?.komodoInteger ?? 0))
        let start = min(items.count, number * 100)
        let end = min(items.count, start + 100)
        return (Array(items[start..<end]), end < items.count ? .integer(Int64(number + 1)) : .null)
    }

    /// A `List*` page: by name, `limit` (default ``defaultPaginationLimit``, 0: all) items from `page * limit`.
    /// - Throws: 400 for a negative or non-integer `page` or `limit`.
    func page(_ items: [JSONValue], _ params: [String: JSONValue]) throws -> JSONValue {
        func number(_ key: String) throws -> Int? {
            guard let value = params[key], value != .null else { return nil }
            guard let number = value.komodoInteger, number >= 0 else {
                throw KomodoAPIError.badRequest("Failed to deserialize the JSON body into the target type: \(key): invalid value, expected u64")
            }
            return Int(number)
        }
        let sorted = items.sorted { ($0.komodoMember("name")?.komodoText ?? "") < ($1.komodoMember("name")?.komodoText ?? "") }
        let limit = try number("limit") ?? defaultPaginationLimit
        guard limit > 0 else { return .array(sorted) }
        let start = min(sorted.count, (try number("page") ?? 0) * limit)
        return .array(Array(sorted[start..<min(sorted.count, start + limit)]))
    }

    // MARK: Resolving IDs and names

    func serverIndex(_ value: JSONValue?) throws -> Int {
        let key = value?.komodoText ?? ""
        guard let index = servers.firstIndex(where: { $0.id == key || $0.name == key }) else { throw KomodoAPIError.notFound("Server", key) }
        return index
    }

    func stackIndex(_ value: JSONValue?) throws -> Int {
        let key = value?.komodoText ?? ""
        guard !key.isEmpty else { throw KomodoAPIError(status: 500, error: "Cannot find Stack with empty name / id") }
        guard let index = stacks.firstIndex(where: { $0.id == key || $0.name == key }) else { throw KomodoAPIError.notFound("Stack", key) }
        return index
    }

    func syncIndex(_ value: JSONValue?) throws -> Int {
        let key = value?.komodoText ?? ""
        guard let index = syncs.firstIndex(where: { $0.id == key || $0.name == key }) else { throw KomodoAPIError.notFound("ResourceSync", key) }
        return index
    }
}

extension JSONValue {
    /// The field `key` of an object.
    func komodoMember(_ key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    /// The text of a string.
    var komodoText: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// An integer (or an integral number).
    var komodoInteger: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value) where value.rounded() == value: return Int64(value)
        default: return nil
        }
    }
}
