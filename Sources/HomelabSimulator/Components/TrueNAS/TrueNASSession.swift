import Foundation
import HomelabCore
import HummingbirdWebSocket
import Logging
import NIOWebSocket

/// One JSON-RPC 2.0 WebSocket session of the simulated middleware (`/api/current`, `/api/v25.10.2`, ...): one
/// request per text message (batches refused), login before anything else but `core.ping`, `core.set_options` and
/// the `auth.*` calls, 8 KiB messages before login, `core.subscribe`/`core.unsubscribe` with `collection_update`
/// events for `core.get_jobs`, and jobs answered at once with their id (legacy jobs, up to 25.04 or when the client
/// sets `legacy_jobs`) or with their result when they end (new-style jobs, 25.10+).
actor TrueNASSession {
    let world: TrueNASWorld
    /// The version route (`v26.0.0`), resolved from `current`.
    let version: String
    let send: @Sendable (String) -> Void
    let binding: [UInt8]?
    var authenticated = false
    var legacyJobs: Bool
    var scram: TrueNASWorld.SCRAMState?
    var subscriptions: [String: UUID] = [:]

    static let preLoginLimit = 8 * 1024

    init(world: TrueNASWorld, version: String, binding: [UInt8]?, send: @escaping @Sendable (String) -> Void) {
        self.world = world
        self.version = version
        self.binding = binding
        self.send = send
        legacyJobs = version.dropFirst().split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes([25, 10])
    }

    /// The WebSocket route for `path` (`api/current` or `api/vX.Y.Z`); `version` nil means the newest the release lists.
    static func route(world: TrueNASWorld, path: String, version: String?, binding: @escaping @Sendable () -> [UInt8]?) -> WebSocketRoute {
        // The route holds the world weakly: hummingbird-websocket keeps a handler reference per route beyond the
        // server's life (LeakSanitizer's report), and a strong capture kept the whole world and its jobs with it.
        let weakWorld = WeakTrueNASWorld(world)
        return WebSocketRoute(path: path) { inbound, outbound, context in
            guard let world = weakWorld.world else {
                try await outbound.close(.goingAway, reason: "the simulated TrueNAS has stopped")
                return
            }
            let offered = await world.apiVersions
            guard let chosen = version ?? offered.last, offered.contains(chosen) else {
                try await outbound.close(.policyViolation, reason: "API version not available")
                return
            }
            let (queue, sink) = AsyncStream.makeStream(of: String.self)
            let writer = Task {
                for await text in queue { try? await outbound.write(.text(text)) }
            }
            let session = TrueNASSession(world: world, version: chosen, binding: binding()) { sink.yield($0) }
            let drop = context.requestContext.dropConnection
            let closer = await world.addSession { drop() }
            do {
                for try await message in inbound.messages(maxSize: 2 << 20) {
                    guard case .text(let text) = message else { continue }
                    if await !session.authenticated, text.utf8.count > preLoginLimit {
                        try await outbound.close(.messageTooLarge, reason: "Message too large before authentication")
                        break
                    }
                    await session.handle(text)
                }
            } catch {
                context.logger.debug("TrueNAS session ended", metadata: ["error": "\(error)"])
            }
            await session.end()
            await world.removeSession(closer)
            sink.finish()
            await writer.value
        }
    }

    func end() async {
        for key in subscriptions.values { await world.removeJobListener(key) }
        subscriptions = [:]
    }

    func handle(_ text: String) async {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            reply(id: .null, error: TrueNASFault(code: -32700, errname: "EINVAL", errno: 22, message: "Parse error"))
            return
        }
        guard case .object(let fields) = value, fields["jsonrpc"] == .string("2.0"), case .string(let method)? = fields["method"] else {
            reply(id: .null, error: TrueNASFault(code: -32600, errname: "EINVAL", errno: 22, message: "Invalid Request"))
            return
        }
        var params: [JSONValue] = []
        switch fields["params"] {
        case .array(let list)?: params = list
        case nil: break
        default:
            reply(id: fields["id"] ?? .null, error: TrueNASFault(code: -32602, errname: "EINVAL", errno: 22, message: "Invalid params"))
            return
        }
        let id = fields["id"]
        do {
            let answer = try await call(method, params, id: id)
            guard let id else { return }
            switch answer {
            case .value(let result): reply(id: id, result: result)
            case .job(let jobID) where legacyJobs: reply(id: id, result: .integer(Int64(jobID)))
            case .job(let jobID):
                Task {
                    guard let job = await world.finished(jobID) else { return }
                    if job.state == "SUCCESS" {
                        self.reply(id: id, result: job.result)
                    } else {
                        var fault = TrueNASFault.failed(job.error ?? "job failed")
                        fault.traceback = job.exception
                        self.reply(id: id, error: fault)
                    }
                }
            }
        } catch let fault as TrueNASFault {
            if let id { reply(id: id, error: fault) }
        } catch {
            if let id { reply(id: id, error: TrueNASFault(code: -32603, errname: "EFAULT", errno: 14, message: "\(error)")) }
        }
    }

    private func call(_ method: String, _ params: [JSONValue], id: JSONValue?) async throws -> TrueNASAnswer {
        switch method {
        case "core.ping": return .value(.string("pong"))
        case "core.set_options":
            let options = try await world.object(params, 0, "options")
            if case .bool(let legacy)? = options["legacy_jobs"] { legacyJobs = legacy }
            return .value(.object(["legacy_jobs": .bool(legacyJobs), "private_methods": .bool(false), "py_exceptions": .bool(false)]))
        case "auth.mechanism_choices":
            try await world.checkLockout()
            return .value(.array(await world.mechanisms.map { .string($0) }))
        case "auth.login_ex":
            let (answer, ok, exchange) = try await world.loginEx(params, scram: scram, binding: binding)
            scram = exchange
            if ok { authenticated = true }
            return .value(answer)
        case "auth.login_with_api_key":
            let (answer, ok) = try await world.loginWithAPIKey(params)
            if ok { authenticated = true }
            return .value(answer)
        case "auth.logout":
            authenticated = false
            return .value(.bool(true))
        case "auth.me" where authenticated:
            return .value(.object(["pw_name": .string(world.apiUser)]))
        default:
            break
        }
        guard authenticated else { throw TrueNASFault.notAuthenticated }
        switch method {
        case "core.subscribe":
            let name = try await world.string(params, 0, "event")
            guard name == "core.get_jobs" || name == "alert.list" else { throw TrueNASFault.invalid("event", "\(name): not a known event source") }
            let subscription = UUID().uuidString
            if name == "core.get_jobs" {
                let send = self.send
                subscriptions[subscription] = await world.addJobListener { params in
                    send(TrueNASSession.encode(["jsonrpc": .string("2.0"), "method": .string("collection_update"), "params": params]))
                }
            }
            return .value(.string(subscription))
        case "core.unsubscribe":
            let subscription = try await world.string(params, 0, "id")
            if let key = subscriptions.removeValue(forKey: subscription) { await world.removeJobListener(key) }
            return .value(.null)
        default:
            return try await world.perform(method, params, version: version, messageID: id)
        }
    }

    private func reply(id: JSONValue, result: JSONValue) {
        send(Self.encode(["jsonrpc": .string("2.0"), "id": id, "result": result]))
    }

    private func reply(id: JSONValue, error: TrueNASFault) {
        var object = error.rpcError
        if let traceback = error.traceback, case .object(var fields) = object, case .object(var data)? = fields["data"] {
            data["trace"] = .object(["class": .string("CallError"), "formatted": .string(traceback), "frames": .array([])])
            fields["data"] = .object(data)
            object = .object(fields)
        }
        send(Self.encode(["jsonrpc": .string("2.0"), "id": id, "error": object]))
    }

    static func encode(_ fields: [String: JSONValue]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(JSONValue.object(fields))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension TrueNASWorld {
    /// Registers an open session's way of dropping its connection; returns its key.
    func addSession(_ drop: @escaping @Sendable () -> Void) -> UUID {
        let key = UUID()
        sessionDroppers[key] = drop
        return key
    }

    /// Forgets a closed session.
    func removeSession(_ key: UUID) { sessionDroppers[key] = nil }

    /// Drops every open WebSocket without a close frame, as a restarting middleware does. Returns how many.
    @discardableResult
    public func dropConnections() -> Int {
        let droppers = sessionDroppers.values
        sessionDroppers = [:]
        for drop in droppers { drop() }
        return droppers.count
    }
}

/// A weak reference to a world, for route closures that may outlive it.
private final class WeakTrueNASWorld: Sendable {
    weak let world: TrueNASWorld?

    init(_ world: TrueNASWorld) { self.world = world }
}
