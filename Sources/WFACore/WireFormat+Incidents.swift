extension WireFormat {
    /// `incident` as `makeEncoder()` would encode it, written directly: the engine stores and
    /// announces every changed incident, and its leads grow with it. Nil when a score is not a
    /// finite number, which `JSONEncoder` refuses too.
    public static func encode(_ incident: Incident) -> [UInt8]? {
        var writer = JSONDocumentWriter(reservingCapacity: 1_024 + incident.leads.count * 256)
        guard Self.write(incident, to: &writer) else { return nil }
        return writer.bytes
    }

    /// `event` as `makeEncoder()` would encode it; nil as for ``encode(_:)-incident``.
    public static func encode(_ event: IncidentEvent) -> [UInt8]? {
        var writer = JSONDocumentWriter(reservingCapacity: 1_280 + event.incident.leads.count * 256)
        writer.beginObject()
        writer.key("activities")
        writer.beginArray()
        for activity in event.activities { Self.write(activity, to: &writer) }
        writer.endArray()
        writer.key("incident")
        guard Self.write(event.incident, to: &writer) else { return nil }
        writer.member("kind", event.kind.rawValue)
        writer.endObject()
        return writer.bytes
    }

    /// Whether `encode(_:)` writes `event`: JSON has no non-finite numbers, which is the
    /// one thing in an incident it cannot hold. Cheap, so a writer can be put off until needed.
    public static func canEncode(_ event: IncidentEvent) -> Bool {
        Self.canEncode(event.incident)
    }

    private static func canEncode(_ incident: Incident) -> Bool {
        incident.suspicionScore.isFinite && incident.scoreReasons.allSatisfy(\.weight.isFinite)
    }

    /// The members in sorted key order, each written when the synthesized `encode(to:)` writes it.
    private static func write(_ incident: Incident, to writer: inout JSONDocumentWriter) -> Bool {
        guard Self.canEncode(incident) else { return false }
        writer.beginObject()
        writer.member("assignee", incident.assignee?.rawValue)
        writer.key("created_at")
        writer.timestamp(incident.createdAt)
        writer.key("edge_ids")
        writer.strings(incident.edgeIDs.lazy.map(\.rawValue))
        writer.key("first_observed_at")
        writer.timestamp(incident.firstObservedAt)
        writer.key("history")
        writer.beginArray()
        for activity in incident.history { Self.write(activity, to: &writer) }
        writer.endArray()
        writer.member("id", incident.id.rawValue)
        writer.key("last_observed_at")
        writer.timestamp(incident.lastObservedAt)
        writer.key("leads")
        writer.beginArray()
        for lead in incident.leads { Self.write(lead, to: &writer) }
        writer.endArray()
        writer.member("lifecycle_stage", incident.lifecycleStage?.rawValue)
        writer.member("merged_into", incident.mergedInto?.rawValue)
        writer.key("mitre_techniques")
        writer.strings(incident.mitreTechniques)
        writer.key("node_ids")
        writer.strings(incident.nodeIDs.lazy.map(\.rawValue))
        writer.key("notes")
        writer.beginArray()
        for note in incident.notes {
            writer.beginObject()
            writer.member("author", note.author.rawValue)
            writer.key("created_at")
            writer.timestamp(note.createdAt)
            writer.member("id", note.id.rawValue)
            writer.member("text", note.text)
            writer.endObject()
        }
        writer.endArray()
        writer.member("org_id", incident.orgID.rawValue)
        writer.key("score_reasons")
        writer.beginArray()
        for reason in incident.scoreReasons {
            writer.beginObject()
            writer.member("reason", reason.reason)
            writer.key("weight")
            writer.number(reason.weight)
            writer.endObject()
        }
        writer.endArray()
        writer.member("severity", incident.severity.rawValue)
        writer.member("status", incident.status.rawValue)
        writer.key("suspicion_score")
        writer.number(incident.suspicionScore)
        writer.member("title", incident.title)
        writer.key("updated_at")
        writer.timestamp(incident.updatedAt)
        writer.endObject()
        return true
    }

    private static func write(_ lead: Lead, to writer: inout JSONDocumentWriter) {
        writer.beginObject()
        writer.member("artifact_id", lead.artifactID.rawValue)
        writer.member("count", lead.count)
        writer.key("node_ids")
        writer.strings(lead.nodeIDs.lazy.map(\.rawValue))
        writer.key("observed_at")
        writer.timestamp(lead.observedAt)
        writer.member("role", lead.role)
        writer.member("rule_id", lead.ruleID)
        writer.member("rule_kind", lead.ruleKind.rawValue)
        writer.member("rule_name", lead.ruleName)
        writer.member("set_id", lead.setID)
        writer.member("severity", lead.severity.rawValue)
        writer.endObject()
    }

    private static func write(_ activity: IncidentActivity, to writer: inout JSONDocumentWriter) {
        writer.beginObject()
        writer.member("action", activity.action.rawValue)
        writer.member("actor", activity.actor)
        writer.key("at")
        writer.timestamp(activity.at)
        writer.member("from", activity.from)
        writer.member("to", activity.to)
        writer.endObject()
    }
}
