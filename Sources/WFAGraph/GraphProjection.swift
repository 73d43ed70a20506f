import Foundation
public import WFACore
public import WFAStorage

/// Turns one artifact into what it adds to the knowledge graph: a node per entity it names and an
/// edge per relation the data states.
///
/// Pure and deterministic: node and edge ids derive from the entities, and the delta's id is the
/// artifact id, so applying the projection of a redelivered artifact changes nothing and the
/// graph always equals a recomputation from the stored artifacts.
public struct GraphProjection: Sendable {
    public var policy: NetworkPolicy

    public init(policy: NetworkPolicy = NetworkPolicy()) {
        self.policy = policy
    }

    public func delta(for artifact: Artifact) -> GraphDelta {
        var builder = Builder(seenAt: artifact.timestamp, policy: self.policy)
        for entity in artifact.entityKeys { builder.node(entity) }

        let client = Self.endpoint(ip: artifact.clientIP, host: artifact.clientHostname)
        let server = Self.endpoint(ip: artifact.serverIP, host: artifact.serverHostname)
        if let client, let server, client != server {
            let bytes = (artifact.clientBytes ?? 0) + (artifact.serverBytes ?? 0)
            builder.edge(client, .communicatesWith, server, bytes: bytes)
        }
        // A name and an address seen for the same end are the same machine.
        for (ip, host) in [(artifact.clientIP, artifact.clientHostname), (artifact.serverIP, artifact.serverHostname)] {
            if let ip, let host {
                builder.edge(
                    EntityKey(type: .host, value: host.rawValue), .relatedTo,
                    EntityKey(type: .ip, value: ip.description))
            }
        }
        if let user = artifact.userName.flatMap({ $0.isEmpty ? nil : EntityKey(type: .user, value: $0.lowercased()) }) {
            // The user authenticated on the server side; the client is where the attempt came from.
            if let server { builder.edge(user, .authenticatedAs, server) }
            if let client { builder.edge(client, .relatedTo, user) }
        }
        if artifact.messageType == .dnsQuery, let query = artifact.fqdn {
            let name = EntityKey(type: .domain, value: query.rawValue)
            for answer in Self.answers(of: artifact) {
                builder.node(answer)
                builder.edge(name, .resolvedTo, answer)
            }
        } else if let client {
            if let uri = artifact.uri, uri.contains("://") {
                builder.edge(client, .accessed, EntityKey(type: .url, value: uri))
            }
            if let domain = artifact.fqdn {
                builder.edge(client, .accessed, EntityKey(type: .domain, value: domain.rawValue))
            }
        }
        if let from = Self.nonEmpty(artifact.emailFrom), let to = Self.nonEmpty(artifact.emailTo) {
            builder.edge(
                EntityKey(type: .email, value: from.lowercased()), .sentEmailTo,
                EntityKey(type: .email, value: to.lowercased()))
        }
        if let hash = Self.nonEmpty(artifact.fileHash),
            let path = Self.nonEmpty(artifact.filePath) ?? Self.nonEmpty(artifact.fileName)
        {
            let file = EntityKey(type: .file, value: path)
            builder.node(file)
            builder.edge(file, .contains, EntityKey(type: .hash, value: hash.lowercased()))
        }
        return GraphDelta(id: artifact.id.rawValue, orgID: artifact.orgID, nodes: builder.nodes, edges: builder.edges)
    }

    static func endpoint(ip: IPAddress?, host: HostName?) -> EntityKey? {
        if let ip { return EntityKey(type: .ip, value: ip.description) }
        if let host { return EntityKey(type: .host, value: host.rawValue) }
        return nil
    }

    /// DNS answers as entities: addresses, or names (CNAME and similar records).
    static func answers(of artifact: Artifact) -> [EntityKey] {
        guard let text = artifact.fields["answers"] else { return [] }
        return text.split(separator: ",").compactMap { part in
            let answer = part.trimmingCharacters(in: .whitespaces)
            if let ip = IPAddress(answer) { return EntityKey(type: .ip, value: ip.description) }
            if NetworkPolicy.isHostName(answer), let name = HostName(answer) {
                return EntityKey(type: .domain, value: name.rawValue)
            }
            return nil
        }
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// Collects nodes and edges once each; an edge's ends are always among the nodes.
    struct Builder {
        let seenAt: Date
        let policy: NetworkPolicy
        private(set) var nodes: [NodeObservation] = []
        private(set) var edges: [EdgeObservation] = []
        // A delta holds a handful of nodes and edges, found faster by a scan than by hashing each
        // id into a set; past `scanLimit` (a long DNS answer list) the ids go into sets.
        private static let scanLimit = 16
        private var nodeIDs: Set<Node.ID>?
        private var edgeIDs: Set<Edge.ID>?

        init(seenAt: Date, policy: NetworkPolicy) {
            self.seenAt = seenAt
            self.policy = policy
        }

        @discardableResult
        mutating func node(_ entity: EntityKey) -> Node.ID {
            let id = Node.ID(entity: entity)
            guard Self.isNew(id, among: self.nodes, \.id, index: &self.nodeIDs) else { return id }
            self.nodes.append(
                NodeObservation(
                    id: id, type: entity.type, value: entity.value, seenAt: self.seenAt,
                    initialFlags: self.policy.flags(for: entity)))
            return id
        }

        mutating func edge(_ source: EntityKey, _ type: EdgeType, _ target: EntityKey, bytes: Int64 = 0) {
            let sourceID = self.node(source)
            let targetID = self.node(target)
            let id = Edge.ID(from: sourceID, type, to: targetID)
            guard Self.isNew(id, among: self.edges, \.id, index: &self.edgeIDs) else { return }
            self.edges.append(
                EdgeObservation(
                    id: id, sourceID: sourceID, targetID: targetID, type: type, seenAt: self.seenAt, bytes: bytes))
        }

        /// Whether `id` is not yet among `elements`; records it in `index` once there are many.
        private static func isNew<Element, ID: Hashable>(
            _ id: ID, among elements: [Element], _ elementID: KeyPath<Element, ID>, index: inout Set<ID>?
        ) -> Bool {
            if index == nil, elements.count >= Self.scanLimit { index = Set(elements.map { $0[keyPath: elementID] }) }
            if index != nil { return index?.insert(id).inserted ?? true }
            return !elements.contains { $0[keyPath: elementID] == id }
        }
    }
}
