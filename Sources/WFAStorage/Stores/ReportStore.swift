public import Foundation
public import WFACore

/// A search over reports, newest first. Backed by `reports_by_org_kind` (org, kind; clustered by time).
public struct ReportQuery: Sendable, Hashable {
    public var kind: Report.Kind?
    /// Created within this range.
    public var timeRange: TimeRange
    public var page: PageRequest

    public init(kind: Report.Kind? = nil, timeRange: TimeRange = .all, page: PageRequest = PageRequest()) {
        self.kind = kind
        self.timeRange = timeRange
        self.page = page
    }

    public func matches(_ report: Report) -> Bool {
        if let kind, report.kind != kind { return false }
        return self.timeRange.contains(report.createdAt)
    }
}

/// Generated reports.
public protocol ReportStore: Sendable {
    /// Inserts or replaces reports by id.
    func save(_ reports: [Report]) async throws

    func report(_ id: Report.ID, in org: Org.ID) async throws -> Report?

    func search(_ query: ReportQuery, in org: Org.ID) async throws -> Page<Report>

    func delete(_ id: Report.ID, in org: Org.ID) async throws -> Bool

    /// Removes reports created before `cutoff`.
    func purge(before cutoff: Date, dryRun: Bool) async throws -> Int
}
