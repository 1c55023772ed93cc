import FuzzInput
import HomelabCore

/// caddy-docker-proxy labels -> Caddyfile: each input line `key=value` is one label (a line without `=` is a key
/// with an empty value). Rendered alone through CaddyLabels, and for two services through CaddyDockerProxy.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaddyLabels(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var labels: [String: String] = [:]
    for line in FuzzInput(start, count).text.split(separator: "\n", omittingEmptySubsequences: true) {
        let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        labels[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
    }
    let data = CaddyLabels.TemplateData(serviceName: "fuzz_web", targets: ["10.0.1.5", "10.0.1.6"])
    if let caddyfile = try? CaddyLabels.caddyfile(from: labels, data: data) {
        _ = caddyfile.text
    }
    let services = [
        CaddyDockerProxy.LabelledService(name: "fuzz_web", labels: labels, targets: ["10.0.1.5"]),
        CaddyDockerProxy.LabelledService(name: "fuzz_api", labels: labels, targets: []),
    ]
    _ = CaddyDockerProxy().render(services).text
    return 0
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzCaddyLabels(_:_:).
@_cdecl("fuzz_caddy_labels_main")
public func fuzzCaddyLabelsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzCaddyLabels)
}
