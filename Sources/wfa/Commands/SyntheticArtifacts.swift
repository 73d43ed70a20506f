import Foundation
import WFACore

/// Realistic, varied artifacts for benchmarks: sshd authentication failures and firewall flows
/// between a few thousand addresses, spread over the last hours.
enum SyntheticArtifacts {
    static let org = Org.ID("bench")

    static func make(count: Int, now: Date = Date()) -> [Artifact] {
        var generator = SplitMix64(seed: 0x5EED)
        return (0..<count).map { index in
            let client = "10.\(generator.next() % 16).\(generator.next() % 256).\(generator.next() % 254 + 1)"
            let server = "203.0.113.\(generator.next() % 254 + 1)"
            let port = Int(generator.next() % 60_000) + 1_024
            let time = now.addingTimeInterval(-Double(generator.next() % 7_200_000) / 1_000)
            let isAuth = index % 3 == 0
            let user = "user\(generator.next() % 500)"
            let raw =
                isAuth
                ? "<38>Nov 21 10:15:01 bastion sshd[\(index % 30_000)]: Failed password for \(user) from \(client) port \(port) ssh2"
                : "<134>Nov 21 10:15:01 fw01 filterlog: 5,,,1000000103,igb0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,\(client),\(server),\(port),443,0"
            var artifact = Artifact(
                orgID: org, timestamp: time, receivedAt: now, source: isAuth ? "syslog-tcp" : "syslog-udp",
                streamName: isAuth ? "linux-auth" : "firewall", messageType: isAuth ? .authFailure : .networkFlow,
                severityCode: isAuth ? .medium : .low, raw: Array(raw.utf8))
            artifact.clientIP = IPAddress(client)
            artifact.clientPort = port
            artifact.serverIP = IPAddress(server)
            artifact.serverPort = isAuth ? 22 : 443
            artifact.protocol = "tcp"
            artifact.action = isAuth ? "failure" : "block"
            artifact.program = isAuth ? "sshd" : "filterlog"
            if isAuth { artifact.userName = user }
            return artifact
        }
    }
}

/// A small deterministic generator, so every run benchmarks the same data.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
