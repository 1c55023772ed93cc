import Foundation
import FuzzInput
import HomelabCore

/// Docker Engine models as the Swarm client decodes them: the first byte picks service, task, node or event (one
/// object or a list); the rest is the JSON. A decoded value is encoded again, as the client does when it writes a
/// spec back.
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

private func roundTrip<Value: Codable>(_ type: Value.Type, _ data: Data) {
    guard let value = try? JSONDecoder().decode(type, from: data) else { return }
    _ = try? JSONEncoder().encode(value)
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzDockerModels(_:_:).
@_cdecl("fuzz_docker_models_main")
public func fuzzDockerModelsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDockerModels)
}
