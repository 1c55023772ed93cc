// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "HomelabSDK",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "HomelabCore", targets: ["HomelabCore"]),
        .library(name: "HomelabCommands", targets: ["HomelabCommands"]),
        .library(name: "HomelabSimulator", targets: ["HomelabSimulator"]),
        .executable(name: "homelab", targets: ["HomelabCLI"]),
        .executable(name: "homelab-repl", targets: ["HomelabREPL"]),
        .executable(name: "homelab-exporter", targets: ["HomelabExporter"]),
        .executable(name: "homelab-sim", targets: ["HomelabSim"]),
        .executable(name: "homelab-demo", targets: ["HomelabDemo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", exact: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", exact: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", exact: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1", exact: "1.7.4"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // libcurl and libssh, opened on first use rather than at exec (CLazyLibrary: together they bring about
        // thirty shared libraries, 13 ms of every process's start-up). Their headers come from libcurl4-openssl-dev
        // and libssh-dev; CCurl's wrappers give typed, non-variadic entry points (curl_easy_setopt is variadic).
        .target(name: "CLazyLibrary", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "CCurl", dependencies: ["CLazyLibrary"]),
        .target(name: "CLibSSH", dependencies: ["CLazyLibrary"]),
        // The JSON tape's string scan, 16 bytes at a time with SSE2 (a portable loop elsewhere).
        .target(name: "CFastJSON"),
        .systemLibrary(
            name: "CLibEdit", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),

        .target(
            name: "HomelabCore",
            dependencies: [
                "CCurl", "CLibSSH", "CFastJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "WSCore", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "HomelabCommands",
            dependencies: [
                // Not HomelabSimulator: `homelab demo` runs homelab-demo, so `homelab` starts without it.
                "HomelabCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "HomelabSimulator",
            dependencies: [
                "HomelabCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            exclude: ["README.md"],
            swiftSettings: swiftSettings),

        .executableTarget(
            name: "HomelabCLI",
            dependencies: ["HomelabCommands"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "HomelabDemo",
            dependencies: ["HomelabCommands", "HomelabCore", "HomelabSimulator"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "HomelabREPL",
            dependencies: [
                "HomelabCommands", "CLibEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "HomelabExporter",
            dependencies: [
                "HomelabCore", "HomelabCommands",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "HomelabSim",
            dependencies: [
                "HomelabSimulator", "HomelabCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        // Shared test fixtures: child processes without Foundation's Process, real-server rules,
        // log capture, loopback HTTP/TLS servers. Not a product.
        .target(name: "CTestSpawn", path: "Tests/Support/CTestSpawn"),
        .target(
            name: "HomelabTestSupport",
            dependencies: ["CTestSpawn", "HomelabCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support/HomelabTestSupport",
            exclude: ["test_http_server.py"],
            swiftSettings: swiftSettings),

        .testTarget(
            name: "HomelabCoreTests",
            dependencies: [
                "HomelabCore", "HomelabTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HomelabCommandsTests",
            dependencies: [
                "HomelabCommands", "HomelabCore", "HomelabSimulator", "HomelabTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Golden"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HomelabSimulatorTests",
            dependencies: [
                "HomelabSimulator", "HomelabCore", "HomelabTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            exclude: ["Support/validate_docker_answers.py", "Support/validate_truenas_answers.py", "Komodo/komodo_peer.py"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HomelabExporterTests",
            dependencies: ["HomelabCore", "HomelabSimulator", "HomelabTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "HomelabREPLTests",
            dependencies: [
                "HomelabREPL", "HomelabCommands", "HomelabCore", "HomelabSimulator", "HomelabTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["HomelabCore", "HomelabSimulator", "HomelabTestSupport", .product(name: "Logging", package: "swift-log")],
            exclude: [
                "SSH/stdio_http_responder.py", "WebSocket/websocket_server.py", "PXE/pxe_dhcp_client.py", "PXE/pxe_http_bridge.py",
            ],
            swiftSettings: swiftSettings),
    ]
)
