import FuzzInput
import HomelabCore

/// Credential references (`env:`, `file:`, `op://vault/item/field`) and `op inject` templates (`{{ op://... }}`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSecrets(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let text = FuzzInput(start, count).text
    switch CredentialReference.parse(text) {
    case .success(let reference): _ = (reference.description, reference.kind, reference.schemeOnly)
    case .failure(let problem): _ = problem.message
    }
    if let template = try? SecretTemplate(parsing: text) {
        for reference in template.references { _ = reference.description }
    }
    return 0
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzSecrets(_:_:).
@_cdecl("fuzz_secrets_main")
public func fuzzSecretsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzSecrets)
}
