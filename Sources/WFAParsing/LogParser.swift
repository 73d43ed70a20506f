import WFACore

/// Turns one log message into a normalized artifact.
///
/// It looks at the first bytes to tell the shape (syslog header, JSON object, CEF/LEEF, Zeek TSV,
/// access log, key=value), hands the message to the parser for that shape and, inside syslog, to the
/// parser for the program or vendor that wrote it. Whatever it recognizes, the raw bytes are kept
/// and entities mentioned outside the named fields are extracted. A message nothing recognizes
/// becomes an `unknown` artifact, never an error.
public struct LogParser: Sendable {
    let extractor = EntityExtractor()

    public init() {}

    /// Parses one message (without its line terminator).
    public func parse(_ raw: [UInt8], context: inout ParsingContext) -> ParseResult {
        var artifact = Artifact(
            orgID: context.orgID, timestamp: context.receivedAt, receivedAt: context.receivedAt,
            source: context.source, raw: raw)
        var bytes = raw
        while let last = bytes.last, last == .newline || last == .carriageReturn { bytes.removeLast() }
        let start = bytes.firstIndex { !$0.isWhitespace } ?? bytes.endIndex
        if start > 0 { bytes.removeFirst(start) }

        if bytes.first == UInt8(ascii: "#"), ZeekTSV.applyDirective(bytes, to: &context) {
            artifact.messageType = "directive"
            return ParseResult(artifact: artifact, format: .zeekTSV, isDirective: true)
        }
        var unplaced: [UInt8]?
        let format = self.parseBody(bytes, context: &context, into: &artifact, unplaced: &unplaced)
        if format == .unknown {
            artifact.messageType = .unknown
            artifact.streamName = "unknown"
        }
        artifact.tags.append(format.tag)
        // Entities the named fields do not already carry, in the text the parser did not place
        // (CEF tells which), else in the whole message.
        if format == .unknown || format.mayMentionUnplacedEntities && !Self.placesAllEntities(artifact, format) {
            let mentioned = self.extractor.entities(in: unplaced ?? bytes)
            if !mentioned.isEmpty {
                let named = artifact.namedEntityKeys
                artifact.addEntities(mentioned.filter { !named.contains($0) })
            }
        }
        return ParseResult(artifact: artifact, format: format)
    }

    /// sshd messages are fixed phrases whose every address, host and user the auth parser places
    /// in a field, so scanning their text again finds nothing new (and was a fifth of their cost).
    /// sudo and su lines keep the scan: a command line may name anything.
    static func placesAllEntities(_ artifact: Artifact, _ format: LogFormat) -> Bool {
        format == .linuxAuth && artifact.program == "sshd"
    }

    /// `unplaced` is set when the parser tells which of the message's text it did not place in a
    /// column; else the whole message is scanned for entities.
    private func parseBody(
        _ bytes: [UInt8], context: inout ParsingContext, into artifact: inout Artifact, unplaced: inout [UInt8]?
    ) -> LogFormat {
        guard let first = bytes.first else { return .unknown }
        if first == UInt8(ascii: "{") {
            guard let record = JSONRecord(bytes[...]) else { return .unknown }
            return JSONLogParser.parse(record, into: &artifact)
        }
        if bytes.starts(with: "CEF:".utf8) {
            unplaced = CEFParser.parse(bytes, from: 0, into: &artifact)
            return unplaced == nil ? .unknown : .cef
        }
        if bytes.starts(with: "LEEF:".utf8) {
            return LEEFParser.parse(bytes, from: 0, into: &artifact) ? .leef : .unknown
        }
        if context.zeekFields != nil, bytes.contains(context.zeekSeparator),
            ZeekTSV.parse(bytes, context: context, into: &artifact)
        {
            return .zeekTSV
        }
        if first == UInt8(ascii: "<"), bytes.starts(with: "<Event".utf8) || bytes.starts(with: "<?xml".utf8) {
            guard let event = WindowsEventXML.parse(bytes) else { return .unknown }
            WindowsEventParser.parse(event, into: &artifact)
            return .windowsXML
        }
        if first == UInt8(ascii: "["), ApacheErrorParser.parse(bytes, into: &artifact) { return .apacheError }
        if first.isDigit, PANOSParser.recognizes(bytes[...]) {
            PANOSParser.parse(bytes[...], into: &artifact)
            return .panOS
        }
        if first == UInt8(ascii: "%"), CiscoASAParser.parse(bytes, from: 0, into: &artifact) { return .ciscoASA }
        if let header = SyslogHeader.parse(bytes, reference: context.receivedAt) {
            return self.parseSyslog(bytes, header: header, into: &artifact, unplaced: &unplaced)
        }
        if first.isAlphanumeric || first == .colon, AccessLogParser.parse(bytes, into: &artifact) { return .accessLog }
        if KeyValueScanner.looksLikePairs(bytes[...]) {
            self.parseKeyValue(bytes[...], into: &artifact)
            return artifact.vendor == "fortinet" ? .fortiGate : .keyValue
        }
        return .unknown
    }

    private func parseSyslog(
        _ bytes: [UInt8], header: SyslogHeader, into artifact: inout Artifact, unplaced: inout [UInt8]?
    ) -> LogFormat {
        let syslogFormat: LogFormat = header.isRFC5424 ? .syslog5424 : .syslog3164
        if let timestamp = header.timestamp { artifact.timestamp = timestamp }
        artifact.facility = header.facility
        if let severity = header.severity { artifact.severityCode = Self.severityCode(syslog: severity) }
        if let host = header.hostname { artifact.fields["syslog_host"] = host }
        if let app = header.appName { artifact.program = app }
        if let pid = header.processID { artifact.assign(pid, to: .pid) }
        if let messageID = header.messageID { artifact.fields["msgid"] = messageID }
        for element in header.structuredData {
            for (name, value) in element.parameters { artifact.fields["\(element.id).\(name)"] = value }
        }
        // ASA puts its `%ASA-6-302013:` where a tag would be, or after `host :`.
        if let marker = CiscoASAParser.marker(in: bytes), CiscoASAParser.parse(bytes, from: marker, into: &artifact) {
            return .ciscoASA
        }
        let body = Array(bytes[header.messageStart...])
        let program = header.appName ?? ""
        if body.first?.isDigit == true, PANOSParser.recognizes(body[...]) {
            PANOSParser.parse(body[...], into: &artifact)
            return .panOS
        }
        if program == "filterlog", FilterlogParser.parse(body[...], into: &artifact) { return .pfSenseFilterlog }
        // CEF's text to scan starts with the syslog header: a device named by address is an entity.
        func parseCEF(from start: Int) -> LogFormat {
            guard let rest = CEFParser.parse(body, from: start, into: &artifact) else { return syslogFormat }
            unplaced = bytes[..<header.messageStart] + rest
            return .cef
        }
        if body.starts(with: "CEF:".utf8) { return parseCEF(from: 0) }
        if body.starts(with: "LEEF:".utf8) {
            return LEEFParser.parse(body, from: 0, into: &artifact) ? .leef : syslogFormat
        }
        if let cefStart = Self.find("CEF:0|", in: body) ?? Self.find("CEF:1|", in: body) {
            return parseCEF(from: cefStart)
        }
        if LinuxAuthParser.handles(program: program) {
            // The host that wrote an auth log is the one being logged into.
            if let host = header.hostname { artifact.assign(host, to: .serverHostname) }
            LinuxAuthParser.parse(body.utf8String, program: program, into: &artifact)
            return .linuxAuth
        }
        if body.first == UInt8(ascii: "{"), let record = JSONRecord(body[...]) {
            let format = JSONLogParser.parse(record, into: &artifact)
            return format == .json ? syslogFormat : format
        }
        if KeyValueScanner.looksLikePairs(body[...]) {
            self.parseKeyValue(body[...], into: &artifact)
            if artifact.vendor == "fortinet" { return .fortiGate }
            artifact.streamName = "syslog"
            artifact.fields["message"] = body.utf8String
            return syslogFormat
        }
        artifact.streamName = "syslog"
        artifact.messageType = "syslog"
        if let host = header.hostname { artifact.assign(host, to: .serverHostname) }
        artifact.fields["message"] = body.utf8String
        return syslogFormat
    }

    private func parseKeyValue(_ bytes: ArraySlice<UInt8>, into artifact: inout Artifact) {
        let pairs = KeyValueScanner.pairs(in: Array(bytes))
        if FortiGateParser.looksLikeFortiGate(pairs) {
            FortiGateParser.parse(pairs, into: &artifact)
            return
        }
        artifact.streamName = "kv"
        artifact.apply(pairs, mapping: JSONLogParser.genericMapping)
        JSONLogParser.takeTimestamp(from: &artifact)
        artifact.messageType = MessageTypeHeuristics.classify(
            [artifact.action ?? "", pairs.first { $0.0 == "msg" || $0.0 == "message" }?.1 ?? ""], default: "event")
    }

    /// Syslog severity 0 (emergency) ... 7 (debug) onto wfa's 1 (critical) ... 5 (info).
    static func severityCode(syslog severity: Int) -> SeverityCode {
        switch severity {
        case 0...2: return .critical
        case 3: return .high
        case 4: return .medium
        case 5: return .low
        default: return .info
        }
    }

    static func find(_ needle: String, in bytes: [UInt8]) -> Int? {
        ByteSearch.firstOffset(of: Array(needle.utf8), in: bytes[...])
    }
}
