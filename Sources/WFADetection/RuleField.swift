public import WFACore

/// A field of an artifact that a rule can name: a normalized column, or a name the parser kept in
/// ``Artifact/fields``.
///
/// Rules written for the reference product say `streamName`, ours say `stream_name`; both spell
/// the same field, so names are matched without case or underscores.
public enum RuleField: Sendable, Hashable, CustomStringConvertible {
    case source, streamName, messageType, action, severityCode, severityLabel
    case clientIP, clientPort, clientHostname, clientMAC, clientBytes, clientPackets
    case serverIP, serverPort, serverHostname, serverMAC, serverBytes, serverPackets
    case `protocol`, fqdn, uri, userName, emailFrom, emailTo, emailSubject
    case fileName, fileHash, filePath, ruleName, cve, attackTechniqueIDs, matchedLeadRules
    case vendor, product, vendorCode, program, pid, facility, tags
    /// The original message as text.
    case raw
    /// A name the parser kept in ``Artifact/fields`` (`fields.CommandLine`).
    case extracted(String)

    private static let named: [RuleField] = [
        .source, .streamName, .messageType, .action, .severityCode, .severityLabel,
        .clientIP, .clientPort, .clientHostname, .clientMAC, .clientBytes, .clientPackets,
        .serverIP, .serverPort, .serverHostname, .serverMAC, .serverBytes, .serverPackets,
        .protocol, .fqdn, .uri, .userName, .emailFrom, .emailTo, .emailSubject,
        .fileName, .fileHash, .filePath, .ruleName, .cve, .attackTechniqueIDs, .matchedLeadRules,
        .vendor, .product, .vendorCode, .program, .pid, .facility, .tags, .raw,
    ]

    private static let byFoldedName: [String: RuleField] = Dictionary(
        uniqueKeysWithValues: Self.named.map { (Self.fold($0.description), $0) })

    /// Reads `stream_name`, `streamName` or `fields.X`; nil for a name that is no column.
    public init?(name: String) {
        if name.hasPrefix("fields."), name.count > 7 {
            self = .extracted(String(name.dropFirst(7)))
            return
        }
        guard let field = Self.byFoldedName[Self.fold(name)] else { return nil }
        self = field
    }

    private static func fold(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" })
    }

    /// The snake_case name the API and storage use.
    public var description: String {
        switch self {
        case .source: "source"
        case .streamName: "stream_name"
        case .messageType: "message_type"
        case .action: "action"
        case .severityCode: "severity_code"
        case .severityLabel: "severity_label"
        case .clientIP: "client_ip"
        case .clientPort: "client_port"
        case .clientHostname: "client_hostname"
        case .clientMAC: "client_mac"
        case .clientBytes: "client_bytes"
        case .clientPackets: "client_packets"
        case .serverIP: "server_ip"
        case .serverPort: "server_port"
        case .serverHostname: "server_hostname"
        case .serverMAC: "server_mac"
        case .serverBytes: "server_bytes"
        case .serverPackets: "server_packets"
        case .protocol: "protocol"
        case .fqdn: "fqdn"
        case .uri: "uri"
        case .userName: "user_name"
        case .emailFrom: "email_from"
        case .emailTo: "email_to"
        case .emailSubject: "email_subject"
        case .fileName: "file_name"
        case .fileHash: "file_hash"
        case .filePath: "file_path"
        case .ruleName: "rule_name"
        case .cve: "cve"
        case .attackTechniqueIDs: "attack_technique_ids"
        case .matchedLeadRules: "matched_lead_rules"
        case .vendor: "vendor"
        case .product: "product"
        case .vendorCode: "vendor_code"
        case .program: "program"
        case .pid: "pid"
        case .facility: "facility"
        case .tags: "tags"
        case .raw: "raw"
        case .extracted(let name): "fields.\(name)"
        }
    }

    /// The field's values in `artifact`: none when it is absent, several for lists (`tags`).
    public func values(in artifact: Artifact) -> [String] {
        switch self {
        case .tags: return artifact.tags
        case .attackTechniqueIDs: return artifact.attackTechniqueIDs
        case .matchedLeadRules: return artifact.matchedLeadRules
        default: return self.value(in: artifact).map { [$0] } ?? []
        }
    }

    /// The field's value as text, nil when absent; list fields give nil (use ``values(in:)``).
    public func value(in artifact: Artifact) -> String? {
        switch self {
        case .source: artifact.source
        case .streamName: artifact.streamName
        case .messageType: artifact.messageType.rawValue
        case .action: artifact.action
        case .severityCode: String(artifact.severityCode.rawValue)
        case .severityLabel: Self.label(of: artifact.severityCode)
        case .clientIP: artifact.clientIP?.description
        case .clientPort: artifact.clientPort.map(String.init)
        case .clientHostname: artifact.clientHostname?.rawValue
        case .clientMAC: artifact.clientMAC
        case .clientBytes: artifact.clientBytes.map(String.init)
        case .clientPackets: artifact.clientPackets.map(String.init)
        case .serverIP: artifact.serverIP?.description
        case .serverPort: artifact.serverPort.map(String.init)
        case .serverHostname: artifact.serverHostname?.rawValue
        case .serverMAC: artifact.serverMAC
        case .serverBytes: artifact.serverBytes.map(String.init)
        case .serverPackets: artifact.serverPackets.map(String.init)
        case .protocol: artifact.protocol
        case .fqdn: artifact.fqdn?.rawValue
        case .uri: artifact.uri
        case .userName: artifact.userName
        case .emailFrom: artifact.emailFrom
        case .emailTo: artifact.emailTo
        case .emailSubject: artifact.emailSubject
        case .fileName: artifact.fileName
        case .fileHash: artifact.fileHash
        case .filePath: artifact.filePath
        case .ruleName: artifact.ruleName
        case .cve: artifact.cve
        case .vendor: artifact.vendor
        case .product: artifact.product
        case .vendorCode: artifact.vendorCode
        case .program: artifact.program
        case .pid: artifact.pid.map(String.init)
        case .facility: artifact.facility.map(String.init)
        case .raw: String(decoding: artifact.raw, as: UTF8.self)
        case .extracted(let name): artifact.fields[name]
        case .tags, .attackTechniqueIDs, .matchedLeadRules: nil
        }
    }

    /// The reference product's severity words, which its rules compare against (`severityLabel = "High"`).
    static func label(of code: SeverityCode) -> String {
        switch code {
        case .critical: "Critical"
        case .high: "High"
        case .medium: "Medium"
        case .low: "Low"
        case .info: "Info"
        }
    }
}
