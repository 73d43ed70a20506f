public import Foundation
public import WFACore

/// Durable, org-scoped storage for normalized artifacts.
///
/// Cassandra tables that back it: `artifacts_by_id`, `artifacts_by_hour` (org, hour bucket, shard),
/// `artifacts_by_entity` (org, entity key, day).
public protocol ArtifactStore: Sendable {
    /// Appends a batch atomically: afterwards all of it is stored, or (on a thrown error) none of it.
    /// Idempotent by ``Artifact/id``: a redelivered batch, or an id repeated inside one, stores one copy.
    /// - Throws: ``StorageError`` `storage.unavailable` when the database cannot be reached.
    func append(_ artifacts: [Artifact]) async throws

    /// The artifact with `id` in `org`, or nil.
    func artifact(_ id: Artifact.ID, in org: Org.ID) async throws -> Artifact?

    /// Artifacts of `org` that match `query`, in time order (ties by id), with the total count.
    /// - Throws: ``StorageError`` `storage.invalid_query` for a bad range or page.
    func search(_ query: ArtifactQuery, in org: Org.ID) async throws -> Page<Artifact>

    /// How many artifacts of `org` have event times in each of `buckets`, and how many of those
    /// are of unknown format; oldest first, buckets without artifacts left out.
    func counts(_ buckets: TimeBuckets, in org: Org.ID) async throws -> [ArtifactCount]

    /// Removes every artifact (of every org) whose event time is before `cutoff`, dropping whole
    /// time buckets where it can; returns how many went, or with `dryRun` how many would go.
    func purge(before cutoff: Date, dryRun: Bool) async throws -> Int
}
