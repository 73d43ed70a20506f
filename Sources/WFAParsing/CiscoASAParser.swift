import WFACore

/// Cisco ASA and Firepower Threat Defense: `%ASA-6-302013: Built outbound TCP connection ...` after
/// an optional syslog header. The message id decides what the text means and in which order it
/// names the two ends; FTD's own 4300xx events are `Key: value` lists instead of prose.
enum CiscoASAParser {
    /// Which named endpoint started the conversation.
    enum Order {
        /// `from A to B`, `src A dst B`: A is the client.
        case sourceFirst
        /// `Built inbound ... for A to B`: A is the client; `outbound`: B is.
        case byDirection
        /// Teardowns do not say who opened the connection; the well-known port tells, else as outbound.
        case byPort
        /// The text names addresses that are not the two ends (AAA servers): only named keys count.
        case none
    }

    struct Kind {
        let type: MessageType
        let action: String?
        let order: Order
        init(_ type: MessageType, _ action: String? = nil, _ order: Order = .sourceFirst) {
            self.type = type
            self.action = action
            self.order = order
        }
    }

    static let messages: [Int: Kind] = {
        var table: [Int: Kind] = [:]
        for id in [106001, 106002, 106006, 106007, 106010, 106014, 106015, 106021, 106023, 710003] {
            table[id] = Kind(.networkFlow, "deny")
        }
        table[106100] = Kind(.networkFlow)
        for id in [302013, 302015, 302017, 302020] { table[id] = Kind(.networkFlow, "built", .byDirection) }
        for id in [302014, 302016, 302018, 302021] { table[id] = Kind(.networkFlow, "teardown", .byPort) }
        for id in [305011, 305012] { table[id] = Kind("nat_translation") }
        for id in [113004, 113008, 113012, 611101] { table[id] = Kind(.authSuccess, "success", .none) }
        for id in [113005, 113006, 113015, 611102, 716039] { table[id] = Kind(.authFailure, "failure", .none) }
        table[605004] = Kind(.authFailure, "failure")
        table[605005] = Kind(.authSuccess, "success")
        for id in [716001, 716002, 722051] { table[id] = Kind("vpn_session", nil, .none) }
        for id in [111008, 111010] { table[id] = Kind(.configChange, nil, .none) }
        table[502103] = Kind(.privilegeEscalation, nil, .none)
        for id in [106016, 106017] { table[id] = Kind(.exploitAttempt, "deny") }
        for id in 338001...338008 { table[id] = Kind(.malwareDetected) }
        for id in 400000...400050 { table[id] = Kind(.exploitAttempt) }
        table[733100] = Kind(.idsEvent, nil, .none)
        return table
    }()

    /// FTD `Key: value` names onto artifact fields.
    static let eventMapping: FieldMapping = [
        "SrcIP": .clientIP, "DstIP": .serverIP, "SrcPort": .clientPort, "DstPort": .serverPort,
        "Protocol": .protocol, "AccessControlRuleAction": .action, "User": .userName, "URL": .uri,
        "DNSQuery": .fqdn, "InitiatorBytes": .clientBytes, "ResponderBytes": .serverBytes,
        "InitiatorPackets": .clientPackets, "ResponderPackets": .serverPackets, "SHA256": .fileHash,
        "FileName": .fileName, "Message": .ruleName, "ThreatName": .ruleName, "Sender": .emailFrom,
    ]

    static let wellKnownPorts = ["ssh": 22, "telnet": 23, "http": 80, "https": 443, "www": 80, "ftp": 21, "smtp": 25]

    /// Where `%ASA-`, `%FTD-` or `%PIX-` starts, within the header-sized prefix of a line.
    static func marker(in bytes: [UInt8]) -> Int? {
        var index = 0
        let limit = min(bytes.count - 8, 160)
        while index < limit {
            if bytes[index] == UInt8(ascii: "%"), bytes[index + 4] == UInt8(ascii: "-"),
                bytes[(index + 1)..<(index + 4)].elementsEqual("ASA".utf8)
                    || bytes[(index + 1)..<(index + 4)].elementsEqual("FTD".utf8)
                    || bytes[(index + 1)..<(index + 4)].elementsEqual("PIX".utf8)
            {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Parses from the marker `%ASA-<level>-<id>: text`. False when the marker is not followed by one.
    ///
    /// Works on the line's bytes throughout: ASA prose is ASCII, and Character-based splitting and
    /// Foundation's searches took two thirds of the parse.
    static func parse(_ bytes: [UInt8], from start: Int, into artifact: inout Artifact) -> Bool {
        // `%ASA-6-302013:`
        var index = start + 5
        guard index + 2 < bytes.count, bytes[index].isDigit, bytes[index + 1] == UInt8(ascii: "-") else { return false }
        let level = Int(bytes[index] &- 0x30)
        index += 2
        let idStart = index
        while index < bytes.count, bytes[index].isDigit { index += 1 }
        guard let id = bytes[idStart..<index].decimalValue, index < bytes.count, bytes[index] == .colon else {
            return false
        }
        let product = bytes[(start + 1)..<(start + 4)].utf8String.lowercased()
        let body = bytes[(index + 1)...].trimmingWhitespace
        let text = body.utf8String
        artifact.vendor = "cisco"
        artifact.product = product
        artifact.program = nil
        artifact.vendorCode = "\(product.uppercased())-\(level)-\(id)"
        artifact.streamName = "cisco_\(product)"
        artifact.severityCode = LogParser.severityCode(syslog: level)
        if (430001...430005).contains(id) {
            Self.parseEvent(id: id, body: body, into: &artifact)
            return true
        }
        artifact.fields["message"] = text
        let kind = Self.messages[id] ?? Kind(MessageTypeHeuristics.classify([text], default: "cisco_event"), nil, .none)
        artifact.messageType = kind.type
        let words = body.words(separatedBy: .space)
        Self.placeEndpoints(words, order: kind.order, into: &artifact)
        if let named = words.prefix(5).lazy.map({ $0.utf8String.lowercased() }).first(where: Self.protocols.contains) {
            artifact.protocol = named
        }
        if let action = kind.action {
            artifact.action = action
        } else if id == 106100 {
            artifact.action = ByteSearch.firstOffset(of: Self.denied, in: body) != nil ? "deny" : "permit"
        }
        Self.readNamedValues(body, into: &artifact)
        return true
    }

    static let protocols: Set<String> = ["tcp", "udp", "icmp", "gre", "esp", "ip"]
    static let denied = Array(" denied ".utf8)
    static let outbound = Array("outbound".utf8)

    /// Reads the two ends a message names (`outside:1.2.3.4/443`, `inside/10.0.0.1(51000)`,
    /// `1.2.3.4`), skipping the translated addresses ASA adds in parentheses.
    private static func placeEndpoints(_ words: [ArraySlice<UInt8>], order: Order, into artifact: inout Artifact) {
        guard order != .none else { return }
        var ends: [(address: IPAddress, port: Int?)] = []
        for word in words where word.first != UInt8(ascii: "(") {
            var token = word
            while let last = token.last, last == .comma || last == UInt8(ascii: ";") || last == UInt8(ascii: ".") {
                token = token.dropLast()
            }
            if let end = Self.endpoint(token) { ends.append(end) }
            if ends.count == 2 { break }
        }
        guard let first = ends.first else { return }
        var clientFirst = true
        switch order {
        case .byDirection: clientFirst = !words.contains { $0.elementsEqual(Self.outbound) }
        case .byPort:
            if ends.count == 2, let firstPort = first.port, let secondPort = ends[1].port {
                clientFirst = secondPort < 1024 && firstPort >= 1024
            } else {
                clientFirst = false
            }
        default: break
        }
        let (client, server) = ends.count < 2 ? (first, nil) : clientFirst ? (first, ends[1]) : (ends[1], first)
        artifact.clientIP = client.address
        artifact.clientPort = client.port
        if let server {
            artifact.serverIP = server.address
            artifact.serverPort = server.port
        }
    }

    /// `[interface:]address[/port]` or `[interface/]address[(port)]`; the port may be a service name.
    static func endpoint(_ token: ArraySlice<UInt8>) -> (address: IPAddress, port: Int?)? {
        // Every address has a dot or a colon; most words of the prose have neither.
        guard token.contains(where: { $0 == UInt8(ascii: ".") || $0 == .colon }) else { return nil }
        var rest = token
        var port: Int?
        if rest.last == UInt8(ascii: ")"), let open = rest.lastIndex(of: UInt8(ascii: "(")) {
            port = rest[(open + 1)..<(rest.endIndex - 1)].portValue
            rest = rest[..<open]
        } else if let slash = rest.lastIndex(of: UInt8(ascii: "/")) {
            let suffix = rest[(slash + 1)...]
            if let number = suffix.portValue {
                port = number
                rest = rest[..<slash]
            } else if let known = Self.wellKnownPorts[suffix.utf8String] {
                port = known
                rest = rest[..<slash]
            }
        }
        if let address = IPAddress(utf8: rest) { return (address, port) }
        // Drop the interface name: `outside:` (IPv6 addresses follow it with their own colons) or `inside/`.
        guard let separator = rest.firstIndex(where: { $0 == .colon || $0 == UInt8(ascii: "/") }),
            let address = IPAddress(utf8: rest[(separator + 1)...])
        else { return nil }
        return (address, port)
    }

    /// A value ASA names in prose: the text after `prefix` up to `terminator`.
    struct Pattern {
        let prefix: [UInt8]
        let terminator: UInt8

        init(_ prefix: String, _ terminator: Unicode.Scalar) {
            self.prefix = Array(prefix.utf8)
            self.terminator = UInt8(ascii: terminator)
        }
    }

    static let userPatterns = [
        Pattern("Uname: ", ","), Pattern("User <", ">"), Pattern("Username = ", " "), Pattern("user = ", " "),
        Pattern("user \"", "\""), Pattern("user '", "'"), Pattern("User '", "'"), Pattern("Username: ", ","),
    ]
    static let addressPatterns = [
        Pattern("user IP = ", " "), Pattern("IP <", ">"), Pattern("IP address: ", ","), Pattern("IP = ", " "),
    ]
    static let bytesPattern = Pattern(" bytes ", " ")
    static let durationPattern = Pattern(" duration ", " ")
    static let rulePatterns = [Pattern("access-group \"", "\""), Pattern("access-list ", " ")]
    static let commandPatterns = [Pattern("executed the '", "'"), Pattern("executed '", "'")]

    /// Values ASA names in prose: users (`user = x`, `user 'x'`, `User <x>`, `Uname: x`), the
    /// user's address (`user IP = a`, `IP <a>`, `IP address: a`), bytes, ACL names.
    private static func readNamedValues(_ text: ArraySlice<UInt8>, into artifact: inout Artifact) {
        if let user = Self.userPatterns.lazy.compactMap({ Self.value(of: $0, in: text) }).first {
            artifact.assign(user.utf8String, to: .userName)
        }
        if artifact.clientIP == nil {
            artifact.clientIP =
                Self.addressPatterns.lazy.compactMap { pattern in
                    Self.value(of: pattern, in: text).flatMap { IPAddress(utf8: $0) }
                }.first
        }
        if let bytes = Self.value(of: Self.bytesPattern, in: text), bytes.decimalValue != nil {
            artifact.fields["bytes"] = bytes.utf8String
        }
        if let duration = Self.value(of: Self.durationPattern, in: text) {
            artifact.fields["duration"] = duration.utf8String
        }
        if let group = Self.rulePatterns.lazy.compactMap({ Self.value(of: $0, in: text) }).first {
            artifact.ruleName = group.utf8String
        }
        if let command = Self.commandPatterns.lazy.compactMap({ Self.value(of: $0, in: text) }).first {
            artifact.fields["command"] = command.utf8String
        }
    }

    /// FTD connection, intrusion and file events: `Key: value, Key: value, ...`.
    private static func parseEvent(id: Int, body: ArraySlice<UInt8>, into artifact: inout Artifact) {
        var pairs: [(String, String)] = []
        var rest = body
        while !rest.isEmpty {
            let end = ByteSearch.firstOffset(of: Self.pairSeparator, in: rest) ?? rest.endIndex
            let segment = rest[..<end]
            rest = end == rest.endIndex ? [] : rest[(end + Self.pairSeparator.count)...]
            if let colon = ByteSearch.firstOffset(of: Self.keySeparator, in: segment) {
                pairs.append((segment[..<colon].utf8String, segment[(colon + Self.keySeparator.count)...].utf8String))
            } else if let last = pairs.popLast() {
                // A value that itself held ", ".
                pairs.append((last.0, last.1 + ", " + segment.utf8String))
            }
        }
        pairs.removeAll { $0.0 == "User" && $0.1.hasPrefix("No Authentication") }
        artifact.apply(pairs, mapping: Self.eventMapping)
        let values = FirstValues(pairs: pairs)
        switch id {
        case 430001:
            artifact.messageType = .exploitAttempt
            artifact.severityCode = ["1": .high, "2": .medium, "3": .low][values["Priority"] ?? ""] ?? .medium
        case 430004, 430005:
            let malware = (values["SHA_Disposition"] ?? values["FileDisposition"] ?? "").lowercased()
                .containsBytes(of: "malware")
            artifact.messageType = malware ? .malwareDetected : "file_transfer"
        default:
            artifact.messageType = .networkFlow
        }
    }

    static let pairSeparator = Array(", ".utf8)
    static let keySeparator = Array(": ".utf8)

    /// The text after the pattern's prefix up to its terminator (or the end), trimmed; nil when
    /// absent or empty.
    static func value(of pattern: Pattern, in bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard let found = ByteSearch.firstOffset(of: pattern.prefix, in: bytes) else { return nil }
        let start = found + pattern.prefix.count
        let end = bytes[start...].firstIndex(of: pattern.terminator) ?? bytes.endIndex
        let value = bytes[start..<end].trimmingWhitespace
        return value.isEmpty ? nil : value
    }
}
