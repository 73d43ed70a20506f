public import Foundation
public import WFACore

/// Incidents, their work units, and observations.
///
/// Cassandra tables: `incidents_by_id` (status changes as LWT `IF status = ?`), `incidents_by_day`,
/// `work_units_by_incident`, `observations_by_day`.
public protocol IncidentStore: Sendable {
    /// Inserts or replaces whole incidents by id (the incident engine's write).
    func save(_ incidents: [Incident]) async throws

    func incident(_ id: Incident.ID, in org: Org.ID) async throws -> Incident?

    func search(_ query: IncidentQuery, in org: Org.ID) async throws -> Page<Incident>

    /// Stores the incident engine's view of incidents, keeping each stored incident's workflow
    /// (``Incident/keepingWorkflow(of:)``) under the same lock as the write, so an analyst's change
    /// made while the engine worked is never overwritten. An id owned by another org is skipped.
    /// - Returns: the incidents as stored, in the order given.
    func saveKeepingWorkflow(_ incidents: [Incident]) async throws -> [Incident]

    /// Moves an incident from `expected` to `status` only if it is still `expected` (compare-and-set),
    /// so two analysts cannot both close the same case with different verdicts, and records the
    /// change in its history.
    /// - Returns: the updated incident.
    /// - Throws: ``StorageError`` `storage.not_found`, or `storage.conflict` when the status changed meanwhile.
    func transition(
        _ id: Incident.ID, in org: Org.ID, from expected: IncidentStatus, to status: IncidentStatus,
        by actor: User.ID, at time: Date
    ) async throws -> Incident

    /// Sets or clears the assignee and records the change in the history (no entry when the
    /// assignee is unchanged). - Throws: `storage.not_found`.
    func assign(
        _ id: Incident.ID, in org: Org.ID, to assignee: User.ID?, by actor: User.ID, at time: Date
    ) async throws -> Incident

    /// Appends a note and a history entry by its author; idempotent by note id.
    /// - Throws: `storage.not_found`.
    func append(_ note: IncidentNote, to id: Incident.ID, in org: Org.ID) async throws -> Incident

    /// Inserts or replaces work units by id.
    func save(_ workUnits: [WorkUnit]) async throws

    func workUnit(_ id: WorkUnit.ID, in org: Org.ID) async throws -> WorkUnit?

    /// The work units of one incident, oldest first.
    func workUnits(of incident: Incident.ID, in org: Org.ID) async throws -> [WorkUnit]

    /// Returns whether a work unit was deleted.
    func deleteWorkUnit(_ id: WorkUnit.ID, in org: Org.ID) async throws -> Bool

    /// Inserts or replaces observations by id.
    func save(_ observations: [Observation]) async throws

    func search(_ query: ObservationQuery, in org: Org.ID) async throws -> Page<Observation>

    /// Removes incidents (and their observations) not updated since `cutoff`.
    func purgeIncidents(before cutoff: Date, dryRun: Bool) async throws -> Int

    /// Removes work units not updated since `cutoff`.
    func purgeWorkUnits(before cutoff: Date, dryRun: Bool) async throws -> Int
}
