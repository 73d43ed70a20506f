public import Foundation

/// Applies a ``RetentionPolicy`` to every store: one sweep removes, per category, everything older
/// than the category's cutoff.
public struct RetentionSweeper: Sendable {
    /// What one category's sweep did (or, in a dry run, would do).
    public struct Outcome: Sendable, Hashable {
        public var category: RetentionPolicy.Category
        public var cutoff: Date
        public var removed: Int
    }

    public let storage: Storage

    public init(storage: Storage) {
        self.storage = storage
    }

    /// Sweeps every category with the stored policy.
    /// - Parameters:
    ///   - now: the instant cutoffs are measured from.
    ///   - dryRun: count what would go, remove nothing.
    public func sweep(now: Date = Date(), dryRun: Bool = false) async throws -> [Outcome] {
        let policy = try await self.storage.directory.retentionPolicy()
        var outcomes: [Outcome] = []
        for category in RetentionPolicy.Category.allCases {
            let cutoff = policy.cutoff(for: category, now: now)
            let removed: Int
            switch category {
            case .artifacts: removed = try await self.storage.artifacts.purge(before: cutoff, dryRun: dryRun)
            case .graph: removed = try await self.storage.graph.purge(before: cutoff, dryRun: dryRun)
            case .workUnits: removed = try await self.storage.incidents.purgeWorkUnits(before: cutoff, dryRun: dryRun)
            case .incidents: removed = try await self.storage.incidents.purgeIncidents(before: cutoff, dryRun: dryRun)
            case .reports: removed = try await self.storage.reports.purge(before: cutoff, dryRun: dryRun)
            }
            outcomes.append(Outcome(category: category, cutoff: cutoff, removed: removed))
        }
        return outcomes
    }
}
