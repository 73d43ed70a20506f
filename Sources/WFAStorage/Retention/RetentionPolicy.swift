public import Foundation
import WFACore

/// How long each category of data is kept, installation-wide.
///
/// Retention is by category rather than by org because the cheap way to expire data, dropping a
/// whole day partition (PostgreSQL) or letting a TTL bucket lapse (Cassandra), holds every org's rows.
public struct RetentionPolicy: Sendable, Hashable, Codable {
    public enum Category: String, Sendable, Hashable, CaseIterable, Codable {
        case artifacts
        /// Nodes and edges.
        case graph
        case workUnits = "work_units"
        case incidents
        case reports
    }

    /// Days to keep artifacts (default 7).
    public var artifactDays: Int
    /// Days to keep nodes and edges (default 7).
    public var graphDays: Int
    /// Days to keep work units (default 365).
    public var workUnitDays: Int
    /// Days to keep incidents and observations (default 365).
    public var incidentDays: Int
    /// Days to keep reports (default 1,825, five years).
    public var reportDays: Int

    public init(
        artifactDays: Int = 7, graphDays: Int = 7, workUnitDays: Int = 365, incidentDays: Int = 365,
        reportDays: Int = 1_825
    ) {
        self.artifactDays = artifactDays
        self.graphDays = graphDays
        self.workUnitDays = workUnitDays
        self.incidentDays = incidentDays
        self.reportDays = reportDays
    }

    /// The settings key the policy is stored under.
    public static let settingKey = "retention"

    public func days(for category: Category) -> Int {
        switch category {
        case .artifacts: self.artifactDays
        case .graph: self.graphDays
        case .workUnits: self.workUnitDays
        case .incidents: self.incidentDays
        case .reports: self.reportDays
        }
    }

    /// The oldest instant still kept for `category` at `now`.
    public func cutoff(for category: Category, now: Date) -> Date {
        EpochMicroseconds.normalize(now.addingTimeInterval(-Double(self.days(for: category)) * 86_400))
    }

    /// - Throws: ``StorageError`` `storage.invalid_data` when a period is under one day or over 100 years.
    public func validated() throws -> RetentionPolicy {
        for category in Category.allCases where !(1...36_500).contains(self.days(for: category)) {
            throw StorageError(.invalidData, "retention for \(category.rawValue) must be 1...36500 days")
        }
        return self
    }

    enum CodingKeys: String, CodingKey {
        case artifactDays = "artifacts_days"
        case graphDays = "graph_days"
        case workUnitDays = "work_units_days"
        case incidentDays = "incidents_days"
        case reportDays = "reports_days"
    }
}

extension DirectoryStore {
    /// The stored policy, or the defaults when none was set.
    public func retentionPolicy() async throws -> RetentionPolicy {
        guard let value = try await self.setting(RetentionPolicy.settingKey, in: nil) else { return RetentionPolicy() }
        do {
            let data = try WireFormat.makeEncoder().encode(value)
            return try WireFormat.makeDecoder().decode(RetentionPolicy.self, from: data)
        } catch {
            throw StorageError(.invalidData, "stored retention policy cannot be read", underlying: error)
        }
    }

    /// Validates and stores the installation-wide policy.
    public func setRetentionPolicy(_ policy: RetentionPolicy) async throws {
        let policy = try policy.validated()
        let data = try WireFormat.makeEncoder().encode(policy)
        let value = try WireFormat.makeDecoder().decode(JSONValue.self, from: data)
        try await self.setSetting(RetentionPolicy.settingKey, to: value, in: nil)
    }
}
