import Testing
import WFACore

@testable import WFAParsing

struct MessageTypeHeuristicsTests {
    @Test(
        "a vendor's words name the message type, whatever their case",
        arguments: [
            (["Failed Login for admin"], MessageType.authFailure),
            (["user LOGGED IN"], .authSuccess),
            (["", "Trojan.Generic detected"], .malwareDetected),
            (["SQL Injection attempt"], .exploitAttempt),
            (["DNS Query"], .dnsQuery),
            (["connection"], .networkFlow),
        ])
    func namesTypes(texts: [String], expected: MessageType) {
        #expect(MessageTypeHeuristics.classify(texts, default: .unknown) == expected)
    }

    @Test("the earlier rule in the table wins, wherever its word stands in the text")
    func tableOrderWins() {
        // "deny" (network flow) comes first in the text, "failed login" (auth failure) first in the table.
        #expect(MessageTypeHeuristics.classify(["deny after failed login"], default: .unknown) == .authFailure)
        #expect(MessageTypeHeuristics.classify(["blocked", "malware"], default: .unknown) == .malwareDetected)
    }

    @Test("text with none of the words keeps the fallback")
    func fallback() {
        #expect(MessageTypeHeuristics.classify(["heartbeat ok", ""], default: "event") == "event")
        #expect(MessageTypeHeuristics.classify([], default: .idsEvent) == .idsEvent)
    }
}
