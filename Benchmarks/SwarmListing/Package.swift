// swift-tools-version:6.1
import PackageDescription

// The swarm listing benchmark: HomelabCore's `services.list(status: true)` against a real dockerd.
// Its own package (depending on the SDK by path) so the root package stays free of benchmark code.
// Run everything (ours, `docker service ls`, the Python docker SDK) with ./compare.sh.
let package = Package(
    name: "SwarmListing",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "swarm-list-bench", targets: ["SwarmListBench"]),
    ],
    dependencies: [
        .package(name: "HomelabSDK", path: "../.."),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "SwarmListBench",
            dependencies: [
                .product(name: "HomelabCore", package: "HomelabSDK"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]),
    ]
)
