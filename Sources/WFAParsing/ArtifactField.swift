public import WFACore

/// A normalized artifact field that a vendor's field can map to. Vendor parsers are tables from
/// their own field names to these; values that do not fit (an address that is not one) stay in
/// ``Artifact/fields`` under the vendor's name instead of being lost.
public enum ArtifactField: String, Sendable, CaseIterable {
    case action
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
    case `protocol`
    case fqdn
    case uri
    case userName = "user_name"
    case emailFrom = "email_from"
    case emailTo = "email_to"
    case emailSubject = "email_subject"
    case fileName = "file_name"
    case fileHash = "file_hash"
    case filePath = "file_path"
    case ruleName = "rule_name"
    case cve
    case vendorCode = "vendor_code"
    case program
    case pid
}

extension Artifact {
    /// Sets `field` from a vendor's text value.
    /// - Returns: false when the value does not fit the field (the caller keeps it in `fields`).
    @discardableResult
    public mutating func assign(_ text: String, to field: ArtifactField) -> Bool {
        let value = text.trimmingSpaces
        guard !value.isEmpty, !Self.isPlaceholder(value) else { return true }
        switch field {
        case .action: self.action = value.lowercased()
        case .clientIP, .serverIP:
            guard let address = IPAddress(value) else { return false }
            if field == .clientIP { self.clientIP = address } else { self.serverIP = address }
        case .clientPort, .serverPort:
            guard let port = value.portNumber else { return false }
            if field == .clientPort { self.clientPort = port } else { self.serverPort = port }
        case .clientHostname, .serverHostname:
            // Devices often put an address where a name belongs.
            if let address = IPAddress(value) {
                return self.assign(address.description, to: field == .clientHostname ? .clientIP : .serverIP)
            }
            guard let host = HostName(value) else { return false }
            if field == .clientHostname { self.clientHostname = host } else { self.serverHostname = host }
        case .clientMAC: self.clientMAC = value.lowercased()
        case .serverMAC: self.serverMAC = value.lowercased()
        case .clientBytes, .clientPackets, .serverBytes, .serverPackets:
            guard let number = Int64(value), number >= 0 else { return false }
            switch field {
            case .clientBytes: self.clientBytes = number
            case .clientPackets: self.clientPackets = number
            case .serverBytes: self.serverBytes = number
            default: self.serverPackets = number
            }
        case .protocol: self.protocol = value.lowercased()
        case .fqdn:
            guard let host = HostName(value.hasSuffix(".") ? String(value.dropLast()) : value) else { return false }
            self.fqdn = host
        case .uri: self.uri = value
        case .userName: self.assignUser(value)
        case .emailFrom: self.emailFrom = value.lowercased()
        case .emailTo: self.emailTo = value.lowercased()
        case .emailSubject: self.emailSubject = value
        case .fileName: self.fileName = value
        case .fileHash:
            guard let hash = EntityExtractor.hash(ArraySlice(value.utf8)) else { return false }
            self.fileHash = hash.value
        case .filePath: self.filePath = value
        case .ruleName: self.ruleName = value
        case .cve: self.cve = value.uppercased()
        case .vendorCode: self.vendorCode = value
        case .program: self.program = value
        case .pid:
            guard let pid = Int(value) else { return false }
            self.pid = pid
        }
        return true
    }

    /// What devices write for "no value". Told apart by length first: comparing every value with
    /// three strings was a few percent of a CEF parse.
    static func isPlaceholder(_ value: some StringProtocol) -> Bool {
        switch value.utf8.count {
        case 1: value == "-"
        case 3: value == "N/A"
        case 6: value == "(null)"
        default: false
        }
    }

    /// `DOMAIN\user` and `user@domain` both name `user`; the domain goes to `fields["user_domain"]`
    /// so that one person's Windows and cloud log-ins meet on one user node.
    mutating func assignUser(_ value: String) {
        // UTF-8 searches: Character-based ones cost more than the rest of an auth line's parse.
        if let slash = value.utf8.firstIndex(of: UInt8(ascii: "\\")) {
            let domain = value[..<slash]
            let user = value[value.index(after: slash)...]
            guard !user.isEmpty else { return }
            self.userName = String(user)
            if !domain.isEmpty { self.fields["user_domain"] = String(domain) }
        } else if let at = value.utf8.firstIndex(of: UInt8(ascii: "@")), at != value.startIndex,
            EntityExtractor.domain(ArraySlice(value[value.index(after: at)...].utf8)) != nil
        {
            self.userName = String(value[..<at])
            self.fields["user_domain"] = String(value[value.index(after: at)...]).lowercased()
        } else {
            self.userName = value
        }
    }

    /// Applies a vendor table: each mapped key sets its field, everything else lands in `fields`.
    mutating func apply(_ pairs: some Sequence<(String, String)>, mapping: FieldMapping) {
        // Most pairs land in `fields`: growing it once beats rehashing it as it fills.
        self.fields.reserveCapacity(self.fields.count + pairs.underestimatedCount)
        for (key, value) in pairs {
            if let field = mapping[key], self.assign(value, to: field) { continue }
            guard !value.isEmpty else { continue }
            self.fields[key] = value
        }
    }

    /// Records an extra entity unless a named field already carries it.
    mutating func addEntities(_ keys: some Sequence<EntityKey>) {
        for key in keys where !self.entities.contains(key) { self.entities.append(key) }
    }
}

extension String {
    /// Itself when no space is at either end: most values have none, and trimming a copy costs an
    /// allocation for every value longer than fifteen bytes.
    var trimmingSpaces: String {
        guard let first = self.utf8.first, let last = self.utf8.last, first.isWhitespace || last.isWhitespace else {
            return self
        }
        return Substring(self).trimmingSpaces
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        // Trimmed as bytes: dropping Characters runs grapheme breaking at each step.
        var slice = Substring(self).utf8
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(Substring(slice))
    }
}
