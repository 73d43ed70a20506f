import Foundation
import WFACore
import WFAIngestion
import WFAParsing

/// The demo data `wfa serve --demo` loads: the real log files in fixtures/demo, one artifact per line.
///
/// Lines are parsed as any received log would be and sent down the pipeline in the `demo` org, replayed as of
/// today (one second apart from midnight, so retention keeps them; the logged time stays in
/// `fields.logged_at`). Ids are derived from the file, line and day, so loading twice in a day
/// stores each line once.
struct DemoCorpus {
    let directory: URL

    struct LoadReport {
        var files: [(name: String, lines: Int)] = []
        var total: Int { self.files.reduce(0) { $0 + $1.lines } }
    }

    static let org = Org.ID("demo")

    func load(into sink: any ArtifactSink, now: Date = Date()) async throws -> LoadReport {
        var report = LoadReport()
        let names = try FileManager.default.contentsOfDirectory(atPath: self.directory.path)
            .filter { $0.hasSuffix(".log") }.sorted()
        let day = String(TimestampFormat.string(from: now).prefix(10))
        let midnight = TimestampFormat.date(from: day + "T00:00:00Z") ?? now
        for name in names {
            let data = try Data(contentsOf: self.directory.appendingPathComponent(name))
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
            let parser = LogParser()
            var context = ParsingContext(orgID: Self.org, source: "file:\(name)", receivedAt: now)
            let artifacts = lines.enumerated().map { index, line in
                var artifact = parser.parse(Array(line), context: &context).artifact
                artifact.id = Artifact.ID("demo-\(day)-\(name)-\(index + 1)")
                artifact.fields["logged_at"] = TimestampFormat.string(from: artifact.timestamp)
                artifact.timestamp = midnight.addingTimeInterval(Double(index))
                return artifact
            }
            for batch in stride(from: 0, to: artifacts.count, by: 5_000) {
                try await sink.accept(Array(artifacts[batch..<min(batch + 5_000, artifacts.count)]))
            }
            report.files.append((name, artifacts.count))
        }
        return report
    }
}
