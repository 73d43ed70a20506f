public import Foundation

/// A case for analysts: leads that share entities, with a score that explains itself.
public struct Incident: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Incident>

    public var id: ID
    public var orgID: Org.ID
    public var title: String
    public var severity: IncidentSeverity
    /// 0 (benign) ... 1 (certainly malicious).
    public var suspicionScore: Double
    /// The reasons that built the score, largest contribution first.
    public var scoreReasons: [ScoreReason]
    public var status: IncidentStatus
    public var assignee: User.ID?
    public var notes: [IncidentNote]
    public var leads: [Lead]
    public var nodeIDs: [Node.ID]
    public var edgeIDs: [Edge.ID]
    public var firstObservedAt: Date
    public var lastObservedAt: Date
    public var createdAt: Date
    public var updatedAt: Date
    /// MITRE ATT&CK technique ids (`T1110`).
    public var mitreTechniques: [String]
    public var lifecycleStage: LifecycleStage?
    /// Set when the incident was merged into another that came to share its entities; its leads
    /// live on there.
    public var mergedInto: Incident.ID?
    /// The audit trail, oldest first.
    public var history: [IncidentActivity]

    public init(
        id: ID = .random(),
        orgID: Org.ID,
        title: String,
        severity: IncidentSeverity,
        suspicionScore: Double = 0,
        scoreReasons: [ScoreReason] = [],
        status: IncidentStatus = .new,
        assignee: User.ID? = nil,
        notes: [IncidentNote] = [],
        leads: [Lead] = [],
        nodeIDs: [Node.ID] = [],
        edgeIDs: [Edge.ID] = [],
        firstObservedAt: Date,
        lastObservedAt: Date,
        createdAt: Date = Date(),
        updatedAt: Date? = nil,
        mitreTechniques: [String] = [],
        lifecycleStage: LifecycleStage? = nil,
        history: [IncidentActivity] = []
    ) {
        self.id = id
        self.orgID = orgID
        self.title = title
        self.severity = severity
        self.suspicionScore = min(max(suspicionScore, 0), 1)
        self.scoreReasons = scoreReasons
        self.status = status
        self.assignee = assignee
        self.notes = notes
        self.leads = leads
        self.nodeIDs = nodeIDs
        self.edgeIDs = edgeIDs
        self.firstObservedAt = EpochMicroseconds.normalize(firstObservedAt)
        self.lastObservedAt = EpochMicroseconds.normalize(lastObservedAt)
        self.createdAt = EpochMicroseconds.normalize(createdAt)
        self.updatedAt = EpochMicroseconds.normalize(updatedAt ?? createdAt)
        self.mitreTechniques = mitreTechniques
        self.lifecycleStage = lifecycleStage
        self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case id, title, severity, status, assignee, notes, leads
        case orgID = "org_id"
        case suspicionScore = "suspicion_score"
        case scoreReasons = "score_reasons"
        case nodeIDs = "node_ids"
        case edgeIDs = "edge_ids"
        case firstObservedAt = "first_observed_at"
        case lastObservedAt = "last_observed_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case mitreTechniques = "mitre_techniques"
        case lifecycleStage = "lifecycle_stage"
        case mergedInto = "merged_into"
        case history
    }

    /// Incidents stored before the audit trail existed decode with an empty one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(ID.self, forKey: .id)
        self.orgID = try container.decode(Org.ID.self, forKey: .orgID)
        self.title = try container.decode(String.self, forKey: .title)
        self.severity = try container.decode(IncidentSeverity.self, forKey: .severity)
        self.suspicionScore = try container.decode(Double.self, forKey: .suspicionScore)
        self.scoreReasons = try container.decode([ScoreReason].self, forKey: .scoreReasons)
        self.status = try container.decode(IncidentStatus.self, forKey: .status)
        self.assignee = try container.decodeIfPresent(User.ID.self, forKey: .assignee)
        self.notes = try container.decode([IncidentNote].self, forKey: .notes)
        self.leads = try container.decode([Lead].self, forKey: .leads)
        self.nodeIDs = try container.decode([Node.ID].self, forKey: .nodeIDs)
        self.edgeIDs = try container.decode([Edge.ID].self, forKey: .edgeIDs)
        self.firstObservedAt = try container.decode(Date.self, forKey: .firstObservedAt)
        self.lastObservedAt = try container.decode(Date.self, forKey: .lastObservedAt)
        self.createdAt = try container.decode(Date.self, forKey: .createdAt)
        self.updatedAt = try container.decode(Date.self, forKey: .updatedAt)
        self.mitreTechniques = try container.decode([String].self, forKey: .mitreTechniques)
        self.lifecycleStage = try container.decodeIfPresent(LifecycleStage.self, forKey: .lifecycleStage)
        self.mergedInto = try container.decodeIfPresent(Incident.ID.self, forKey: .mergedInto)
        self.history = try container.decodeIfPresent([IncidentActivity].self, forKey: .history) ?? []
    }
}

/// One contribution to an incident's suspicion score.
public struct ScoreReason: Sendable, Codable, Hashable {
    /// A sentence an analyst can read ("3 distinct ATT&CK techniques").
    public var reason: String
    /// How much it moved the score (may be negative, e.g. for trusted nodes).
    public var weight: Double

    public init(reason: String, weight: Double) {
        self.reason = reason
        self.weight = weight
    }
}

/// A note an analyst left on an incident.
public struct IncidentNote: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<IncidentNote>

    public var id: ID
    public var author: User.ID
    public var text: String
    public var createdAt: Date

    public init(id: ID = .random(), author: User.ID, text: String, createdAt: Date = Date()) {
        self.id = id
        self.author = author
        self.text = text
        self.createdAt = EpochMicroseconds.normalize(createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, author, text
        case createdAt = "created_at"
    }
}

/// The stage of an attack's life cycle an incident has reached (the reference product's kill chain).
public enum LifecycleStage: String, Sendable, Codable, Hashable, CaseIterable {
    case reconnaissance
    case initialAccess = "initial_access"
    case execution
    case persistence
    case privilegeEscalation = "privilege_escalation"
    case lateralMovement = "lateral_movement"
    case collection
    case exfiltration
    case impact
}
