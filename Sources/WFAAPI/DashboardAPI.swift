import Foundation
import WFACore
import WFAStorage

extension APIHandler {
    /// The dashboard is 48 buckets of the window, each at least a minute.
    static let dashboardBuckets: Int64 = 48
    /// Incidents counted per window at most; the newest are counted first.
    static let dashboardIncidentLimit = 10_000

    public func getDashboard(_ input: Operations.GetDashboard.Input) async throws -> Operations.GetDashboard.Output {
        let principal = try self.principal()
        let hours = input.query.hours ?? 24
        guard (1...720).contains(hours) else { throw APIError.invalid("hours must be 1...720") }
        let talkerCount = input.query.talkers ?? 10
        guard (0...100).contains(talkerCount) else { throw APIError.invalid("talkers must be 0...100") }
        let now = EpochMicroseconds.normalize(Date())
        let window = TimeRange.last(.seconds(hours * 3_600), now: now)
        let buckets = try TimeBuckets(
            window, seconds: max(60, Int64(hours) * 3_600 / Self.dashboardBuckets))
        let org = principal.orgID

        async let eventCounts = self.storage.artifacts.counts(buckets, in: org)
        async let recent = self.storage.artifacts.counts(
            try TimeBuckets(.last(.seconds(300), now: now), seconds: 300), in: org)
        async let talkers = self.storage.graph.topTalkers(window, limit: talkerCount, in: org)
        async let open = self.storage.incidents.search(
            IncidentQuery(statuses: [.new, .investigating], includeMerged: false, page: PageRequest(limit: 1)), in: org)
        async let created = self.incidents(createdIn: window, of: org)

        var rows = (0..<buckets.count).map { index in
            Components.Schemas.DashboardBucket(
                start: buckets.start(ofBucket: Int64(index)), events: 0, unknown: 0,
                incidentsBySeverity: .init(informational: 0, low: 0, medium: 0, high: 0, critical: 0),
                incidentsByStatus: .init(new: 0, investigating: 0, resolved: 0, closed: 0, disrupted: 0))
        }
        for count in try await eventCounts {
            let index = Int(buckets.index(of: count.start))
            guard rows.indices.contains(index) else { continue }
            rows[index].events = count.total
            rows[index].unknown = count.unknown
        }
        let (incidents, truncated) = try await created
        for incident in incidents {
            let index = Int(buckets.index(of: incident.createdAt))
            guard rows.indices.contains(index) else { continue }
            Self.count(incident, in: &rows[index])
        }
        let lastFiveMinutes = try await recent.reduce(0) { $0 + $1.total }
        let dashboard = Components.Schemas.Dashboard(
            from: window.start, to: window.end, bucketSeconds: Int(buckets.seconds), buckets: rows,
            openIncidents: try await open.total, eventsPerSecond: Double(lastFiveMinutes) / 300,
            topTalkers: try await talkers.map {
                .init(nodeId: $0.nodeID.rawValue, bytes: $0.bytes, events: $0.artifactCount)
            },
            incidentsTruncated: truncated)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: dashboard))))
    }

    /// The incidents created in `window` (merged ones left out), newest first, up to the limit.
    private func incidents(createdIn window: TimeRange, of org: Org.ID) async throws -> ([Incident], Bool) {
        var incidents: [Incident] = []
        while incidents.count < Self.dashboardIncidentLimit {
            let page = try await self.storage.incidents.search(
                IncidentQuery(
                    timeRange: window, includeMerged: false,
                    page: PageRequest(limit: PageRequest.maximumLimit, offset: incidents.count)), in: org)
            incidents += page.items
            if page.items.isEmpty || incidents.count >= page.total { return (incidents, false) }
        }
        return (incidents, true)
    }

    private static func count(_ incident: Incident, in row: inout Components.Schemas.DashboardBucket) {
        switch incident.severity {
        case .informational: row.incidentsBySeverity.informational += 1
        case .low: row.incidentsBySeverity.low += 1
        case .medium: row.incidentsBySeverity.medium += 1
        case .high: row.incidentsBySeverity.high += 1
        case .critical: row.incidentsBySeverity.critical += 1
        }
        switch incident.status {
        case .new: row.incidentsByStatus.new += 1
        case .investigating: row.incidentsByStatus.investigating += 1
        case .resolved: row.incidentsByStatus.resolved += 1
        case .closed: row.incidentsByStatus.closed += 1
        case .disrupted: row.incidentsByStatus.disrupted += 1
        }
    }
}
