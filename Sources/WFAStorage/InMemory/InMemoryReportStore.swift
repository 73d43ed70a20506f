public import Foundation
public import WFACore

/// A ``ReportStore`` in memory.
public actor InMemoryReportStore: ReportStore {
    private var reports: [Report.ID: Report] = [:]

    public init() {}

    public func save(_ batch: [Report]) async throws {
        for report in batch {
            if let existing = self.reports[report.id], existing.orgID != report.orgID { continue }
            self.reports[report.id] = report
        }
    }

    public func report(_ id: Report.ID, in org: Org.ID) async throws -> Report? {
        self.reports[id].flatMap { $0.orgID == org ? $0 : nil }
    }

    public func search(_ query: ReportQuery, in org: Org.ID) async throws -> Page<Report> {
        let page = try query.page.validated()
        let matches = self.reports.values.filter { $0.orgID == org && query.matches($0) }
            .sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id > $1.id }
        return Page(slicing: matches, page)
    }

    public func delete(_ id: Report.ID, in org: Org.ID) async throws -> Bool {
        guard let report = self.reports[id], report.orgID == org else { return false }
        self.reports[id] = nil
        return true
    }

    public func purge(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let expired = self.reports.values.filter { $0.createdAt < cutoff }.map(\.id)
        if !dryRun {
            for id in expired { self.reports[id] = nil }
        }
        return expired.count
    }
}
