import Foundation
import HomelabCore
import Hummingbird

/// The `/api2/json` routes the simulated Proxmox VE serves (the part a homelab uses: version, cluster, nodes,
/// QEMU VMs with power, config, clone, resize and delete, LXC, storage, tasks, the ticket login).
struct ProxmoxRoutes: Sendable {
    let cluster: ProxmoxCluster
    /// The SHA-256 fingerprint of the certificate this listener serves, when it serves TLS.
    let fingerprint: @Sendable () -> String?

    func add(to router: Router<SimulatorRequestContext>) {
        let api = router.group("api2/json")
        api.get("version") { _, _ in ProxmoxJSON.data(cluster.version) }
        api.get("access/domains") { _, _ in
            ProxmoxJSON.data(.array([.object(["realm": .string("pam"), "type": .string("pam")]), .object(["realm": .string("pve"), "type": .string("pve")])]))
        }
        api.post("access/ticket") { request, _ in
            let parameters = try await ProxmoxJSON.parameters(request)
            var username = parameters["username"] ?? ""
            if let realm = parameters["realm"], !username.contains("@") { username += "@" + realm }
            let (ticket, csrf) = try await cluster.login(username: username, password: parameters["password"] ?? "")
            return ProxmoxJSON.data(.object([
                "username": .string(username), "ticket": .string(ticket), "CSRFPreventionToken": .string(csrf),
                "clustername": .string(cluster.name),
            ]))
        }
        api.get("cluster/status") { _, _ in ProxmoxJSON.data(await cluster.clusterStatus()) }
        api.get("cluster/resources") { request, _ in
            ProxmoxJSON.data(await cluster.resources(type: QueryString(request.uri.query)["type"]))
        }
        api.get("cluster/nextid") { _, _ in ProxmoxJSON.data(.string(String(await cluster.nextID()))) }
        api.get("nodes") { _, _ in ProxmoxJSON.data(await cluster.nodeList(fingerprint: fingerprint())) }
        api.get("nodes/:node/status") { _, context in ProxmoxJSON.data(try await cluster.nodeStatus(try Self.node(context))) }
        api.get("nodes/:node/qemu") { _, context in ProxmoxJSON.data(try await cluster.guestList(node: try Self.node(context), kind: .qemu)) }
        api.get("nodes/:node/lxc") { _, context in ProxmoxJSON.data(try await cluster.guestList(node: try Self.node(context), kind: .lxc)) }
        api.get("nodes/:node/lxc/:vmid/status/current") { _, context in
            let guest = try await cluster.guest(try Self.vmid(context), on: try Self.node(context), kind: .lxc)
            var entry = guest.listEntry(now: Date())
            entry["ha"] = .object(["managed": .integer(0)])
            return ProxmoxJSON.data(.object(entry))
        }
        api.get("nodes/:node/lxc/:vmid/config") { _, context in
            ProxmoxJSON.data(try await cluster.guest(try Self.vmid(context), on: try Self.node(context), kind: .lxc).configAnswer)
        }
        api.get("nodes/:node/qemu/:vmid/status/current") { _, context in
            let guest = try await cluster.guest(try Self.vmid(context), on: try Self.node(context), kind: .qemu)
            var entry = guest.listEntry(now: Date())
            entry["ha"] = .object(["managed": .integer(0)])
            entry["agent"] = .integer(1)
            if guest.running {
                entry["running-qemu"] = .string("9.2.0")
                entry["running-machine"] = .string("pc-i440fx-9.2+pve1")
            }
            return ProxmoxJSON.data(.object(entry))
        }
        api.post("nodes/:node/qemu/:vmid/status/:action") { request, context in
            let upid = try await cluster.power(
                try Self.parameter(context, "action"), vmid: try Self.vmid(context), node: try Self.node(context), user: Self.user(request))
            return ProxmoxJSON.data(.string(upid.rawValue))
        }
        api.get("nodes/:node/qemu/:vmid/config") { _, context in
            ProxmoxJSON.data(try await cluster.config(try Self.vmid(context), node: try Self.node(context)))
        }
        api.put("nodes/:node/qemu/:vmid/config") { request, context in
            let parameters = try await ProxmoxJSON.parameters(request)
            try await cluster.updateConfig(try Self.vmid(context), node: try Self.node(context), parameters: parameters)
            return ProxmoxJSON.data(.null)
        }
        api.post("nodes/:node/qemu/:vmid/clone") { request, context in
            let parameters = try await ProxmoxJSON.parameters(request)
            let upid = try await cluster.clone(
                try Self.vmid(context), node: try Self.node(context), parameters: parameters, user: Self.user(request))
            return ProxmoxJSON.data(.string(upid.rawValue))
        }
        api.put("nodes/:node/qemu/:vmid/resize") { request, context in
            let parameters = try await ProxmoxJSON.parameters(request)
            let upid = try await cluster.resize(
                try Self.vmid(context), node: try Self.node(context), parameters: parameters, user: Self.user(request))
            return ProxmoxJSON.data(.string(upid.rawValue))
        }
        api.delete("nodes/:node/qemu/:vmid") { request, context in
            let upid = try await cluster.destroy(try Self.vmid(context), node: try Self.node(context), user: Self.user(request))
            return ProxmoxJSON.data(.string(upid.rawValue))
        }
        api.get("nodes/:node/storage") { _, context in ProxmoxJSON.data(try await cluster.storageList(node: try Self.node(context))) }
        api.get("nodes/:node/storage/:storage/content") { request, context in
            ProxmoxJSON.data(try await cluster.storageContent(
                node: try Self.node(context), storage: try Self.parameter(context, "storage"),
                content: QueryString(request.uri.query)["content"]))
        }
        api.get("nodes/:node/tasks") { request, context in
            let query = QueryString(request.uri.query)
            return ProxmoxJSON.data(try await cluster.taskList(
                node: try Self.node(context), start: Int(query["start"] ?? "") ?? 0, limit: Int(query["limit"] ?? "") ?? 50,
                vmid: query["vmid"]))
        }
        api.get("nodes/:node/tasks/:upid/status") { _, context in
            ProxmoxJSON.data(try await cluster.taskStatus(try Self.parameter(context, "upid")))
        }
        api.get("nodes/:node/tasks/:upid/log") { request, context in
            let query = QueryString(request.uri.query)
            return ProxmoxJSON.data(try await cluster.taskLog(
                try Self.parameter(context, "upid"), start: Int(query["start"] ?? "") ?? 0, limit: Int(query["limit"] ?? "") ?? 50))
        }
    }

    static func parameter(_ context: SimulatorRequestContext, _ name: String) throws -> String {
        guard let value = context.parameters.get(name), !value.isEmpty else {
            throw ProxmoxAPIError.parameters([name: "property is missing and it is not optional"])
        }
        return value.removingPercentEncoding ?? value
    }

    static func node(_ context: SimulatorRequestContext) throws -> String { try parameter(context, "node") }

    static func vmid(_ context: SimulatorRequestContext) throws -> Int {
        let text = try parameter(context, "vmid")
        guard let vmid = Int(text), vmid >= 100 else {
            throw ProxmoxAPIError.parameters(["vmid": "value must have a minimum value of 100"])
        }
        return vmid
    }

    static func user(_ request: Request) -> String { ProxmoxAuthMiddleware.user(of: request) }
}
