import Foundation

@testable import HomelabCore

/// An in-memory link: what the client sends goes to a scripted server, what the server says arrives as messages.
final class FakeLink: MessageLink {
    let messages: AsyncThrowingStream<String, any Error>
    private let continuation: AsyncThrowingStream<String, any Error>.Continuation
    private let server: FakeJSONRPCServer
    private let closed = Locked(false)

    init(server: FakeJSONRPCServer) {
        (messages, continuation) = AsyncThrowingStream.makeStream(of: String.self, throwing: (any Error).self)
        self.server = server
    }

    func send(_ text: String) async throws {
        guard !closed.withLock({ $0 }) else { throw HomelabError(.connectionFailed, "fake link closed") }
        server.received(text, on: self)
    }

    func close() async {
        closed.withLock { $0 = true }
        continuation.finish()
        server.forget(self)
    }

    /// The server says something.
    func deliver(_ text: String) { continuation.yield(text) }

    /// The connection is lost.
    func drop() {
        closed.withLock { $0 = true }
        continuation.finish(throwing: HomelabError(.connectionFailed, "fake connection dropped"))
        server.forget(self)
    }
}

/// A scripted JSON-RPC server behind ``FakeLink``s. Methods: `echo`, `hold` (answered only by `release`, in reverse
/// order), `login` (answers ``acceptsLogin``; with ``dropOnLogin`` drops the link instead), `subscribe`, `emit`
/// (one `update` and one `other` notification), `drop`, `core.ping` (silent while ``silentPings``).
final class FakeJSONRPCServer: Sendable {
    struct State: Sendable {
        var connects = 0
        var logins: [Duration] = []
        var subscribes = 0
        var held: [(link: FakeLink, id: Int)] = []
        var methods: [String] = []
        var acceptsLogin = true
        var dropOnLogin = false
        var silentPings = false
    }

    let state: Locked<State>
    private let now: @Sendable () -> Duration

    init(acceptsLogin: Bool = true, dropOnLogin: Bool = false, silentPings: Bool = false, now: @escaping @Sendable () -> Duration = { .zero }) {
        state = Locked(State(acceptsLogin: acceptsLogin, dropOnLogin: dropOnLogin, silentPings: silentPings))
        self.now = now
    }

    var connects: Int { state.withLock { $0.connects } }
    var logins: [Duration] { state.withLock { $0.logins } }
    var subscribes: Int { state.withLock { $0.subscribes } }
    var methods: [String] { state.withLock { $0.methods } }

    /// A new link (the client's `connect` closure).
    func connect() -> FakeLink {
        state.withLock { $0.connects += 1 }
        return FakeLink(server: self)
    }

    /// Drops the requests held for a link that closed: the held entry and the link (which holds this server) would
    /// otherwise keep each other alive (LeakSanitizer reported the cycle).
    func forget(_ link: FakeLink) {
        state.withLock { $0.held.removeAll { $0.link === link } }
    }

    func received(_ text: String, on link: FakeLink) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let method = object["method"] as? String
        else { return }
        let id = object["id"]
        let params = object["params"]
        state.withLock { $0.methods.append(method) }
        func answer(_ result: Any) {
            guard let id else { return }
            link.deliver(Self.json(["jsonrpc": "2.0", "id": id, "result": result]))
        }
        switch method {
        case "echo":
            answer(params ?? NSNull())
        case "hold":
            if let id = id as? Int { state.withLock { $0.held.append((link, id)) } }
        case "release":
            let held = state.withLock { state in
                defer { state.held = [] }
                return state.held
            }
            for (heldLink, heldID) in held.reversed() {
                heldLink.deliver(Self.json(["jsonrpc": "2.0", "id": heldID, "result": "answer to \(heldID)"]))
            }
            answer(held.count)
        case "login":
            let (accepts, drops) = state.withLock { state -> (Bool, Bool) in
                state.logins.append(now())
                return (state.acceptsLogin, state.dropOnLogin)
            }
            if drops { link.drop() } else { answer(accepts) }
        case "subscribe":
            state.withLock { $0.subscribes += 1 }
            answer("sub-1")
        case "emit":
            link.deliver(Self.json(["jsonrpc": "2.0", "method": "other", "params": ["n": 0]]))
            link.deliver(Self.json(["jsonrpc": "2.0", "method": "update", "params": ["n": 1]]))
            answer(true)
        case "fail":
            if let id {
                link.deliver(
                    Self.json([
                        "jsonrpc": "2.0", "id": id,
                        "error": ["code": -32602, "message": "bad", "data": ["errname": "EINVAL", "reason": "name is wrong"]],
                    ]))
            }
        case "drop":
            link.drop()
        case "core.ping":
            if !state.withLock({ $0.silentPings }) { answer("pong") }
        default:
            if let id {
                link.deliver(Self.json(["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": "Method not found"]]))
            }
        }
    }

    static func json(_ object: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: object)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
