import Foundation
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

    /// Every rule word as bytes with the index of its rule, filed under its first byte: one pass
    /// over the text tries at each position only the few words that start with its byte, where a
    /// search per word read the text fifty times (this runs on most events without a vendor code).
    static let wordsByFirstByte: [[(word: [UInt8], rule: Int)]] = {
        var table = Array(repeating: [(word: [UInt8], rule: Int)](), count: 256)
        for (rule, entry) in Self.rules.enumerated() {
            for word in entry.words {
                let bytes = Array(word.utf8)
                if let first = bytes.first { table[Int(first)].append((bytes, rule)) }
            }
        }
        return table
    }()

    /// The type of the first rule (in the table's order) with a word in any of `texts`, ignoring
    /// ASCII case; `fallback` when none has.
    static func classify(_ texts: [String], default fallback: MessageType) -> MessageType {
        var text: [UInt8] = []
        text.reserveCapacity(texts.reduce(texts.count) { $0 + $1.utf8.count })
        for var part in texts {
            if !text.isEmpty { text.append(.space) }
            part.withUTF8 { bytes in
                for byte in bytes { text.append(byte.lowercasedASCII) }
            }
        }
        var best = Self.rules.count
        text.withUnsafeBufferPointer { text in
            guard let base = text.baseAddress else { return }
            for start in 0..<text.count {
                for candidate in Self.wordsByFirstByte[Int(text[start])]
                where candidate.rule < best && candidate.word.count <= text.count - start {
                    let matches = candidate.word.withUnsafeBufferPointer { word in
                        word.baseAddress.map { memcmp(base + start, $0, word.count) == 0 } ?? false
                    }
                    if matches { best = candidate.rule }
                }
                if best == 0 { break }
            }
        }
        return best < Self.rules.count ? Self.rules[best].type : fallback
    }
}
