import WFACore

/// pfSense and OPNsense `filterlog`: one CSV record per packet the firewall logged,
/// `rule,subrule,anchor,tracker,interface,reason,action,direction,ipversion,...`. The layout after
/// the IP version depends on it (IPv4 and IPv6 headers differ) and on the protocol (ports for TCP
/// and UDP, flags for TCP).
enum FilterlogParser {
    /// Where the protocol name, source and destination sit for each IP version.
    struct Layout {
        let protocolName: Int
        let length: Int
        let source: Int
        let extras: [Int: String]
    }

    static let ipv4 = Layout(
        protocolName: 16, length: 17, source: 18,
        extras: [9: "tos", 11: "ttl", 12: "ip_id", 14: "ip_flags", 15: "protocol_id"])
    static let ipv6 = Layout(
        protocolName: 12, length: 14, source: 15,
        extras: [9: "class", 10: "flow_label", 11: "hop_limit", 13: "protocol_id"])

    static func parse(_ body: ArraySlice<UInt8>, into artifact: inout Artifact) -> Bool {
        let fields = DelimitedFields.split(body)
        guard fields.count > 9, fields[3].utf8.decimalValue != nil || fields[3].isEmpty,
            ["4", "6"].contains(fields[8])
        else { return false }
        let layout = fields[8] == "4" ? Self.ipv4 : Self.ipv6
        guard fields.count > layout.source + 1 else { return false }
        artifact.vendor = "netgate"
        artifact.product = "pfsense"
        artifact.streamName = "firewall"
        artifact.messageType = .networkFlow
        artifact.fields["rule_number"] = fields[0]
        artifact.fields["tracker"] = fields[3]
        artifact.fields["interface"] = fields[4]
        artifact.fields["reason"] = fields[5]
        artifact.fields["direction"] = fields[7]
        artifact.fields["ip_version"] = fields[8]
        artifact.vendorCode = fields[3]
        artifact.assign(fields[6], to: .action)
        artifact.severityCode = fields[6] == "pass" ? .info : .low
        for (position, name) in layout.extras where position < fields.count && !fields[position].isEmpty {
            artifact.fields[name] = fields[position]
        }
        let protocolName = fields[layout.protocolName].lowercased()
        artifact.protocol = protocolName
        artifact.fields["length"] = fields[layout.length]
        // An inbound packet's source is the peer outside; either way the source started the flow
        // as far as the packet shows.
        artifact.assign(fields[layout.source], to: .clientIP)
        artifact.assign(fields[layout.source + 1], to: .serverIP)
        let afterAddresses = layout.source + 2
        switch protocolName {
        case "tcp", "udp":
            if afterAddresses + 1 < fields.count {
                artifact.assign(fields[afterAddresses], to: .clientPort)
                artifact.assign(fields[afterAddresses + 1], to: .serverPort)
            }
            if protocolName == "tcp", afterAddresses + 3 < fields.count, !fields[afterAddresses + 3].isEmpty {
                artifact.fields["tcp_flags"] = fields[afterAddresses + 3]
            }
        case "icmp", "ipv6-icmp":
            if afterAddresses < fields.count, !fields[afterAddresses].isEmpty {
                artifact.fields["icmp_type"] = fields[afterAddresses]
            }
        default: break
        }
        return true
    }
}
