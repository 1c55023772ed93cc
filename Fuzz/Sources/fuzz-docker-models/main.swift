import Foundation
import FuzzInput
import HomelabCore

/// Docker Engine models as the Swarm client decodes them: the first byte picks service, task, node or event (one
/// object or a list); the rest is the JSON. A decoded value is encoded again, as the client does when it writes a
/// spec back. Differential: the SwarmClient's own decoder (``TapeJSONDecoder``, a parser and hand-written readers of
/// ours) must agree with Foundation's `JSONDecoder` on every input: both fail, or both give equal values; any
/// disagreement stops the run as a crash, with the input kept (except the one intended difference, below).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDockerModels(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let (choice, rest) = FuzzInput(start, count).selector(among: 8)
    let data = Data(rest)
    switch choice {
    case 0: roundTrip(Swarm.Service.self, data)
    case 1: roundTrip(Swarm.Task.self, data)
    case 2: roundTrip(Swarm.Node.self, data)
    case 3: roundTrip(Swarm.SystemEvent.self, data)
    case 4: roundTrip([Swarm.Service].self, data)
    case 5: roundTrip([Swarm.Task].self, data)
    case 6: roundTrip([Swarm.Node].self, data)
    default: roundTrip(Swarm.ServiceSpec.self, data)
    }
    return 0
}

private func roundTrip<Value: Codable & Equatable>(_ type: Value.Type, _ data: Data) {
    let foundation = try? JSONDecoder().decode(type, from: data)
    let tape = try? TapeJSONDecoder().decode(type, from: data)
    switch (foundation, tape) {
    case (nil, nil): return
    case (let expected?, let value?):
        if value != expected { fatalError("the tape decoder and JSONDecoder decode \(Value.self) to different values") }
        _ = try? JSONEncoder().encode(value)
    case (nil, _?): fatalError("the tape decoder accepts as \(Value.self) what JSONDecoder refuses")
    case (_?, nil):
        // The one intended difference: JSONDecoder lets an unescaped control character through in a string, which
        // RFC 8259 (section 7) forbids and the tape decoder refuses.
        if data.contains(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) { return }
        fatalError("the tape decoder refuses as \(Value.self) what JSONDecoder accepts")
    }
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzDockerModels(_:_:).
@_cdecl("fuzz_docker_models_main")
public func fuzzDockerModelsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDockerModels)
}
