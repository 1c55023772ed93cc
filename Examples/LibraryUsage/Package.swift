// swift-tools-version:6.1
import PackageDescription

// A small program that uses HomelabCore as a library, the way an outside project would.
// It depends on the SDK by path, so building it proves the public API is usable on its own.
let package = Package(
    name: "LibraryUsage",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "HomelabSDK", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "ListServices",
            dependencies: [.product(name: "HomelabCore", package: "HomelabSDK")],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]),
    ]
)
