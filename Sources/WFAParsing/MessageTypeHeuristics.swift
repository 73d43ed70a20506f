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

    static func classify(_ texts: [String], default fallback: MessageType) -> MessageType {
        let text = texts.joined(separator: " ").lowercased()
        for rule in Self.rules where rule.words.contains(where: { text.contains($0) }) { return rule.type }
        return fallback
    }
}
