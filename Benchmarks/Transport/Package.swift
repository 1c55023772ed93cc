// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "TransportBench",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "HomelabSDK", path: "../..")],
    targets: [
        .executableTarget(
            name: "TransportBench",
            dependencies: [.product(name: "HomelabCore", package: "HomelabSDK")],
            path: "Sources/TransportBench",
            swiftSettings: [.swiftLanguageMode(.v6)])
    ]
)
