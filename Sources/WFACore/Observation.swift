public import Foundation

/// Something an analyst or a tool observed about an entity, kept as evidence
/// whether or not it belongs to an incident yet.
public struct Observation: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Observation>

    public var id: ID
    public var orgID: Org.ID
    public var incidentID: Incident.ID?
    public var nodeID: Node.ID?
    public var artifactID: Artifact.ID?
    public var author: User.ID?
    public var text: String
    public var observedAt: Date

    public init(
        id: ID = .random(),
        orgID: Org.ID,
        incidentID: Incident.ID? = nil,
        nodeID: Node.ID? = nil,
        artifactID: Artifact.ID? = nil,
        author: User.ID? = nil,
        text: String,
        observedAt: Date = Date()
    ) {
        self.id = id
        self.orgID = orgID
        self.incidentID = incidentID
        self.nodeID = nodeID
        self.artifactID = artifactID
        self.author = author
        self.text = text
        self.observedAt = EpochMicroseconds.normalize(observedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, author, text
        case orgID = "org_id"
        case incidentID = "incident_id"
        case nodeID = "node_id"
        case artifactID = "artifact_id"
        case observedAt = "observed_at"
    }
}
