import Testing

@testable import HomelabCore

@Suite("JSON-RPC messages and reconnect schedule")
struct JSONRPCMessageTests {
    @Test("a request is encoded with sorted keys, positional params, and no params key when there are none")
    func encodeRequest() throws {
        let text = try JSONRPCMessage.encodeRequest(
            id: .number(7), method: "pool.query", params: .array([.array([]), .object(["get": .bool(true)])]))
        #expect(text == #"{"id":7,"jsonrpc":"2.0","method":"pool.query","params":[[],{"get":true}]}"#)
        #expect(try JSONRPCMessage.encodeRequest(id: nil, method: "core.ping", params: nil) == #"{"jsonrpc":"2.0","method":"core.ping"}"#)
    }

    @Test("results, errors, notifications and server requests are told apart", arguments: [
        (#"{"jsonrpc":"2.0","id":3,"result":"pong"}"#, JSONRPCMessage.result(id: .number(3), .string("pong"))),
        (#"{"jsonrpc":"2.0","id":"a","result":null}"#, JSONRPCMessage.result(id: .string("a"), .null)),
        (
            #"{"jsonrpc":"2.0","id":4,"error":{"code":-32001,"message":"[ENOENT] gone","data":{"errname":"ENOENT","reason":"[ENOENT] gone"}}}"#,
            JSONRPCMessage.error(id: .number(4), JSONRPCError(code: -32001, message: "[ENOENT] gone", errorName: "ENOENT"))
        ),
        (
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#,
            JSONRPCMessage.error(id: nil, JSONRPCError(code: -32700, message: "Parse error"))
        ),
        (
            #"{"jsonrpc":"2.0","method":"collection_update","params":{"msg":"added"}}"#,
            JSONRPCMessage.notification(.init(method: "collection_update", params: .object(["msg": .string("added")])))
        ),
        (#"{"jsonrpc":"2.0","id":9,"method":"ask"}"#, JSONRPCMessage.request(id: .number(9), method: "ask")),
    ])
    func decode(text: String, expected: JSONRPCMessage) throws {
        #expect(try JSONRPCMessage.decode(text) == expected)
    }

    @Test("batches, other versions and answers without result are decoding failures", arguments: [
        #"[{"jsonrpc":"2.0","id":1,"result":1}]"#, #"{"jsonrpc":"1.0","id":1,"result":1}"#, #"{"jsonrpc":"2.0","id":1}"#,
        #"{"jsonrpc":"2.0","result":1}"#, "not json", #"{"jsonrpc":"2.0","id":[1],"result":1}"#,
    ])
    func rejects(text: String) {
        let error = #expect(throws: HomelabError.self) { try JSONRPCMessage.decode(text) }
        #expect(error?.code == .decodingFailed)
    }

    @Test("TrueNAS errnames and JSON-RPC codes map to HomelabError codes", arguments: [
        (JSONRPCError(code: -32001, message: "", errorName: "ENOENT"), HomelabError.Code.notFound),
        (JSONRPCError(code: -32001, message: "", errorName: "EEXIST"), .conflict),
        (JSONRPCError(code: -32001, message: "", errorName: "EACCES"), .unauthorized),
        (JSONRPCError(code: -32602, message: ""), .invalidArgument),
        (JSONRPCError(code: -32601, message: ""), .notFound),
        (JSONRPCError(code: -32000, message: ""), .unavailable),
        (JSONRPCError(code: -32001, message: ""), .commandFailed),
    ])
    func codes(error: JSONRPCError, code: HomelabError.Code) {
        #expect(error.homelabError(method: "x", component: "truenas").code == code)
    }

    @Test("backoff doubles from the initial delay up to the maximum, with jitter, and gives up after the attempts")
    func backoff() {
        var schedule = ReconnectSchedule(
            policy: JSONRPCReconnectPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(5), jitter: 0.2, maximumAttempts: 5))
        #expect(schedule.failed(random: 0.5) == .seconds(1))
        #expect(schedule.failed(random: 0.5) == .seconds(2))
        #expect(schedule.failed(random: 1) == .seconds(4) * 1.2)
        #expect(schedule.failed(random: 0) == .seconds(5) * 0.8)
        #expect(schedule.failed(random: 0.5) == .seconds(5))
        #expect(schedule.failed(random: 0.5) == nil)
        schedule.connected()
        #expect(schedule.failed(random: 0.5) == .seconds(1))
    }

    @Test("the login budget makes the sixth login in 60 s wait until the first leaves the window")
    func loginBudget() {
        var schedule = ReconnectSchedule(policy: JSONRPCReconnectPolicy())
        for second in 0..<5 {
            #expect(schedule.loginDelay(now: .seconds(second)) == .zero)
            schedule.loginStarted(now: .seconds(second))
        }
        #expect(schedule.loginDelay(now: .seconds(10)) == .seconds(50))
        #expect(schedule.loginDelay(now: .seconds(60)) == .zero)
        #expect(JSONRPCReconnectPolicy.never.maximumAttempts == 0)
    }
}
