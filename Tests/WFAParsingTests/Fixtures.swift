import Foundation
import WFACore
import WFAParsing

/// Where test inputs live: the project's fixtures, and the shared corpus when this machine has it.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func url(_ path: String) -> URL { Self.root.appendingPathComponent("fixtures").appendingPathComponent(path) }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: Self.url(path))) }

    /// ../shared/corpus next to the checkout, or WFA_CORPUS_DIR.
    static let corpus: URL? = {
        let candidates = [
            ProcessInfo.processInfo.environment["WFA_CORPUS_DIR"].map { URL(fileURLWithPath: $0) },
            Self.root.deletingLastPathComponent().appendingPathComponent("shared/corpus"),
            URL(fileURLWithPath: "/work/shared/corpus"),
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    static let reference = Date(timeIntervalSince1970: 1_795_219_200)  // 2026-11-21T00:00:00Z

    /// Parses every message of a file the way `wfa parse` does.
    static func parse(_ bytes: [UInt8], source: String = "fixture") -> [ParseResult] {
        let parser = LogParser()
        var context = ParsingContext(orgID: "default", source: source, receivedAt: Self.reference)
        return MessageSplitter.messages(in: bytes).map { parser.parse(Array($0), context: &context) }
            .filter { !$0.isDirective }
    }

    static func parseLine(_ line: String) -> Artifact {
        var context = ParsingContext(orgID: "default", source: "test", receivedAt: Self.reference)
        return LogParser().parse(Array(line.utf8), context: &context).artifact
    }
}
