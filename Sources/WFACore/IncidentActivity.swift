public import Foundation

/// One entry of an incident's audit trail: who changed what, and when.
///
/// Analysts' changes (status, assignee, notes) are written by the store in the same transaction
/// as the change itself, so the trail cannot miss one; the incident engine adds its own
/// (created, severity changed, merged).
public struct IncidentActivity: Sendable, Codable, Hashable {
    public enum Action: String, Sendable, Codable, Hashable, CaseIterable {
        case created
        case statusChanged = "status_changed"
        case severityChanged = "severity_changed"
        case assigned
        case noteAdded = "note_added"
        case merged
    }

    /// The actor recorded for the incident engine's own changes.
    public static let engine = "incident-engine"

    public var action: Action
    /// The user who acted, or ``engine``.
    public var actor: String
    public var at: Date
    /// The value before the change (a status number, a severity, an assignee), if there was one.
    public var from: String?
    /// The value after the change (for `merged`, the incident it was merged into; for
    /// `note_added`, the note's id).
    public var to: String?

    public init(_ action: Action, by actor: String, at: Date, from: String? = nil, to: String? = nil) {
        self.action = action
        self.actor = actor
        self.at = EpochMicroseconds.normalize(at)
        self.from = from
        self.to = to
    }
}

extension Incident {
    /// The engine's view of this incident with the analysts' work taken from the stored copy:
    /// status, assignee, notes, creation time and the audit trail written so far. The engine
    /// only knows what the leads said, so it never overwrites what a person decided.
    public func keepingWorkflow(of stored: Incident) -> Incident {
        var merged = self
        merged.status = stored.status
        merged.assignee = stored.assignee
        merged.notes = stored.notes + self.notes.filter { note in !stored.notes.contains { $0.id == note.id } }
        merged.createdAt = stored.createdAt
        merged.history = stored.history + self.history.filter { !stored.history.contains($0) }
        merged.history.sort { $0.at < $1.at }
        merged.updatedAt = max(self.updatedAt, stored.updatedAt)
        return merged
    }
}
