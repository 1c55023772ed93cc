import FuzzInput
import HomelabCore

/// The JSON-RPC 2.0 message decoder: one WebSocket text message, as TrueNAS's middleware sends them. The WebSocket
/// framing itself (frames, fragments, masking, ping/pong, close) is swift-websocket's and swift-nio's, not ours.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRPC(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    do {
        switch try JSONRPCMessage.decode(text) {
        case .result(let id, let value): _ = (id.description, value)
        case .error(let id, let error): _ = (id?.description, error.description)
        case .notification(let notification): _ = notification.method
        case .request(let id, let method): _ = (id.description, method)
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzJSONRPC(_:_:).
@_cdecl("fuzz_jsonrpc_main")
public func fuzzJSONRPCMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzJSONRPC)
}
