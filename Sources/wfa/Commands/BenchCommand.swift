import ArgumentParser
import Foundation
import Logging
import WFACore
import WFAPostgres
import WFAStorage

/// `wfa bench ...`: measurements that print their numbers (recorded in docs/benchmarks.md).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks; each prints its numbers.",
        subcommands: [Storage.self, Parse.self, Pipeline.self, Graph.self, Incidents.self, WebSocketReaders.self]
    )

    struct Storage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Append synthetic artifacts through the storage adapter and compare with a raw COPY of the same rows.",
            discussion: """
                Runs on a scratch database: a temporary private PostgreSQL, or with --database a new database
                created (and dropped afterwards) on that server. Your data is never touched.
                """)

        @Option(help: "Artifacts to append.")
        var count = 1_000_000

        @Option(help: "Artifacts per append call.")
        var batchSize = 10_000

        @Option(help: "Append calls in flight at once.")
        var concurrency = 2

        @Option(help: "PostgreSQL server URL to create the scratch database on (default: a temporary private server).")
        var database: String?

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard self.count > 0, self.batchSize > 0, self.concurrency > 0 else {
                throw ValidationError("--count, --batch-size and --concurrency must be positive")
            }
        }

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            try await ScratchDatabase.with(onServer: self.database, logger: logger) { url in
                try await self.measure(url: url, logger: logger)
            }
        }

        private func measure(url: String, logger: Logger) async throws {
            let database = try await PostgresDatabase.open(
                .init(url: url, maximumConnections: max(2, self.concurrency)), logger: logger)
            print("bench: generating \(self.count) synthetic artifacts")
            let artifacts = SyntheticArtifacts.make(count: self.count)
            let batches = stride(from: 0, to: artifacts.count, by: self.batchSize).map {
                Array(artifacts[$0..<min($0 + self.batchSize, artifacts.count)])
            }
            print("bench: raw COPY of pre-encoded rows (ceiling), run 1")
            let ceiling1 = try await database.measureRawCopy(of: artifacts, batchSize: self.batchSize)
            try await database.removeAllArtifacts()

            print(
                "bench: ArtifactStore.append, \(batches.count) batches of \(self.batchSize), \(self.concurrency) in flight"
            )
            let store = database.storage.artifacts
            let clock = ContinuousClock()
            let began = clock.now
            let progress = ProgressLine(total: artifacts.count)
            try await withThrowingTaskGroup(of: Int.self) { group in
                var next = 0
                var done = 0
                for _ in 0..<min(self.concurrency, batches.count) {
                    let batch = batches[next]
                    group.addTask {
                        try await store.append(batch); return batch.count
                    }
                    next += 1
                }
                while let finished = try await group.next() {
                    done += finished
                    progress.update(done)
                    if next < batches.count {
                        let batch = batches[next]
                        group.addTask {
                            try await store.append(batch); return batch.count
                        }
                        next += 1
                    }
                }
            }
            let adapter = clock.now - began
            progress.finish()
            let stored = try await store.search(ArtifactQuery(page: PageRequest(limit: 1)), in: SyntheticArtifacts.org)
                .total
            try await database.removeAllArtifacts()

            print("bench: raw COPY of pre-encoded rows (ceiling), run 2")
            let ceiling2 = try await database.measureRawCopy(of: artifacts, batchSize: self.batchSize)
            try await database.removeAllArtifacts()
            await database.close()

            let ceiling = min(ceiling1, ceiling2)
            let adapterRate = Double(self.count) / adapter.inSeconds
            let ceilingRate = Double(self.count) / ceiling.inSeconds
            print("")
            print("artifacts:           \(self.count) (stored and counted: \(stored))")
            print("adapter append:      \(Self.format(adapterRate)) artifacts/s  (\(Self.format(adapter.inSeconds)) s)")
            print(
                "raw COPY (ceiling):  \(Self.format(ceilingRate)) artifacts/s  (best of \(Self.format(ceiling1.inSeconds)) s, "
                    + "\(Self.format(ceiling2.inSeconds)) s)")
            print("ratio adapter/raw:   \(String(format: "%.2f", adapterRate / ceilingRate))")
            guard stored == self.count else {
                throw ValidationError("stored \(stored) artifacts, expected \(self.count)")
            }
        }

        static func format(_ value: Double) -> String {
            value >= 100 ? String(Int(value.rounded())) : String(format: "%.2f", value)
        }
    }
}

extension Duration {
    var inSeconds: Double {
        let parts = self.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    var inMilliseconds: Double { self.inSeconds * 1_000 }
}

extension Array {
    /// The element at quantile `p` (0...1, nearest rank) of this array, which must be sorted; nil
    /// when it is empty.
    func quantile(_ p: Double) -> Element? {
        self.isEmpty ? nil : self[Swift.min(self.count - 1, Int(Double(self.count) * p))]
    }
}

/// A one-line progress display on stderr for long operations.
final class ProgressLine: Sendable {
    let total: Int

    init(total: Int) { self.total = total }

    func update(_ done: Int) {
        let percent = self.total == 0 ? 100 : done * 100 / self.total
        FileHandle.standardError.write(Data("\r  \(done)/\(self.total) (\(percent)%)".utf8))
    }

    func finish() { FileHandle.standardError.write(Data("\n".utf8)) }
}
