// swift-tools-version: 6.1
import PackageDescription

/// Settings every wfa target builds with: Swift 6 strict concurrency plus the upcoming features
/// STYLE.md names, so re-exports and existentials are always spelled out.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "wfa",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wfa", targets: ["wfa"]),
        .library(name: "WFACore", targets: ["WFACore"]),
        .library(name: "WFAStorage", targets: ["WFAStorage"]),
        .library(name: "WFAPostgres", targets: ["WFAPostgres"]),
        .library(name: "WFAHTTP", targets: ["WFAHTTP"]),
        .library(name: "WFAParsing", targets: ["WFAParsing"]),
        .library(name: "WFAIngestion", targets: ["WFAIngestion"]),
        .library(name: "WFAMessaging", targets: ["WFAMessaging"]),
        .library(name: "WFAGraph", targets: ["WFAGraph"]),
        .library(name: "WFADetection", targets: ["WFADetection"]),
        .library(name: "WFAIncidents", targets: ["WFAIncidents"]),
        .library(name: "WFAClient", targets: ["WFAClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/apple/swift-openapi-urlsession", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "WFACore", swiftSettings: strictSettings),
        .target(name: "WFAStorage", dependencies: ["WFACore"], swiftSettings: strictSettings),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "WFAPostgres",
            dependencies: [
                "WFAStorage",
                "CLibPQ",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "WFAParsing", dependencies: ["WFACore"], swiftSettings: strictSettings),
        .target(
            name: "WFADetection",
            dependencies: ["WFACore", "WFAParsing", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings
        ),
        .systemLibrary(
            name: "CNats",
            pkgConfig: "libnats",
            providers: [.apt(["libnats-dev"])]
        ),
        .target(
            name: "WFAMessaging",
            dependencies: [
                "WFACore",
                "CNats",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WFAIngestion",
            dependencies: [
                "WFACore",
                "WFAParsing",
                "WFADetection",
                "WFAStorage",
                "WFAMessaging",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WFAGraph",
            dependencies: [
                "WFACore",
                "WFAStorage",
                "WFAMessaging",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WFAIncidents",
            dependencies: [
                "WFACore",
                "WFADetection",
                "WFAStorage",
                "WFAMessaging",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WFANotifications",
            dependencies: [
                "WFACore",
                "WFAStorage",
                "WFAMessaging",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WFADispatcher",
            dependencies: [
                "WFACore",
                "WFAStorage",
                "WFAMessaging",
                "WFAHTTP",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WFAHTTP",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "PermissionTableGenerator", swiftSettings: strictSettings),
        .plugin(
            name: "PermissionTablePlugin",
            capability: .buildTool(),
            dependencies: ["PermissionTableGenerator"]
        ),
        .target(
            name: "WFAAPI",
            dependencies: [
                "WFACore",
                "WFAStorage",
                "WFAIngestion",
                "WFAParsing",
                "WFAGraph",
                "WFAMessaging",
                "WFAHTTP",
                "WFADetection",
                "WFANotifications",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings,
            plugins: [
                .plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator"),
                .plugin(name: "PermissionTablePlugin"),
            ]
        ),
        .target(
            name: "WFAClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIURLSession", package: "swift-openapi-urlsession"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        .executableTarget(
            name: "wfa",
            dependencies: [
                "WFACore",
                "WFAStorage",
                "WFAPostgres",
                "WFAHTTP",
                "WFAAPI",
                "WFAClient",
                "WFAParsing",
                "WFAIngestion",
                "WFAMessaging",
                "WFAGraph",
                "WFAIncidents",
                "WFANotifications",
                "WFADispatcher",
                "WFADetection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "WFATestSupport",
            dependencies: [
                "WFAHTTP", "WFAMessaging",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFAAPITests",
            dependencies: [
                "WFAAPI", "WFAHTTP", "WFAStorage", "WFACore", "WFATestSupport", "WFAClient", "WFAGraph",
                "WFAParsing", "WFAMessaging", "WFANotifications",
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFAHTTPTests",
            dependencies: [
                "WFAHTTP",
                "WFATestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "WFACoreTests", dependencies: ["WFACore"], swiftSettings: strictSettings),
        .testTarget(
            name: "WFAParsingTests", dependencies: ["WFAParsing", "WFACore"], resources: [],
            swiftSettings: strictSettings),
        .testTarget(
            name: "WFAIngestionTests",
            dependencies: [
                "WFAIngestion", "WFAParsing", "WFAStorage", "WFACore", "WFATestSupport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFAMessagingTests",
            dependencies: ["WFAMessaging", "WFACore", "WFATestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFAGraphTests",
            dependencies: [
                "WFAGraph", "WFAMessaging", "WFAStorage", "WFACore", "WFAParsing", "WFATestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "WFAStorageTests", dependencies: ["WFAStorage"], swiftSettings: strictSettings),
        .testTarget(
            name: "WFADispatcherTests",
            dependencies: [
                "WFADispatcher", "WFACore", "WFAMessaging", "WFAHTTP", "WFATestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFANotificationsTests",
            dependencies: [
                "WFANotifications", "WFACore", "WFAStorage", "WFAMessaging", "WFAHTTP", "WFATestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFAIncidentsTests",
            dependencies: [
                "WFAIncidents", "WFADetection", "WFACore", "WFAParsing", "WFAStorage", "WFAMessaging",
                "WFATestSupport", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFADetectionTests",
            dependencies: ["WFADetection", "WFACore", "WFAParsing"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WFAPostgresTests",
            dependencies: [
                "WFAPostgres", "WFAStorage", "WFAGraph", "WFAMessaging", "WFAParsing", "WFATestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
