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
