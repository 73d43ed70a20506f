import ArgumentParser
import Foundation
import WFACore
import WFAGraph
import WFAPostgres
import WFAStorage

/// `wfa db ...`: schema, retention and consistency checks.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the database: schema migrations and retention.",
        subcommands: [Migrate.self, Retention.self, CheckGraph.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply the schema migrations the database lacks (wfa serve also does this on start).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            try await self.storage.withDatabase(logger: logger) { database, location in
                // Opening the database applies missing migrations; report what that did.
                let applied = database.migrationsAppliedAtOpen
                let version = try await database.schemaVersion()
                print("Database: \(location)")
                print(
                    applied.isEmpty
                        ? "Schema already current."
                        : "Applied migrations: \(applied.map(String.init).joined(separator: ", ")).")
                print("Schema version \(version) (this wfa knows up to \(PostgresDatabase.latestSchemaVersion)).")
            }
        }
    }

    struct Retention: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Remove data older than the retention policy (artifacts 7 d, graph 7 d, work units 365 d, incidents 365 d, reports 1,825 d by default)."
        )

        @Flag(help: "Count what would be removed, remove nothing.")
        var dryRun = false

        @OptionGroup var global: GlobalOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            try await self.storage.withDatabase(logger: logger) { database, location in
                let sweeper = RetentionSweeper(storage: database.storage)
                let policy = try await database.storage.directory.retentionPolicy()
                let outcomes = try await sweeper.sweep(dryRun: self.dryRun)
                print("Database: \(location)")
                print(self.dryRun ? "Dry run: nothing removed." : "Retention applied.")
                print(
                    "category     keep (days)  cutoff (UTC)                 \(self.dryRun ? "would remove" : "removed")"
                )
                for outcome in outcomes {
                    let days = String(policy.days(for: outcome.category))
                    print(
                        outcome.category.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)
                            + days.padding(toLength: 13, withPad: " ", startingAt: 0)
                            + TimestampFormat.string(from: outcome.cutoff).padding(
                                toLength: 29, withPad: " ", startingAt: 0)
                            + String(outcome.removed))
                }
            }
        }
    }

    struct CheckGraph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-graph",
            abstract: "Recompute an org's graph from its stored artifacts and compare it with the stored graph.",
            discussion: """
                Exits 1 when a node's or edge's artifact count differs from what the artifacts imply (for \
                example after a crash if writes were not idempotent). Reads every artifact of the org.
                """)

        @Option(help: "The org to check.") var org = "default"
        @OptionGroup var network: NetworkOptions
        @OptionGroup var global: GlobalOptions
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            let projection = GraphProjection(policy: try self.network.networkPolicy())
            let report = try await self.storage.withDatabase(logger: logger) { database, _ in
                try await GraphAudit(
                    artifacts: database.storage.artifacts, graph: database.storage.graph, projection: projection
                ).run(in: Org.ID(self.org)) { read in
                    if read % 10_000 == 0 { FileHandle.standardError.write(Data("  read \(read) artifacts\n".utf8)) }
                }
            }
            print(
                "org \(self.org): \(report.artifacts) artifacts, \(report.nodes) nodes, \(report.edges) edges checked")
            for line in report.mismatches { print("  \(line)") }
            guard report.isConsistent else {
                throw CommandError(description: "\(report.mismatchCount) graph counts differ from the artifacts")
            }
            print("graph consistent with the stored artifacts")
        }
    }
}
