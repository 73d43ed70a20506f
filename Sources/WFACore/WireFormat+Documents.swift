public import Foundation

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
        var writer = JSONDocumentWriter(reservingCapacity: 768 + event.artifact.raw.count * 2)
        writer.beginObject()
        writer.key("artifact")
        Self.write(event.artifact, includingRaw: true, to: &writer)
        writer.key("edge_ids")
        writer.strings(event.edgeIDs.lazy.map(\.rawValue))
        writer.key("node_ids")
        writer.strings(event.nodeIDs.lazy.map(\.rawValue))
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

extension JSONDocumentWriter {
    /// A time as ``TimestampFormat`` writes it, in quotes.
    mutating func timestamp(_ date: Date) {
        var text: [UInt8] = [UInt8(ascii: "\"")]
        text.reserveCapacity(30)
        TimestampFormat.append(date, to: &text)
        text.append(UInt8(ascii: "\""))
        self.json(text)
    }

    /// Bytes as a base64 string (the alphabet needs no escapes).
    mutating func bytesInBase64(_ bytes: [UInt8]) {
        var text: [UInt8] = [UInt8(ascii: "\"")]
        text += Data(bytes).base64EncodedData()
        text.append(UInt8(ascii: "\""))
        self.json(text)
    }
}
