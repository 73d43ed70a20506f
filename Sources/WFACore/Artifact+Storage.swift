public import Foundation

extension Artifact {
    /// The shared box behind an Artifact. Written only while one artifact holds it
    /// (`makeUnique()` copies it first otherwise), so sharing it across tasks is safe.
    @usableFromInline
    final class Storage: @unchecked Sendable {
        // Accessed only through Artifact's copy-on-write accessors, which never overlap; the
        // dynamic exclusivity check on every field access would cost more than the copies saved.
        @exclusivity(unchecked) @usableFromInline var fields: Fields

        @usableFromInline
        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    /// An artifact's stored fields; see the properties of Artifact for what each holds.
    @usableFromInline
    struct Fields: Hashable, Sendable {
        @usableFromInline var id: ID
        @usableFromInline var orgID: Org.ID
        @usableFromInline var timestamp: Date
        @usableFromInline var receivedAt: Date
        @usableFromInline var source: String
        @usableFromInline var streamName: String
        @usableFromInline var messageType: MessageType
        @usableFromInline var action: String?
        @usableFromInline var severityCode: SeverityCode
        @usableFromInline var clientIP: IPAddress?
        @usableFromInline var clientPort: Int?
        @usableFromInline var clientHostname: HostName?
        @usableFromInline var clientMAC: String?
        @usableFromInline var clientBytes: Int64?
        @usableFromInline var clientPackets: Int64?
        @usableFromInline var serverIP: IPAddress?
        @usableFromInline var serverPort: Int?
        @usableFromInline var serverHostname: HostName?
        @usableFromInline var serverMAC: String?
        @usableFromInline var serverBytes: Int64?
        @usableFromInline var serverPackets: Int64?
        @usableFromInline var `protocol`: String?
        @usableFromInline var fqdn: HostName?
        @usableFromInline var uri: String?
        @usableFromInline var userName: String?
        @usableFromInline var emailFrom: String?
        @usableFromInline var emailTo: String?
        @usableFromInline var emailSubject: String?
        @usableFromInline var fileName: String?
        @usableFromInline var fileHash: String?
        @usableFromInline var filePath: String?
        @usableFromInline var ruleName: String?
        @usableFromInline var cve: String?
        @usableFromInline var attackTechniqueIDs: [String]
        @usableFromInline var matchedLeadRules: [String]
        @usableFromInline var vendor: String?
        @usableFromInline var product: String?
        @usableFromInline var vendorCode: String?
        @usableFromInline var program: String?
        @usableFromInline var pid: Int?
        @usableFromInline var facility: Int?
        @usableFromInline var tags: [String]
        @usableFromInline var fields: [String: String]
        @usableFromInline var entities: [EntityKey]
        @usableFromInline var raw: [UInt8]
    }
}
