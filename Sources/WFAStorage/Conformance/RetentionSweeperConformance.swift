import Foundation
import WFACore

/// The promise of ``RetentionSweeper`` over a whole backend: each category is cut at its own period.
public enum RetentionSweeperConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case sweepHonoursEachCategory

    public var description: String { "RetentionSweeper.\(self.rawValue)" }

    /// - Throws: ``ConformanceFailure`` when the backend breaks the promise.
    public func check(_ makeStorage: () async throws -> Storage) async throws {
        let storage = try await makeStorage()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        let day: Double = 86_400
        let now = Fixture.time(0)
        try await storage.directory.setRetentionPolicy(
            RetentionPolicy(artifactDays: 7, graphDays: 3, workUnitDays: 30, incidentDays: 60, reportDays: 90))
        // One record just outside and one just inside each period.
        try await storage.artifacts.append([
            Fixture.artifact(org: org, at: -8 * day), Fixture.artifact(org: org, at: -6 * day),
        ])
        try await storage.graph.apply([
            GraphDelta(
                id: "g1", orgID: org,
                nodes: [NodeObservation(id: "user:old", type: .user, value: "old", seenAt: Fixture.time(-4 * day))],
                edges: []),
            GraphDelta(
                id: "g2", orgID: org,
                nodes: [NodeObservation(id: "user:new", type: .user, value: "new", seenAt: Fixture.time(-2 * day))],
                edges: []),
        ])
        let oldIncident = Fixture.incident(org: org, at: -61 * day)
        try await storage.incidents.save([oldIncident, Fixture.incident(org: org, at: -59 * day)])
        try await storage.incidents.save([
            WorkUnit(orgID: org, incidentID: oldIncident.id, title: "a", createdAt: Fixture.time(-31 * day)),
            WorkUnit(orgID: org, incidentID: oldIncident.id, title: "b", createdAt: Fixture.time(-29 * day)),
        ])
        try await storage.reports.save([
            Report(
                orgID: org, kind: .executive, title: "a", periodStart: now, periodEnd: now,
                createdAt: Fixture.time(-91 * day)),
            Report(
                orgID: org, kind: .executive, title: "b", periodStart: now, periodEnd: now,
                createdAt: Fixture.time(-89 * day)),
        ])
        let dryRun = try await storage.retentionSweeperOutcomes(now: now, dryRun: true)
        let swept = try await storage.retentionSweeperOutcomes(now: now, dryRun: false)
        try verify.expectEqual(dryRun, swept, "dry run predicts the sweep")
        for category in RetentionPolicy.Category.allCases {
            try verify.expectEqual(swept[category], 1, "removed in \(category.rawValue)")
        }
        try verify.expectEqual(try await storage.artifacts.search(ArtifactQuery(), in: org).total, 1, "artifacts left")
        try verify.expectEqual(try await storage.graph.searchNodes(NodeQuery(), in: org).total, 1, "nodes left")
        try verify.expectEqual(try await storage.incidents.search(IncidentQuery(), in: org).total, 1, "incidents left")
        try verify.expectEqual(try await storage.reports.search(ReportQuery(), in: org).total, 1, "reports left")
    }
}

extension Storage {
    fileprivate func retentionSweeperOutcomes(now: Date, dryRun: Bool) async throws -> [RetentionPolicy.Category: Int] {
        let outcomes = try await RetentionSweeper(storage: self).sweep(now: now, dryRun: dryRun)
        return Dictionary(uniqueKeysWithValues: outcomes.map { ($0.category, $0.removed) })
    }
}
