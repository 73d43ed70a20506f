import WFACore

/// Names a message type from a vendor's event name or category when the vendor has no code we map:
/// the words security products use for the same things.
enum MessageTypeHeuristics {
    static let rules: [(words: [String], type: MessageType)] = [
        (
            [
                "logon fail", "login fail", "failed login", "failed logon", "authentication fail", "auth fail",
                "bad password",
                "invalid password", "failed password", "access denied for user",
            ], .authFailure
        ),
        (
            [
                "logon success", "login success", "successful login", "successful logon", "authentication succe",
                "logged in", "accepted password",
            ], .authSuccess
        ),
        (["malware", "virus", "trojan", "ransomware", "worm", "spyware", "infected"], .malwareDetected),
        (["exploit", "overflow", "injection", "shellcode", "remote code"], .exploitAttempt),
        (["phish"], .phishingEmail),
        (["privilege", "sudo", "elevat"], .privilegeEscalation),
        (["exfil", "data loss", "dlp"], .dataExfiltration),
        (["process creat", "process start", "new process"], .processStart),
        (["config", "policy change", "settings changed"], .configChange),
        (["dns query", "dns request"], .dnsQuery),
        (
            ["traffic", "connection", "flow", "session end", "session start", "allowed", "permit", "deny", "blocked"],
            .networkFlow
        ),
    ]

    /// The rules' words as bytes: searching bytes is far cheaper than `String.contains`, and this
    /// runs on most events that have no vendor code.
    static let byteRules: [(words: [[UInt8]], type: MessageType)] = Self.rules.map { rule in
        (rule.words.map { Array($0.utf8) }, rule.type)
    }

    static func classify(_ texts: [String], default fallback: MessageType) -> MessageType {
        var text: [UInt8] = []
        for part in texts {
            if !text.isEmpty { text.append(.space) }
            text.append(contentsOf: part.utf8.lazy.map(\.lowercasedASCII))
        }
        for rule in Self.byteRules
        where rule.words.contains(where: { ByteSearch.firstOffset(of: $0, in: text[...]) != nil }) {
            return rule.type
        }
        return fallback
    }
}
