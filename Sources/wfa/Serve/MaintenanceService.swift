import Logging
import ServiceLifecycle
import WFAPostgres
import WFAStorage

/// Keeps storage tidy while wfa runs: day partitions ready ahead, retention applied, every `interval`.
struct MaintenanceService: Service {
    let database: PostgresDatabase
    /// Time between rounds. Default one hour.
    var interval: Duration = .seconds(3_600)
    let logger: Logger

    func run() async throws {
        let sweeper = RetentionSweeper(storage: self.database.storage)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.database.preparePartitionsAhead()
                    let outcomes = try await sweeper.sweep()
                    self.logger.info(
                        "Retention applied",
                        metadata: Dictionary(
                            uniqueKeysWithValues: outcomes.map { ("removed.\($0.category.rawValue)", "\($0.removed)") })
                    )
                } catch {
                    // A failed round (database briefly away) is simply tried again next round.
                    self.logger.warning("Storage maintenance failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
