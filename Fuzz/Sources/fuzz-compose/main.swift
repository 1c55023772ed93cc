import FuzzInput
import HomelabCore

/// The compose decoder and the compose -> ServiceSpec converter: any text gives a stack or an error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCompose(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    let environment = ["TAG": "1.0", "DOMAIN": "example.test", "EMPTY": ""]
    guard let file = try? ComposeLoader.load(
        yaml: text, file: "compose.yaml", environment: environment, workingDirectory: "/srv/stacks/fuzz")
    else { return 0 }
    if let stack = try? ComposeConverter.convert(file, stack: "fuzz") {
        _ = stack.services.count
    }
    return 0
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzCompose(_:_:).
@_cdecl("fuzz_compose_main")
public func fuzzComposeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCompose)
}
