// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so the root package stays free of benchmark-only code.
// Run from the repository root: swift run -c release --package-path Benchmarks rollout-bench
let package = Package(
    name: "HomelabBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HomelabSDK", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "rollout-bench",
            dependencies: [.product(name: "HomelabCore", package: "HomelabSDK")],
            path: "Sources/rollout-bench",
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]),
    ]
)
