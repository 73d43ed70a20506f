package import Foundation

extension WireFormat {
    /// `artifact` as `makeEncoder()` would encode it, written directly: the document every event
    /// is sent and stored as. Without `raw` for stores that keep the bytes in a column of their own.
    public static func encode(_ artifact: Artifact, includingRaw: Bool = true) -> [UInt8] {
        var writer = JSONDocumentWriter(reservingCapacity: 512 + artifact.raw.count * 2)
        Self.write(artifact, includingRaw: includingRaw, to: &writer)
        return writer.bytes
    }

    /// `event` as `makeEncoder()` would encode it.
    public static func encode(_ event: GraphEvent) -> [UInt8] {
        Self.encodeGraphEvent(
            artifactDocument: Self.encode(event.artifact), nodeIDs: event.nodeIDs, edgeIDs: event.edgeIDs)
    }

    /// A graph event around an artifact document already written (the graph-processor forwards the
    /// one it received rather than writing the artifact again).
    public static func encodeGraphEvent(artifactDocument: [UInt8], nodeIDs: [Node.ID], edgeIDs: [Edge.ID]) -> [UInt8] {
        var writer = JSONDocumentWriter(
            reservingCapacity: artifactDocument.count + 64 * (nodeIDs.count + edgeIDs.count) + 48)
        writer.beginObject()
        writer.key("artifact")
        writer.json(artifactDocument)
        writer.key("edge_ids")
        writer.strings(edgeIDs.lazy.map(\.rawValue))
        writer.key("node_ids")
        writer.strings(nodeIDs.lazy.map(\.rawValue))
        writer.endObject()
        return writer.bytes
    }

    /// The members in sorted key order, each written when `Artifact.encode(to:)` writes it.
    private static func write(_ artifact: Artifact, includingRaw: Bool, to writer: inout JSONDocumentWriter) {
        writer.beginObject()
        writer.member("action", artifact.action)
        if !artifact.attackTechniqueIDs.isEmpty {
            writer.key("attack_technique_ids")
            writer.strings(artifact.attackTechniqueIDs)
        }
        writer.member("client_bytes", artifact.clientBytes)
        writer.member("client_hostname", artifact.clientHostname?.rawValue)
        writer.member("client_ip", artifact.clientIP?.description)
        writer.member("client_mac", artifact.clientMAC)
        writer.member("client_packets", artifact.clientPackets)
        writer.member("client_port", artifact.clientPort)
        writer.member("cve", artifact.cve)
        writer.member("email_from", artifact.emailFrom)
        writer.member("email_subject", artifact.emailSubject)
        writer.member("email_to", artifact.emailTo)
        if !artifact.entities.isEmpty {
            writer.key("entities")
            writer.beginArray()
            for entity in artifact.entities {
                writer.beginObject()
                writer.member("type", entity.type.rawValue)
                writer.member("value", entity.value)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.member("facility", artifact.facility)
        if !artifact.fields.isEmpty {
            writer.key("fields")
            writer.beginObject()
            // JSONEncoder's order: keys compared as UTF-8 bytes.
            for (key, value) in artifact.fields.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                writer.member(key, value)
            }
            writer.endObject()
        }
        writer.member("file_hash", artifact.fileHash)
        writer.member("file_name", artifact.fileName)
        writer.member("file_path", artifact.filePath)
        writer.member("fqdn", artifact.fqdn?.rawValue)
        writer.member("id", artifact.id.rawValue)
        if !artifact.matchedLeadRules.isEmpty {
            writer.key("matched_lead_rules")
            writer.strings(artifact.matchedLeadRules)
        }
        writer.member("message_type", artifact.messageType.rawValue)
        writer.member("org_id", artifact.orgID.rawValue)
        writer.member("pid", artifact.pid)
        writer.member("product", artifact.product)
        writer.member("program", artifact.program)
        writer.member("protocol", artifact.protocol)
        if includingRaw, !artifact.raw.isEmpty {
            writer.key("raw")
            writer.bytesInBase64(artifact.raw)
        }
        writer.key("received_at")
        writer.timestamp(artifact.receivedAt)
        writer.member("rule_name", artifact.ruleName)
        writer.member("server_bytes", artifact.serverBytes)
        writer.member("server_hostname", artifact.serverHostname?.rawValue)
        writer.member("server_ip", artifact.serverIP?.description)
        writer.member("server_mac", artifact.serverMAC)
        writer.member("server_packets", artifact.serverPackets)
        writer.member("server_port", artifact.serverPort)
        writer.member("severity_code", artifact.severityCode.rawValue)
        writer.member("source", artifact.source)
        writer.member("stream_name", artifact.streamName)
        if !artifact.tags.isEmpty {
            writer.key("tags")
            writer.strings(artifact.tags)
        }
        writer.key("timestamp")
        writer.timestamp(artifact.timestamp)
        writer.member("uri", artifact.uri)
        writer.member("user_name", artifact.userName)
        writer.member("vendor", artifact.vendor)
        writer.member("vendor_code", artifact.vendorCode)
        writer.endObject()
    }
}

extension WireFormat {
    /// Reads an artifact document: what `makeDecoder()` reads, without its boxed intermediate
    /// values. A document in any shape the fast reader does not expect goes to `JSONDecoder`, so
    /// both accept, and refuse with the same errors, the same documents.
    public static func decode(_ type: Artifact.Type, from bytes: [UInt8]) throws -> Artifact {
        if let artifact = Self.readArtifact(bytes) { return artifact }
        return try Self.makeDecoder().decode(Artifact.self, from: Data(bytes))
    }

    /// Reads a graph event document, like `decode(_:from:)` for artifacts.
    public static func decode(_ type: GraphEvent.Type, from bytes: [UInt8]) throws -> GraphEvent {
        if let event = Self.readGraphEvent(bytes) { return event }
        return try Self.makeDecoder().decode(GraphEvent.self, from: Data(bytes))
    }

    /// The fast reader alone: nil for whatever it leaves to `JSONDecoder`.
    package static func readArtifact(_ bytes: [UInt8]) -> Artifact? {
        guard let object = JSONScanner.document(in: bytes[...]), object.isObject else { return nil }
        return try? Artifact(document: object)
    }

    package static func readGraphEvent(_ bytes: [UInt8]) -> GraphEvent? {
        guard let object = JSONScanner.document(in: bytes[...]), object.isObject else { return nil }
        return try? GraphEvent(document: object)
    }
}

/// A member a document reader does not expect (missing, or of another type); the caller hands the
/// document to `JSONDecoder` instead.
package struct UnexpectedMember: Error {
    package init() {}
}

extension GraphEvent {
    fileprivate init(document: JSONNode) throws(UnexpectedMember) {
        let nodeIDs = document.firstValue(of: "node_ids")
        let edgeIDs = document.firstValue(of: "edge_ids")
        guard let artifact = document.firstValue(of: "artifact"), artifact.isObject, nodeIDs != nil, edgeIDs != nil
        else {
            throw UnexpectedMember()
        }
        self.init(
            artifact: try Artifact(document: artifact),
            nodeIDs: try nodeIDs.strings().map(Node.ID.init(rawValue:)),
            edgeIDs: try edgeIDs.strings().map(Edge.ID.init(rawValue:)))
    }
}

extension Artifact {
    // One pass over the members, each matched against the keys `init(from:)` reads; others are
    // ignored, as there. Backwards, so that of a key written twice the first one stays, as with
    // JSONDecoder.
    fileprivate init(document: JSONNode) throws(UnexpectedMember) {
        var id: String?
        var orgID: String?
        var timestamp: Date?
        var receivedAt: Date?
        var source: String?
        self.init(orgID: "", timestamp: Date(timeIntervalSince1970: 0), source: "", raw: [])
        for (key, value) in document.members.reversed() {
            let element = Optional(value)
            switch key {
            case "id": id = try element.string()
            case "org_id": orgID = try element.string()
            case "timestamp": timestamp = try element.date()
            case "received_at": receivedAt = try element.date()
            case "source": source = try element.string()
            case "stream_name": self.streamName = try element.string() ?? "unknown"
            case "message_type": self.messageType = try element.string().map(MessageType.init(rawValue:)) ?? .unknown
            case "action": self.action = try element.string()
            case "severity_code":
                guard let code = try element.integer(Int.self) else {
                    self.severityCode = .info
                    continue
                }
                guard let severity = SeverityCode(rawValue: code) else { throw UnexpectedMember() }
                self.severityCode = severity
            case "client_ip": self.clientIP = try element.address()
            case "client_port": self.clientPort = try element.integer(Int.self)
            case "client_hostname": self.clientHostname = try element.hostName()
            case "client_mac": self.clientMAC = try element.string()
            case "client_bytes": self.clientBytes = try element.integer(Int64.self)
            case "client_packets": self.clientPackets = try element.integer(Int64.self)
            case "server_ip": self.serverIP = try element.address()
            case "server_port": self.serverPort = try element.integer(Int.self)
            case "server_hostname": self.serverHostname = try element.hostName()
            case "server_mac": self.serverMAC = try element.string()
            case "server_bytes": self.serverBytes = try element.integer(Int64.self)
            case "server_packets": self.serverPackets = try element.integer(Int64.self)
            case "protocol": self.protocol = try element.string()
            case "fqdn": self.fqdn = try element.hostName()
            case "uri": self.uri = try element.string()
            case "user_name": self.userName = try element.string()
            case "email_from": self.emailFrom = try element.string()
            case "email_to": self.emailTo = try element.string()
            case "email_subject": self.emailSubject = try element.string()
            case "file_name": self.fileName = try element.string()
            case "file_hash": self.fileHash = try element.string()
            case "file_path": self.filePath = try element.string()
            case "rule_name": self.ruleName = try element.string()
            case "cve": self.cve = try element.string()
            case "attack_technique_ids": self.attackTechniqueIDs = try element.strings()
            case "matched_lead_rules": self.matchedLeadRules = try element.strings()
            case "vendor": self.vendor = try element.string()
            case "product": self.product = try element.string()
            case "vendor_code": self.vendorCode = try element.string()
            case "program": self.program = try element.string()
            case "pid": self.pid = try element.integer(Int.self)
            case "facility": self.facility = try element.integer(Int.self)
            case "tags": self.tags = try element.strings()
            case "fields": self.fields = try element.stringsByKey()
            case "entities": self.entities = try element.entityKeys()
            case "raw":
                guard let text = try element.string() else {
                    self.raw = []
                    continue
                }
                guard let bytes = Data(base64Encoded: text) else { throw UnexpectedMember() }
                self.raw = Array(bytes)
            default: continue
            }
        }
        guard let id, let orgID, let timestamp, let receivedAt, let source else { throw UnexpectedMember() }
        self.id = ID(rawValue: id)
        self.orgID = Org.ID(rawValue: orgID)
        self.timestamp = EpochMicroseconds.normalize(timestamp)
        self.receivedAt = EpochMicroseconds.normalize(receivedAt)
        self.source = source
    }
}

extension JSONNode {
    /// The first of a key written twice, as JSONDecoder reads it.
    fileprivate func firstValue(of key: String) -> JSONNode? {
        self.members.first { $0.key == key }?.value
    }
}

/// What `decodeIfPresent` gives for a member: nil when it is missing or null.
extension JSONNode? {
    package func string() throws(UnexpectedMember) -> String? {
        guard let self, self.kind != .null else { return nil }
        guard let text = self.string else { throw UnexpectedMember() }
        return text
    }

    fileprivate func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws(UnexpectedMember) -> Integer? {
        guard let self, self.kind != .null else { return nil }
        guard self.kind == .integer, let text = self.number?.text, let value = Integer(text) else {
            throw UnexpectedMember()
        }
        return value
    }

    package func date() throws(UnexpectedMember) -> Date {
        guard let text = try self.string(), let date = TimestampFormat.date(from: text) else {
            throw UnexpectedMember()
        }
        return date
    }

    fileprivate func address() throws(UnexpectedMember) -> IPAddress? {
        guard let text = try self.string() else { return nil }
        guard let address = IPAddress(text) else { throw UnexpectedMember() }
        return address
    }

    fileprivate func hostName() throws(UnexpectedMember) -> HostName? {
        guard let text = try self.string() else { return nil }
        guard let name = HostName(rawValue: text) else { throw UnexpectedMember() }
        return name
    }

    /// An array of strings; empty when missing or null.
    fileprivate func strings() throws(UnexpectedMember) -> [String] {
        guard let self, self.kind != .null else { return [] }
        guard self.isArray else { throw UnexpectedMember() }
        return try self.elements.map { element throws(UnexpectedMember) in
            guard let text = element.string else { throw UnexpectedMember() }
            return text
        }
    }

    fileprivate func stringsByKey() throws(UnexpectedMember) -> [String: String] {
        guard let self, self.kind != .null else { return [:] }
        guard self.isObject else { throw UnexpectedMember() }
        let members = self.members
        var result: [String: String] = [:]
        result.reserveCapacity(members.count)
        for (key, value) in members.reversed() {
            guard let text = value.string else { throw UnexpectedMember() }
            result[key] = text
        }
        return result
    }

    fileprivate func entityKeys() throws(UnexpectedMember) -> [EntityKey] {
        guard let self, self.kind != .null else { return [] }
        guard self.isArray else { throw UnexpectedMember() }
        return try self.elements.map { element throws(UnexpectedMember) in
            guard element.isObject, let type = try element.firstValue(of: "type").string(),
                let value = try element.firstValue(of: "value").string()
            else { throw UnexpectedMember() }
            return EntityKey(type: NodeType(rawValue: type), value: value)
        }
    }
}
