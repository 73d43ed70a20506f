import WFACore

/// Zeek logs, JSON or TSV: `id.orig_h/p` is the client, `id.resp_h/p` the server; the log type
/// (`_path`, `#path`, or guessed from the columns) names the message type.
enum ZeekParser {
    static let mapping: FieldMapping = [
        "id.orig_h": .clientIP, "id.orig_p": .clientPort, "id.resp_h": .serverIP, "id.resp_p": .serverPort,
        "orig_l2_addr": .clientMAC, "resp_l2_addr": .serverMAC, "proto": .protocol, "orig_bytes": .clientBytes,
        "resp_bytes": .serverBytes, "orig_pkts": .clientPackets, "resp_pkts": .serverPackets, "query": .fqdn,
        "server_name": .fqdn, "uri": .uri, "mailfrom": .emailFrom, "subject": .emailSubject, "filename": .fileName,
        "sha256": .fileHash, "username": .userName, "user": .userName, "cookie": .userName, "action": .action,
        "note": .ruleName, "program": .program,
    ]

    static let messageTypes: [String: MessageType] = [
        "conn": .networkFlow, "dns": .dnsQuery, "http": "http_request", "ssl": "tls_session", "ssh": "ssh_session",
        "notice": .idsEvent, "weird": .idsEvent, "smtp": "email", "files": "file_transfer", "rdp": "remote_desktop",
        "kerberos": "kerberos_auth", "ntlm": "ntlm_auth", "smb_files": "file_access", "syslog": "syslog",
        "x509": "certificate", "dhcp": "dhcp_lease",
    ]

    static func parse(_ record: JSONRecord, into artifact: inout Artifact) {
        let pairs = record.object.members.compactMap { key, value in value.text.map { (key, $0) } }
        Self.parse(pairs: pairs, path: record.string("_path"), into: &artifact)
        // DNS answers name the addresses a query resolved to.
        if let answers = record.value("answers") {
            let extractor = EntityExtractor()
            for answer in answers.elements {
                if let text = answer.string { artifact.addEntities(extractor.entities(in: text.utf8)) }
            }
        }
    }

    static func parse(pairs: [(String, String)], path: String?, into artifact: inout Artifact) {
        let path = path ?? Self.guessPath(Set(pairs.map(\.0)))
        artifact.vendor = "zeek"
        artifact.product = "zeek"
        artifact.streamName = "zeek_\(path)"
        artifact.messageType = Self.messageTypes[path] ?? MessageType(rawValue: "zeek_\(path)")
        var mapped = pairs.filter { $0.0 != "ts" && $0.0 != "_path" && $0.0 != "_write_ts" }
        if path == "http", let host = pairs.first(where: { $0.0 == "host" })?.1 {
            artifact.assign(host, to: .fqdn)
            mapped.removeAll { $0.0 == "host" }
        }
        if path == "smtp", let to = pairs.first(where: { $0.0 == "rcptto" })?.1 {
            artifact.assign(String(to.prefix { $0 != "," }), to: .emailTo)
        }
        if path == "kerberos", let client = pairs.first(where: { $0.0 == "client" })?.1 {
            // "user/REALM"
            artifact.assignUser(String(client.prefix { $0 != "/" }))
            if let slash = client.firstIndex(of: "/") {
                artifact.fields["user_domain"] = String(client[client.index(after: slash)...])
            }
        }
        if path == "files" {
            for key in ["md5", "sha1"] {
                if let hash = pairs.first(where: { $0.0 == key })?.1 { artifact.assign(hash, to: .fileHash) }
            }
        }
        artifact.apply(mapped, mapping: Self.mapping)
        if let ts = pairs.first(where: { $0.0 == "ts" })?.1, let date = JSONTime.parse(ts) { artifact.timestamp = date }
        // Authentication outcomes where the log records them.
        if let success = pairs.first(where: { $0.0 == "auth_success" || $0.0 == "success" })?.1 {
            artifact.messageType = success == "true" || success == "T" ? .authSuccess : .authFailure
        }
        if path == "notice" { artifact.severityCode = .medium }
    }

    static func guessPath(_ keys: Set<String>) -> String {
        if keys.contains("query") && keys.contains("qtype_name") || keys.contains("trans_id") { return "dns" }
        if keys.contains("conn_state") { return "conn" }
        if keys.contains("method") && keys.contains("uri") { return "http" }
        if keys.contains("server_name") || keys.contains("cipher") { return "ssl" }
        if keys.contains("auth_attempts") { return "ssh" }
        if keys.contains("mailfrom") || keys.contains("rcptto") { return "smtp" }
        if keys.contains("request_type") && keys.contains("client") { return "kerberos" }
        if keys.contains("fuid") && keys.contains("mime_type") { return "files" }
        if keys.contains("cookie") && keys.contains("security_protocol") { return "rdp" }
        if keys.contains("note") { return "notice" }
        if keys.contains("domainname") || keys.contains("server_nb_computer_name") { return "ntlm" }
        if keys.contains("action") && keys.contains("path") && keys.contains("name") { return "smb_files" }
        if keys.contains("facility") && keys.contains("message") { return "syslog" }
        return "unknown"
    }
}

/// Zeek's TSV form: `#separator`, `#path` and `#fields` header lines configure the lines after them.
enum ZeekTSV {
    /// Applies a `#...` header line to the context. Returns false if the line is not a Zeek header.
    static func applyDirective(_ bytes: [UInt8], to context: inout ParsingContext) -> Bool {
        let text = bytes.utf8String
        if text.hasPrefix("#separator ") {
            let spec = text.dropFirst("#separator ".count).trimmingSpaces
            if spec.hasPrefix("\\x"), let byte = UInt8(spec.dropFirst(2), radix: 16) { context.zeekSeparator = byte }
            return true
        }
        let separator = Character(Unicode.Scalar(context.zeekSeparator))
        let parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        switch parts.first {
        case "#fields": context.zeekFields = Array(parts.dropFirst())
        case "#path": context.zeekPath = parts.dropFirst().first
        case "#set_separator", "#empty_field", "#unset_field", "#open", "#close", "#types": break
        default: return false
        }
        return true
    }

    static func parse(_ bytes: [UInt8], context: ParsingContext, into artifact: inout Artifact) -> Bool {
        guard let names = context.zeekFields else { return false }
        let values = bytes.split(separator: context.zeekSeparator, omittingEmptySubsequences: false)
        guard values.count == names.count else { return false }
        var pairs: [(String, String)] = []
        for (name, value) in zip(names, values) {
            let text = value.utf8String
            // `-` unset, `(empty)` empty.
            if text == "-" || text == "(empty)" { continue }
            pairs.append((name, text))
        }
        ZeekParser.parse(pairs: pairs, path: context.zeekPath, into: &artifact)
        return true
    }
}
