public import Foundation

/// An incident's story, oldest first: each lead at the time it was last observed, and each
/// entry of the audit trail, as one readable line each.
public struct IncidentTimeline: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var at: Date
        /// `lead`, or an ``IncidentActivity/Action`` raw value.
        public var kind: String
        public var actor: String?
        public var summary: String
        public var ruleID: String?
        public var artifactID: Artifact.ID?
        public var count: Int?
    }

    public var entries: [Entry]

    public init(_ incident: Incident) {
        let leads = incident.leads.map { lead in
            let subject = lead.nodeIDs.first.map { " naming \($0.rawValue)" } ?? ""
            let times = lead.count == 1 ? "once" : "\(lead.count) times"
            return Entry(
                at: lead.observedAt, kind: "lead", actor: nil,
                summary: "\(lead.ruleName) (\(lead.severity.rawValue)) matched \(times)\(subject)",
                ruleID: lead.ruleID, artifactID: lead.artifactID, count: lead.count)
        }
        let changes = incident.history.map { activity in
            Entry(
                at: activity.at, kind: activity.action.rawValue, actor: activity.actor,
                summary: Self.summary(of: activity, notes: incident.notes), ruleID: nil, artifactID: nil, count: nil)
        }
        // Stable on equal times: an audit entry at the same instant as a lead follows it.
        self.entries = (leads + changes).enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
    }

    private static func summary(of activity: IncidentActivity, notes: [IncidentNote]) -> String {
        switch activity.action {
        case .created:
            return "Incident opened by the incident engine"
        case .statusChanged:
            return
                "Status changed from \(Self.status(activity.from)) to \(Self.status(activity.to)) by \(activity.actor)"
        case .severityChanged:
            return "Severity rose from \(activity.from ?? "?") to \(activity.to ?? "?")"
        case .assigned:
            return activity.to.map { "Assigned to \($0) by \(activity.actor)" } ?? "Unassigned by \(activity.actor)"
        case .noteAdded:
            let text = notes.first { $0.id.rawValue == activity.to }?.text ?? ""
            let excerpt = text.count > 120 ? String(text.prefix(119)) + "…" : text
            return "Note by \(activity.actor): \(excerpt)"
        case .merged:
            return "Merged into incident \(activity.to ?? "?") (they came to share entities)"
        }
    }

    private static func status(_ raw: String?) -> String {
        guard let raw, let number = Int(raw), let status = IncidentStatus(rawValue: number) else { return raw ?? "?" }
        return "\(number) (\(status))"
    }
}
