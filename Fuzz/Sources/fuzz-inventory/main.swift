import FuzzInput
import HomelabCore

/// The inventory loader (Yams + our decoder and checks): any text gives a Homelab or issues, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInventory(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    let issues = InventoryLoader.issues(in: text, file: "fuzz.yaml")
    if issues.isEmpty, let homelab = try? InventoryLoader.load(yaml: text, file: "fuzz.yaml") {
        _ = homelab.nodes.count
    }
    for issue in issues { _ = issue.description }
    return 0
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzInventory(_:_:).
@_cdecl("fuzz_inventory_main")
public func fuzzInventoryMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzInventory)
}
