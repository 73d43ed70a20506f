import WFACore

/// Maps a Windows event (Security, Sysmon, PowerShell, System) onto artifact fields: the account,
/// the remote address, the process and its hashes; the event id names the message type and goes in
/// the `eventId:` tag lead rules match on.
enum WindowsEventParser {
    /// Event fields that become normalized columns when their value fits (else they stay in
    /// `fields` under their own name). Detection reads rules' field names back through this table.
    static let mapping: FieldMapping = [
        "IpAddress": .clientIP, "IpPort": .clientPort, "WorkstationName": .clientHostname, "SourceIp": .clientIP,
        "SourcePort": .clientPort, "SourceHostname": .clientHostname, "DestinationIp": .serverIP,
        "DestinationPort": .serverPort, "DestinationHostname": .serverHostname, "Protocol": .protocol,
        "QueryName": .fqdn, "TargetFilename": .filePath, "ProcessId": .pid, "ClientAddress": .clientIP,
        "CallerProcessName": .filePath, "ServiceFileName": .filePath, "ImagePath": .filePath,
    ]

    static let messageTypes: [Int: MessageType] = [
        4624: .authSuccess, 4625: .authFailure, 4634: "logoff", 4647: "logoff", 4648: "explicit_credentials",
        4672: .privilegeEscalation, 4688: .processStart, 4689: "process_end", 4697: .configChange,
        4698: .configChange, 4719: .configChange, 4720: .configChange, 4722: .configChange, 4724: .configChange,
        4726: .configChange, 4728: .privilegeEscalation, 4732: .privilegeEscalation, 4756: .privilegeEscalation,
        4740: .authFailure, 4768: "kerberos_auth", 4769: "kerberos_auth", 4771: .authFailure, 4776: "ntlm_auth",
        1102: .configChange, 7045: .configChange, 4104: "script_execution",
    ]

    static let sysmonTypes: [Int: MessageType] = [
        1: .processStart, 3: .networkFlow, 5: "process_end", 7: "image_load", 8: "remote_thread",
        10: "process_access", 11: "file_create", 12: "registry_event", 13: "registry_event", 14: "registry_event",
        15: "file_stream", 17: "pipe_event", 18: "pipe_event", 22: .dnsQuery, 23: "file_delete",
        25: "process_tampering",
    ]

    /// How strong a hash the `Hashes` name (`SHA256`, any case) is: the strongest is the file's hash.
    static func hashRank(of name: ArraySlice<UInt8>) -> Int {
        for (rank, known) in [(3, "SHA256"), (2, "SHA1"), (1, "MD5")]
        where name.count == known.utf8.count
            && zip(name, known.utf8).allSatisfy({ $0.lowercasedASCII == $1.lowercasedASCII })
        {
            return rank
        }
        return 0
    }

    static func parse(_ event: WindowsEvent, into artifact: inout Artifact) {
        let isSysmon = event.provider?.containsBytes(of: "Sysmon") ?? false
        artifact.vendor = "microsoft"
        artifact.product = isSysmon ? "sysmon" : "windows"
        artifact.vendorCode = String(event.eventID)
        artifact.streamName = isSysmon ? "sysmon" : "windows_" + (event.channel ?? "event").lowercased()
        artifact.tags.append("eventId:\(event.eventID)")
        if let channel = event.channel { artifact.fields["channel"] = channel }
        if let provider = event.provider { artifact.fields["provider"] = provider }
        if let recordID = event.recordID { artifact.fields["record_id"] = recordID }
        if let time = event.time { artifact.timestamp = time }
        if let computer = event.computer { artifact.assign(computer, to: .serverHostname) }
        artifact.messageType =
            (isSysmon ? Self.sysmonTypes[event.eventID] : Self.messageTypes[event.eventID])
            ?? MessageType(rawValue: "windows_event")
        artifact.apply(event.data, mapping: Self.mapping)
        let data = FirstValues(pairs: event.data)
        // The account the event is about: the target of a logon, else the subject, else Sysmon's User.
        for key in ["TargetUserName", "SubjectUserName", "User", "AccountName", "UserName"] {
            guard let name = data[key], !name.isEmpty, name != "-", name.utf8.last != UInt8(ascii: "$") || key == "User"
            else {
                continue
            }
            let domain = data[key == "TargetUserName" ? "TargetDomainName" : "SubjectDomainName"]
            artifact.assignUser(
                domain.map { name.utf8.contains(.backslash) || $0.isEmpty || $0 == "-" ? name : "\($0)\\\(name)" }
                    ?? name)
            break
        }
        // The file an event is about: the one it names (TargetFilename, ImagePath), else the process image.
        if let image = data["Image"] ?? data["NewProcessName"] ?? data["ImageLoaded"], artifact.filePath == nil {
            artifact.filePath = image
            artifact.fileName = image.lastComponent(separatedBy: .backslash)
        }
        if let hashes = data["Hashes"] ?? data["Hash"] {
            // "SHA1=...,MD5=...,SHA256=...,IMPHASH=...": the file hash is the strongest; all are entities.
            var best: (rank: Int, value: String)?
            let bytes = Array(hashes.utf8)
            var partStart = 0
            while partStart < bytes.count {
                let partEnd = bytes[partStart...].firstIndex(of: .comma) ?? bytes.count
                let part = bytes[partStart..<partEnd]
                partStart = partEnd + 1
                guard let equals = part.firstIndex(of: .equals),
                    let key = EntityExtractor.hash(part[part.index(after: equals)...])
                else { continue }
                artifact.addEntities([key])
                let rank = Self.hashRank(of: part[..<equals])
                if rank > (best?.rank ?? -1) { best = (rank, key.value) }
            }
            if let best { artifact.assign(best.value, to: .fileHash) }
        }
        // NTLM validation (4776) records success and failure alike; its Status tells them apart.
        if event.eventID == 4776, let status = data["Status"] {
            artifact.messageType = status == "0x0" ? .authSuccess : .authFailure
        }
        switch artifact.messageType {
        case .authFailure, .privilegeEscalation: artifact.severityCode = .medium
        case .configChange: artifact.severityCode = .low
        default: artifact.severityCode = .info
        }
        if event.eventID == 1102 { artifact.severityCode = .high }
    }
}

/// Where the Windows parser puts event fields: the ones it moves to normalized columns.
public enum WindowsEventColumns {
    /// Event field name (`SourceIp`) → the column it fills when its value fits (`client_ip`).
    public static var promoted: [String: ArtifactField] { WindowsEventParser.mapping.table }
}
