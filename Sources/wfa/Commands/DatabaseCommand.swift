import ArgumentParser
import Foundation
import WFACore
import WFAPostgres
import WFAStorage

/// `wfa db ...`: schema and retention.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the database: schema migrations and retention.",
        subcommands: [Migrate.self, Retention.self]
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
}
