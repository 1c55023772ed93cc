// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets, one per parser the SDK owns. Their own package, so the root package's build and CI are untouched.
// Build and run through scripts/fuzz.sh (it passes -sanitize=fuzzer,address and -parse-as-library: libFuzzer
// provides `main`, each target provides `LLVMFuzzerTestOneInput`).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let targets = [
    "fuzz-inventory", "fuzz-compose", "fuzz-docker-models", "fuzz-log-stream", "fuzz-jsonrpc",
    "fuzz-caddy-labels", "fuzz-resource-sync", "fuzz-secrets",
]

let package = Package(
    name: "HomelabFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HomelabSDK", path: ".."),
    ],
    targets: [
        .target(name: "FuzzInput", path: "Sources/FuzzInput", swiftSettings: swiftSettings),
    ] + targets.map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzInput", .product(name: "HomelabCore", package: "HomelabSDK")],
            path: "Sources/\(name)",
            swiftSettings: swiftSettings)
    }
)
