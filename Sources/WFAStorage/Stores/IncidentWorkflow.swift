public import Foundation
public import WFACore

/// The analysts' changes to an incident, written once here so every ``IncidentStore`` adapter
/// applies them (and their audit entries) the same way inside its own lock or transaction.
extension Incident {
    /// - Throws: `storage.conflict` when the incident is no longer in `expected`.
    public mutating func applyTransition(
        from expected: IncidentStatus, to status: IncidentStatus, by actor: User.ID, at time: Date
    ) throws {
        guard self.status == expected else { throw StorageError(.conflict, "incident status changed meanwhile") }
        self.status = status
        self.updatedAt = EpochMicroseconds.normalize(time)
        self.history.append(
            IncidentActivity(
                .statusChanged, by: actor.rawValue, at: time, from: String(expected.rawValue),
                to: String(status.rawValue)))
    }

    public mutating func applyAssignment(_ assignee: User.ID?, by actor: User.ID, at time: Date) {
        guard assignee != self.assignee else { return }
        self.history.append(
            IncidentActivity(
                .assigned, by: actor.rawValue, at: time, from: self.assignee?.rawValue, to: assignee?.rawValue))
        self.assignee = assignee
        self.updatedAt = EpochMicroseconds.normalize(time)
    }

    /// Idempotent by note id.
    public mutating func applyNote(_ note: IncidentNote) {
        guard !self.notes.contains(where: { $0.id == note.id }) else { return }
        self.notes.append(note)
        self.history.append(
            IncidentActivity(.noteAdded, by: note.author.rawValue, at: note.createdAt, to: note.id.rawValue))
        self.updatedAt = max(self.updatedAt, note.createdAt)
    }
}
