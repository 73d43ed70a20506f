import Foundation
public import WFACore

/// The payloads the pipeline carries, as JSON in wfa's wire format.
extension BusMessage {
    /// An artifact on its way to the graph-processor; the artifact id is the dedup key.
    public static func artifact(_ artifact: Artifact) -> BusMessage {
        BusMessage(
            id: artifact.id.rawValue, subject: BusTopic.artifacts.subject(for: artifact.orgID.rawValue),
            value: artifact, encode: { WireFormat.encode($0) })
    }

    /// A graphed artifact on its way to the incident engine.
    public static func graphEvent(_ event: GraphEvent) -> BusMessage {
        BusMessage(
            id: event.artifact.id.rawValue, subject: BusTopic.graph.subject(for: event.artifact.orgID.rawValue),
            value: event, encode: { WireFormat.encode($0) })
    }

    /// A graphed artifact on its way to the incident engine, made from the message the artifact
    /// came in (`artifact` is that message read): around the same document when the message holds
    /// bytes, so the artifact is not written again, and as a value when it holds one.
    public static func graphEvent(
        artifactMessage: BusMessage, artifact: Artifact, nodeIDs: [Node.ID], edgeIDs: [Edge.ID]
    ) -> BusMessage {
        if artifactMessage.carriedValue(Artifact.self) != nil {
            return .graphEvent(GraphEvent(artifact: artifact, nodeIDs: nodeIDs, edgeIDs: edgeIDs))
        }
        return BusMessage(
            id: artifact.id.rawValue, subject: BusTopic.graph.subject(for: artifact.orgID.rawValue),
            payload: WireFormat.encodeGraphEvent(
                artifactDocument: artifactMessage.payload, nodeIDs: nodeIDs, edgeIDs: edgeIDs))
    }

    /// An incident change on its way to the dispatcher; one id per version of the incident, so a
    /// re-sent change is dropped and the next change is not.
    ///
    /// - Throws: `EncodingError` for an event JSON cannot hold (a non-finite score), as its encoding
    ///   would; it is found here, not when a bus between processes first reads the payload.
    public static func incidentEvent(_ event: IncidentEvent) throws -> BusMessage {
        let version = Int64((event.incident.updatedAt.timeIntervalSince1970 * 1_000_000).rounded())
        if !WireFormat.canEncode(event) { _ = try WireFormat.makeEncoder().encode(event) }
        return BusMessage(
            id:
                "\(event.incident.id.rawValue)-\(event.kind.rawValue)-\(version)-\(event.incident.leads.reduce(0) { $0 + $1.count })",
            subject: BusTopic.incidents.subject(for: event.incident.orgID.rawValue),
            value: event,
            encode: { WireFormat.encode($0) ?? (try? Array(WireFormat.makeEncoder().encode($0))) ?? [] })
    }

    /// Decodes the payload as `type`.
    /// - Throws: `DecodingError` for a payload that is not one (the message then goes to the dead
    ///   letters with that reason).
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let value = self.carriedValue(T.self) { return value }
        return try WireFormat.makeDecoder().decode(type, from: Data(self.payload))
    }

    /// An artifact payload, read without `JSONDecoder` where it can be (same results and errors).
    public func decode(_ type: Artifact.Type) throws -> Artifact {
        if let artifact = self.carriedValue(Artifact.self) { return artifact }
        return try WireFormat.decode(Artifact.self, from: self.payload)
    }

    /// A graph event payload, read the same way.
    public func decode(_ type: GraphEvent.Type) throws -> GraphEvent {
        if let event = self.carriedValue(GraphEvent.self) { return event }
        return try WireFormat.decode(GraphEvent.self, from: self.payload)
    }
}
