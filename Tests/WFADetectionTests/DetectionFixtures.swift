import Foundation
import WFACore
import WFAParsing

/// The project's test data (fixtures/), and artifacts parsed from it the way ingestion does.
enum DetectionFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures")

    static func url(_ path: String) -> URL { Self.root.appendingPathComponent(path) }

    static func text(_ path: String) throws -> String { try String(contentsOf: Self.url(path), encoding: .utf8) }

    /// Every message in `bytes`, parsed as `wfa parse` would.
    static func artifacts(_ bytes: [UInt8], org: Org.ID = "default") -> [Artifact] {
        let parser = LogParser()
        var context = ParsingContext(orgID: org, source: "test", receivedAt: Date(timeIntervalSince1970: 1_795_219_200))
        return MessageSplitter.messages(in: bytes).map { parser.parse(Array($0), context: &context) }
            .filter { !$0.isDirective }.map(\.artifact)
    }

    static func artifact(_ line: String) -> Artifact {
        Self.artifacts(Array(line.utf8))[0]
    }

    /// Files under `folder` whose names end in `suffix`, sorted.
    static func files(under folder: String, endingWith suffix: String) -> [URL] {
        let base = Self.url(folder)
        let enumerator = FileManager.default.enumerator(atPath: base.path)
        var found: [URL] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(suffix) { found.append(base.appendingPathComponent(path)) }
        }
        return found.sorted { $0.path < $1.path }
    }
}
