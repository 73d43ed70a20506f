import Foundation
import WFACore

/// The promises of ``ReportStore``.
public enum ReportStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case reportsReadBackUnchanged
    case searchFiltersOrdersAndPages
    case deleteAndOrgIsolation
    case purgeRemovesExactlyTheExpired

    public var description: String { "ReportStore.\(self.rawValue)" }

    private static func report(org: Org.ID, kind: Report.Kind = .executive, at seconds: Double) -> Report {
        Report(
            orgID: org, kind: kind, title: "Weekly", periodStart: Fixture.time(seconds - 604_800),
            periodEnd: Fixture.time(seconds), createdAt: Fixture.time(seconds),
            content: .object([
                "incidents": .number(12), "top": .array([.string("10.0.0.1"), .null]), "ok": .bool(true),
            ]))
    }

    /// - Throws: ``ConformanceFailure`` when the store breaks the promise.
    public func check(_ makeStore: () async throws -> any ReportStore) async throws {
        let store = try await makeStore()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        switch self {
        case .reportsReadBackUnchanged:
            var report = Self.report(org: org, kind: .compliance, at: 10)
            report.frameworkID = "nist-csf"
            try await store.save([report])
            try await store.save([report])
            try verify.expectEqual(try await store.report(report.id, in: org), report, "read back")
            try verify.expectEqual(try await store.search(ReportQuery(), in: org).total, 1, "saved once")

        case .searchFiltersOrdersAndPages:
            let a = Self.report(org: org, kind: .executive, at: 10)
            let b = Self.report(org: org, kind: .costSavings, at: 20)
            let c = Self.report(org: org, kind: .executive, at: 30)
            try await store.save([a, b, c])
            try verify.expectEqual(
                try await store.search(ReportQuery(), in: org).items.map(\.id), [c.id, b.id, a.id], "newest first")
            try verify.expectEqual(
                try await store.search(ReportQuery(kind: .executive), in: org).items.map(\.id), [c.id, a.id], "kind")
            let range = TimeRange(start: Fixture.time(15), end: Fixture.time(31))
            try verify.expectEqual(
                try await store.search(ReportQuery(timeRange: range, page: PageRequest(limit: 1)), in: org).items.map(
                    \.id),
                [c.id], "range and limit")

        case .deleteAndOrgIsolation:
            let other = Fixture.org()
            let theirs = Self.report(org: other, at: 10)
            try await store.save([theirs])
            try verify.expectEqual(try await store.report(theirs.id, in: org), nil, "get")
            try verify.expectEqual(try await store.search(ReportQuery(), in: org).total, 0, "search")
            try verify.expectEqual(try await store.delete(theirs.id, in: org), false, "delete across orgs")
            try verify.expectEqual(try await store.delete(theirs.id, in: other), true, "delete")
            try verify.expectEqual(try await store.report(theirs.id, in: other), nil, "gone")

        case .purgeRemovesExactlyTheExpired:
            let old = Self.report(org: org, at: -2_000 * 86_400)
            let recent = Self.report(org: org, at: -86_400)
            try await store.save([old, recent])
            let cutoff = Fixture.time(-1_825 * 86_400)
            try verify.expectEqual(try await store.purge(before: cutoff, dryRun: true), 1, "dry run")
            try verify.expectEqual(try await store.search(ReportQuery(), in: org).total, 2, "dry run keeps all")
            try verify.expectEqual(try await store.purge(before: cutoff, dryRun: false), 1, "purged")
            try verify.expectEqual(try await store.search(ReportQuery(), in: org).items.map(\.id), [recent.id], "left")
        }
    }
}
