// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// SwiftPM names a path dependency after its folder, which is whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

/// libFuzzer targets for wfa's parsers, one per parser family. Built and run by scripts/fuzz.sh
/// with `--sanitize=fuzzer --sanitize=address`: libFuzzer supplies `main`, each target only
/// defines `LLVMFuzzerTestOneInput`.
let package = Package(
    name: "wfa-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "WFAParsing", package: root)]),
        .executableTarget(name: "FuzzSyslog", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzCEFLEEF", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzWindowsXML", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzFile", dependencies: ["FuzzSupport"]),
    ]
)
