import FuzzInput
import HomelabCore

/// Komodo ResourceSync TOML: TOMLKit's parser, then our schema validator; any text gives resources and issues.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResourceSync(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let file = KomodoResourceFile.parse(FuzzInput(start, count).text, file: "fuzz.toml")
    for issue in file.issues { _ = issue.description }
    _ = file.resources.count
    return 0
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzResourceSync(_:_:).
@_cdecl("fuzz_resource_sync_main")
public func fuzzResourceSyncMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzResourceSync)
}
