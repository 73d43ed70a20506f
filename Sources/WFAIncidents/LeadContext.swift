public import WFACore

/// The nodes one artifact names, split by the part they play: the **actors** (who did it: the
/// client, else the host it happened on, else the account) and the **others** (targets, accounts,
/// files). Incidents are keyed by actors, so two attackers who try the same account on the same
/// server stay two incidents.
public struct LeadContext: Sendable, Hashable {
    public var actors: [Node.ID]
    public var others: [Node.ID]
    /// Flags of the nodes as the graph knows them (absent: no flags).
    public var flags: [Node.ID: NodeFlags]
    /// The graph edges the artifact made, kept on the incident for its graph view.
    public var edges: [Edge.ID] = []

    public init(actors: [Node.ID], others: [Node.ID], flags: [Node.ID: NodeFlags] = [:]) {
        self.actors = actors
        self.others = others
        self.flags = flags
    }

    /// Reads the roles from the artifact's normalized fields; graph `flags` may be added later.
    public init(_ artifact: Artifact, flags: [Node.ID: NodeFlags] = [:]) {
        func id(_ type: NodeType, _ value: String?) -> Node.ID? {
            guard let value, !value.isEmpty else { return nil }
            return Node.ID(entity: EntityKey(type: type, value: value))
        }
        let client = [id(.ip, artifact.clientIP?.description), id(.host, artifact.clientHostname?.rawValue)]
            .compactMap { $0 }
        let server = [id(.ip, artifact.serverIP?.description), id(.host, artifact.serverHostname?.rawValue)]
            .compactMap { $0 }
        let user = [id(.user, artifact.userName?.lowercased())].compactMap { $0 }
        let actors = !client.isEmpty ? client : !server.isEmpty ? server : user
        var others: [Node.ID] = []
        for key in artifact.entityKeys {
            let node = Node.ID(entity: key)
            if !actors.contains(node), !others.contains(node) { others.append(node) }
        }
        self.init(actors: actors, others: others, flags: flags)
    }

    /// Every node, actors first.
    public var nodes: [Node.ID] { self.actors + self.others }

    /// Actors that may key an incident: infrastructure (DNS servers, gateways, scanners) talks to
    /// everything and must not glue incidents together.
    var keys: [Node.ID] { self.actors.filter { self.flags[$0]?.infrastructure != true } }
}
