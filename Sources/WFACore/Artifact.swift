public import Foundation

/// A normalized event: what a parser understood of one log message, with its original bytes.
///
/// Field names follow the reference product (`client_ip`, `stream_name`, ...). Times are UTC with
/// microsecond precision (see ``EpochMicroseconds``); `raw` is always the bytes as received,
/// valid UTF-8 or not.
public struct Artifact: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Artifact>

    /// The fields live in one object that copies share until one of them changes (copy on write):
    /// an artifact is copied into bus messages, batches and tasks, and copying forty-odd strings
    /// and arrays one retain at a time showed up in every profile of the pipeline.
    @usableFromInline var storage: Storage

    public var id: ID {
        @inlinable get { self.storage.fields.id }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.id
        }
    }
    public var orgID: Org.ID {
        @inlinable get { self.storage.fields.orgID }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.orgID
        }
    }
    /// Event time, as the source stated it, in UTC.
    public var timestamp: Date {
        @inlinable get { self.storage.fields.timestamp }
        set {
            self.makeUnique()
            self.storage.fields.timestamp = EpochMicroseconds.normalize(newValue)
        }
    }
    /// When wfa received the message.
    public var receivedAt: Date {
        @inlinable get { self.storage.fields.receivedAt }
        set {
            self.makeUnique()
            self.storage.fields.receivedAt = EpochMicroseconds.normalize(newValue)
        }
    }
    /// The input it came from (`syslog-udp`, `http`, `file:/var/log/auth.log`).
    public var source: String {
        @inlinable get { self.storage.fields.source }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.source
        }
    }
    public var streamName: String {
        @inlinable get { self.storage.fields.streamName }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.streamName
        }
    }
    public var messageType: MessageType {
        @inlinable get { self.storage.fields.messageType }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.messageType
        }
    }
    public var action: String? {
        @inlinable get { self.storage.fields.action }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.action
        }
    }
    public var severityCode: SeverityCode {
        @inlinable get { self.storage.fields.severityCode }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.severityCode
        }
    }

    public var clientIP: IPAddress? {
        @inlinable get { self.storage.fields.clientIP }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.clientIP
        }
    }
    public var clientPort: Int? {
        @inlinable get { self.storage.fields.clientPort }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.clientPort
        }
    }
    public var clientHostname: HostName? {
        @inlinable get { self.storage.fields.clientHostname }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.clientHostname
        }
    }
    public var clientMAC: String? {
        @inlinable get { self.storage.fields.clientMAC }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.clientMAC
        }
    }
    public var clientBytes: Int64? {
        @inlinable get { self.storage.fields.clientBytes }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.clientBytes
        }
    }
    public var clientPackets: Int64? {
        @inlinable get { self.storage.fields.clientPackets }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.clientPackets
        }
    }
    public var serverIP: IPAddress? {
        @inlinable get { self.storage.fields.serverIP }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.serverIP
        }
    }
    public var serverPort: Int? {
        @inlinable get { self.storage.fields.serverPort }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.serverPort
        }
    }
    public var serverHostname: HostName? {
        @inlinable get { self.storage.fields.serverHostname }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.serverHostname
        }
    }
    public var serverMAC: String? {
        @inlinable get { self.storage.fields.serverMAC }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.serverMAC
        }
    }
    public var serverBytes: Int64? {
        @inlinable get { self.storage.fields.serverBytes }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.serverBytes
        }
    }
    public var serverPackets: Int64? {
        @inlinable get { self.storage.fields.serverPackets }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.serverPackets
        }
    }

    public var `protocol`: String? {
        @inlinable get { self.storage.fields.`protocol` }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.`protocol`
        }
    }
    public var fqdn: HostName? {
        @inlinable get { self.storage.fields.fqdn }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.fqdn
        }
    }
    public var uri: String? {
        @inlinable get { self.storage.fields.uri }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.uri
        }
    }
    public var userName: String? {
        @inlinable get { self.storage.fields.userName }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.userName
        }
    }
    public var emailFrom: String? {
        @inlinable get { self.storage.fields.emailFrom }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.emailFrom
        }
    }
    public var emailTo: String? {
        @inlinable get { self.storage.fields.emailTo }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.emailTo
        }
    }
    public var emailSubject: String? {
        @inlinable get { self.storage.fields.emailSubject }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.emailSubject
        }
    }
    public var fileName: String? {
        @inlinable get { self.storage.fields.fileName }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.fileName
        }
    }
    public var fileHash: String? {
        @inlinable get { self.storage.fields.fileHash }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.fileHash
        }
    }
    public var filePath: String? {
        @inlinable get { self.storage.fields.filePath }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.filePath
        }
    }
    public var ruleName: String? {
        @inlinable get { self.storage.fields.ruleName }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.ruleName
        }
    }
    public var cve: String? {
        @inlinable get { self.storage.fields.cve }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.cve
        }
    }
    public var attackTechniqueIDs: [String] {
        @inlinable get { self.storage.fields.attackTechniqueIDs }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.attackTechniqueIDs
        }
    }
    public var matchedLeadRules: [String] {
        @inlinable get { self.storage.fields.matchedLeadRules }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.matchedLeadRules
        }
    }
    public var vendor: String? {
        @inlinable get { self.storage.fields.vendor }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.vendor
        }
    }
    public var product: String? {
        @inlinable get { self.storage.fields.product }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.product
        }
    }
    public var vendorCode: String? {
        @inlinable get { self.storage.fields.vendorCode }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.vendorCode
        }
    }
    public var program: String? {
        @inlinable get { self.storage.fields.program }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.program
        }
    }
    public var pid: Int? {
        @inlinable get { self.storage.fields.pid }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.pid
        }
    }
    public var facility: Int? {
        @inlinable get { self.storage.fields.facility }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.facility
        }
    }
    public var tags: [String] {
        @inlinable get { self.storage.fields.tags }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.tags
        }
    }
    /// Everything else the parser extracted, by the source's own field names.
    public var fields: [String: String] {
        @inlinable get { self.storage.fields.fields }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.fields
        }
    }
    /// Entities found in the event beyond the named fields above (addresses, domains, hashes, URLs
    /// mentioned in free text or in vendor fields without a column of their own).
    public var entities: [EntityKey] {
        @inlinable get { self.storage.fields.entities }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.entities
        }
    }
    /// The original message bytes, always kept.
    public var raw: [UInt8] {
        @inlinable get { self.storage.fields.raw }
        @inlinable _modify {
            self.makeUnique()
            yield &self.storage.fields.raw
        }
    }

    /// An artifact with the required fields; everything else starts empty.
    public init(
        id: ID = .random(),
        orgID: Org.ID,
        timestamp: Date,
        receivedAt: Date = Date(),
        source: String,
        streamName: String = "unknown",
        messageType: MessageType = .unknown,
        severityCode: SeverityCode = .info,
        raw: [UInt8]
    ) {
        self.storage = Storage(
            Fields(
                id: id, orgID: orgID, timestamp: EpochMicroseconds.normalize(timestamp),
                receivedAt: EpochMicroseconds.normalize(receivedAt), source: source, streamName: streamName,
                messageType: messageType, severityCode: severityCode, attackTechniqueIDs: [], matchedLeadRules: [],
                tags: [], fields: [:], entities: [], raw: raw))
    }

    /// Gives this artifact storage of its own before a change, unless it already has it.
    @inlinable
    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&self.storage) {
            self.storage = Storage(self.storage.fields)
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) {
        self.storage.fields.hash(into: &hasher)
    }

    /// The entities this artifact names, sorted and without duplicates: the keys of the entity index
    /// and, later, the nodes of the knowledge graph.
    public var entityKeys: [EntityKey] {
        var keys = self.namedEntityKeys + self.entities
        keys.sort()
        // Sorted, so a repeat sits next to its first occurrence.
        var unique: [EntityKey] = []
        unique.reserveCapacity(keys.count)
        for key in keys where unique.last != key { unique.append(key) }
        return unique
    }

    /// The entities the named fields carry (addresses, hosts, domain, user, e-mails, hash, URL),
    /// unsorted and possibly repeated: what a parser compares mentions against.
    public var namedEntityKeys: [EntityKey] {
        var keys: [EntityKey] = []
        keys.reserveCapacity(8)
        if let clientIP { keys.append(EntityKey(type: .ip, value: clientIP.description)) }
        if let serverIP { keys.append(EntityKey(type: .ip, value: serverIP.description)) }
        if let clientHostname { keys.append(EntityKey(type: .host, value: clientHostname.rawValue)) }
        if let serverHostname { keys.append(EntityKey(type: .host, value: serverHostname.rawValue)) }
        if let fqdn { keys.append(EntityKey(type: .domain, value: fqdn.rawValue)) }
        if let userName, !userName.isEmpty { keys.append(EntityKey(type: .user, value: userName.lowercased())) }
        if let emailFrom, !emailFrom.isEmpty { keys.append(EntityKey(type: .email, value: emailFrom.lowercased())) }
        if let emailTo, !emailTo.isEmpty { keys.append(EntityKey(type: .email, value: emailTo.lowercased())) }
        if let fileHash, !fileHash.isEmpty { keys.append(EntityKey(type: .hash, value: fileHash.lowercased())) }
        if let uri, uri.containsBytes(of: "://") { keys.append(EntityKey(type: .url, value: uri)) }
        return keys
    }

    enum CodingKeys: String, CodingKey {
        case id, timestamp, source, action, `protocol`, fqdn, uri, cve, vendor, product, program, pid, facility
        case tags, fields, entities, raw
        case orgID = "org_id"
        case receivedAt = "received_at"
        case streamName = "stream_name"
        case messageType = "message_type"
        case severityCode = "severity_code"
        case clientIP = "client_ip"
        case clientPort = "client_port"
        case clientHostname = "client_hostname"
        case clientMAC = "client_mac"
        case clientBytes = "client_bytes"
        case clientPackets = "client_packets"
        case serverIP = "server_ip"
        case serverPort = "server_port"
        case serverHostname = "server_hostname"
        case serverMAC = "server_mac"
        case serverBytes = "server_bytes"
        case serverPackets = "server_packets"
        case userName = "user_name"
        case emailFrom = "email_from"
        case emailTo = "email_to"
        case emailSubject = "email_subject"
        case fileName = "file_name"
        case fileHash = "file_hash"
        case filePath = "file_path"
        case ruleName = "rule_name"
        case attackTechniqueIDs = "attack_technique_ids"
        case matchedLeadRules = "matched_lead_rules"
        case vendorCode = "vendor_code"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(ID.self, forKey: .id), orgID: try c.decode(Org.ID.self, forKey: .orgID),
            timestamp: try c.decode(Date.self, forKey: .timestamp),
            receivedAt: try c.decode(Date.self, forKey: .receivedAt),
            source: try c.decode(String.self, forKey: .source),
            raw: [])
        self.streamName = try c.decodeIfPresent(String.self, forKey: .streamName) ?? "unknown"
        self.messageType = try c.decodeIfPresent(MessageType.self, forKey: .messageType) ?? .unknown
        self.action = try c.decodeIfPresent(String.self, forKey: .action)
        self.severityCode = try c.decodeIfPresent(SeverityCode.self, forKey: .severityCode) ?? .info
        self.clientIP = try c.decodeIfPresent(IPAddress.self, forKey: .clientIP)
        self.clientPort = try c.decodeIfPresent(Int.self, forKey: .clientPort)
        self.clientHostname = try c.decodeIfPresent(HostName.self, forKey: .clientHostname)
        self.clientMAC = try c.decodeIfPresent(String.self, forKey: .clientMAC)
        self.clientBytes = try c.decodeIfPresent(Int64.self, forKey: .clientBytes)
        self.clientPackets = try c.decodeIfPresent(Int64.self, forKey: .clientPackets)
        self.serverIP = try c.decodeIfPresent(IPAddress.self, forKey: .serverIP)
        self.serverPort = try c.decodeIfPresent(Int.self, forKey: .serverPort)
        self.serverHostname = try c.decodeIfPresent(HostName.self, forKey: .serverHostname)
        self.serverMAC = try c.decodeIfPresent(String.self, forKey: .serverMAC)
        self.serverBytes = try c.decodeIfPresent(Int64.self, forKey: .serverBytes)
        self.serverPackets = try c.decodeIfPresent(Int64.self, forKey: .serverPackets)
        self.protocol = try c.decodeIfPresent(String.self, forKey: .protocol)
        self.fqdn = try c.decodeIfPresent(HostName.self, forKey: .fqdn)
        self.uri = try c.decodeIfPresent(String.self, forKey: .uri)
        self.userName = try c.decodeIfPresent(String.self, forKey: .userName)
        self.emailFrom = try c.decodeIfPresent(String.self, forKey: .emailFrom)
        self.emailTo = try c.decodeIfPresent(String.self, forKey: .emailTo)
        self.emailSubject = try c.decodeIfPresent(String.self, forKey: .emailSubject)
        self.fileName = try c.decodeIfPresent(String.self, forKey: .fileName)
        self.fileHash = try c.decodeIfPresent(String.self, forKey: .fileHash)
        self.filePath = try c.decodeIfPresent(String.self, forKey: .filePath)
        self.ruleName = try c.decodeIfPresent(String.self, forKey: .ruleName)
        self.cve = try c.decodeIfPresent(String.self, forKey: .cve)
        self.attackTechniqueIDs = try c.decodeIfPresent([String].self, forKey: .attackTechniqueIDs) ?? []
        self.matchedLeadRules = try c.decodeIfPresent([String].self, forKey: .matchedLeadRules) ?? []
        self.vendor = try c.decodeIfPresent(String.self, forKey: .vendor)
        self.product = try c.decodeIfPresent(String.self, forKey: .product)
        self.vendorCode = try c.decodeIfPresent(String.self, forKey: .vendorCode)
        self.program = try c.decodeIfPresent(String.self, forKey: .program)
        self.pid = try c.decodeIfPresent(Int.self, forKey: .pid)
        self.facility = try c.decodeIfPresent(Int.self, forKey: .facility)
        self.tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        self.fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        self.entities = try c.decodeIfPresent([EntityKey].self, forKey: .entities) ?? []
        if let base64 = try c.decodeIfPresent(String.self, forKey: .raw) {
            guard let bytes = Data(base64Encoded: base64) else {
                throw DecodingError.dataCorruptedError(forKey: .raw, in: c, debugDescription: "raw is not base64")
            }
            self.raw = Array(bytes)
        } else {
            self.raw = []
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.id, forKey: .id)
        try c.encode(self.orgID, forKey: .orgID)
        try c.encode(self.timestamp, forKey: .timestamp)
        try c.encode(self.receivedAt, forKey: .receivedAt)
        try c.encode(self.source, forKey: .source)
        try c.encode(self.streamName, forKey: .streamName)
        try c.encode(self.messageType, forKey: .messageType)
        try c.encodeIfPresent(self.action, forKey: .action)
        try c.encode(self.severityCode, forKey: .severityCode)
        try c.encodeIfPresent(self.clientIP, forKey: .clientIP)
        try c.encodeIfPresent(self.clientPort, forKey: .clientPort)
        try c.encodeIfPresent(self.clientHostname, forKey: .clientHostname)
        try c.encodeIfPresent(self.clientMAC, forKey: .clientMAC)
        try c.encodeIfPresent(self.clientBytes, forKey: .clientBytes)
        try c.encodeIfPresent(self.clientPackets, forKey: .clientPackets)
        try c.encodeIfPresent(self.serverIP, forKey: .serverIP)
        try c.encodeIfPresent(self.serverPort, forKey: .serverPort)
        try c.encodeIfPresent(self.serverHostname, forKey: .serverHostname)
        try c.encodeIfPresent(self.serverMAC, forKey: .serverMAC)
        try c.encodeIfPresent(self.serverBytes, forKey: .serverBytes)
        try c.encodeIfPresent(self.serverPackets, forKey: .serverPackets)
        try c.encodeIfPresent(self.protocol, forKey: .protocol)
        try c.encodeIfPresent(self.fqdn, forKey: .fqdn)
        try c.encodeIfPresent(self.uri, forKey: .uri)
        try c.encodeIfPresent(self.userName, forKey: .userName)
        try c.encodeIfPresent(self.emailFrom, forKey: .emailFrom)
        try c.encodeIfPresent(self.emailTo, forKey: .emailTo)
        try c.encodeIfPresent(self.emailSubject, forKey: .emailSubject)
        try c.encodeIfPresent(self.fileName, forKey: .fileName)
        try c.encodeIfPresent(self.fileHash, forKey: .fileHash)
        try c.encodeIfPresent(self.filePath, forKey: .filePath)
        try c.encodeIfPresent(self.ruleName, forKey: .ruleName)
        try c.encodeIfPresent(self.cve, forKey: .cve)
        if !self.attackTechniqueIDs.isEmpty { try c.encode(self.attackTechniqueIDs, forKey: .attackTechniqueIDs) }
        if !self.matchedLeadRules.isEmpty { try c.encode(self.matchedLeadRules, forKey: .matchedLeadRules) }
        try c.encodeIfPresent(self.vendor, forKey: .vendor)
        try c.encodeIfPresent(self.product, forKey: .product)
        try c.encodeIfPresent(self.vendorCode, forKey: .vendorCode)
        try c.encodeIfPresent(self.program, forKey: .program)
        try c.encodeIfPresent(self.pid, forKey: .pid)
        try c.encodeIfPresent(self.facility, forKey: .facility)
        if !self.tags.isEmpty { try c.encode(self.tags, forKey: .tags) }
        if !self.fields.isEmpty { try c.encode(self.fields, forKey: .fields) }
        if !self.entities.isEmpty { try c.encode(self.entities, forKey: .entities) }
        if !self.raw.isEmpty { try c.encode(Data(self.raw).base64EncodedString(), forKey: .raw) }
    }
}
