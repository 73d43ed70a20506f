import Foundation
import WFACore

/// Builders and constants shared by the conformance suites.
enum Fixture {
    /// 2026-01-01T00:00:00Z; suites place their data relative to it.
    static let epoch = Date(timeIntervalSince1970: 1_767_225_600)

    static func time(_ seconds: Double) -> Date { EpochMicroseconds.normalize(epoch.addingTimeInterval(seconds)) }

    static func org() -> Org.ID { .random() }

    /// A fully populated artifact, so a round trip exercises every field.
    static func artifact(
        org: Org.ID, at seconds: Double, id: Artifact.ID = .random(), source: String = "syslog-udp",
        messageType: MessageType = .authFailure, clientIP: String = "203.0.113.7", user: String = "root",
        raw: [UInt8]? = nil
    ) -> Artifact {
        var artifact = Artifact(
            id: id, orgID: org, timestamp: time(seconds), receivedAt: time(seconds + 0.25), source: source,
            streamName: "linux-auth", messageType: messageType, severityCode: .medium,
            raw: raw ?? Array("sshd[42]: Failed password for \(user) from \(clientIP) port 22 ssh2".utf8))
        artifact.action = "deny"
        artifact.clientIP = IPAddress(clientIP)
        artifact.clientPort = 51_515
        artifact.serverIP = IPAddress("2001:db8::10")
        artifact.serverPort = 22
        artifact.serverHostname = HostName("Bastion.Example.COM")
        artifact.protocol = "tcp"
        artifact.userName = user
        artifact.vendor = "OpenBSD"
        artifact.product = "OpenSSH"
        artifact.program = "sshd"
        artifact.pid = 42
        artifact.facility = 4
        artifact.tags = ["brute-force", "ssh"]
        artifact.attackTechniqueIDs = ["T1110"]
        artifact.fields = ["auth_method": "password", "note": "tab\there \"quoted\" back\\slash é"]
        return artifact
    }

    static func incident(org: Org.ID, at seconds: Double, severity: IncidentSeverity = .high) -> Incident {
        let artifact = Artifact.ID.random()
        return Incident(
            orgID: org, title: "SSH brute force from 203.0.113.7", severity: severity, suspicionScore: 0.82,
            scoreReasons: [ScoreReason(reason: "rule severity high", weight: 0.5)],
            leads: [
                Lead(
                    artifactID: artifact, ruleID: "ssh-brute", ruleName: "SSH brute force", ruleKind: .lead,
                    nodeIDs: ["n1"], severity: severity, observedAt: time(seconds))
            ],
            nodeIDs: ["n1", "n2"], edgeIDs: ["e1"], firstObservedAt: time(seconds), lastObservedAt: time(seconds + 60),
            createdAt: time(seconds), mitreTechniques: ["T1110"], lifecycleStage: .initialAccess)
    }
}
