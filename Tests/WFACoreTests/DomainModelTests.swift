import Foundation
import Testing
import WFACore

struct DomainModelTests {
    @Test("an artifact survives a JSON round trip unchanged, raw bytes included")
    func artifactRoundTripsThroughJSON() throws {
        var artifact = Artifact(
            orgID: "org-1", timestamp: Date(timeIntervalSince1970: 1_763_741_091.123456), source: "syslog-udp",
            messageType: .authFailure, raw: [0xff, 0x00, 0x41])
        artifact.clientIP = IPAddress("::ffff:10.0.0.1")
        artifact.serverHostname = HostName("WWW.Example.COM.")
        artifact.fields = ["k": "v"]
        let data = try WireFormat.makeEncoder().encode(artifact)
        let decoded = try WireFormat.makeDecoder().decode(Artifact.self, from: data)
        #expect(decoded == artifact)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""client_ip":"10.0.0.1""#))
        #expect(json.contains(#""server_hostname":"www.example.com""#))
        #expect(json.contains(#""message_type":"auth_failure""#))
    }

    @Test("a copied artifact is a value: changing the copy leaves the original as it was")
    func artifactCopiesAreIndependent() {
        var original = Artifact(
            orgID: "o", timestamp: Date(timeIntervalSince1970: 10), source: "s", messageType: .authFailure, raw: [1])
        original.fields["kept"] = "yes"
        var copy = original
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
        copy.fields["added"] = "to the copy"
        copy.userName = "alice"
        copy.timestamp = Date(timeIntervalSince1970: 20.000_000_9)
        copy.raw.append(2)
        #expect(original.fields == ["kept": "yes"])
        #expect(original.userName == nil)
        #expect(original.timestamp == Date(timeIntervalSince1970: 10))
        #expect(original.raw == [1])
        #expect(copy != original)
        // The setter still keeps times to whole microseconds.
        #expect(copy.timestamp == EpochMicroseconds.normalize(Date(timeIntervalSince1970: 20.000_000_9)))
        var same = original
        same.userName = nil
        #expect(same == original)
    }

    @Test("entity keys are canonical, sorted and unique")
    func entityKeysAreCanonical() {
        var artifact = Artifact(orgID: "o", timestamp: Date(), source: "s", raw: [])
        artifact.clientIP = IPAddress("2001:DB8::1")
        artifact.serverIP = IPAddress("2001:db8:0::1")
        artifact.userName = "Administrator"
        artifact.fqdn = HostName("Evil.Example.")
        artifact.emailFrom = "Boss@Example.com"
        artifact.fileHash = "D41D8CD98F00B204E9800998ECF8427E"
        artifact.uri = "/index.html"
        #expect(
            artifact.entityKeys.map(\.description) == [
                "domain:evil.example", "email:boss@example.com", "hash:d41d8cd98f00b204e9800998ecf8427e",
                "ip:2001:db8::1", "user:administrator",
            ])
    }

    @Test("severity codes and incident statuses keep the reference numbering")
    func referenceNumbering() {
        #expect(SeverityCode.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
        #expect(SeverityCode.critical < SeverityCode.info)
        #expect(IncidentStatus.allCases.map(\.rawValue) == [1, 2, 3, 4, 5])
        #expect(IncidentStatus.disrupted.isTerminal && !IncidentStatus.investigating.isTerminal)
        #expect(IncidentSeverity(.critical) == .critical && IncidentSeverity(.info) == .informational)
        #expect(IncidentSeverity.critical > IncidentSeverity.high)
    }

    @Test("a closed incident can only be reopened to investigating")
    func closedIncidentsOnlyReopen() {
        #expect(IncidentStatus.new.canTransition(to: .closed))
        #expect(IncidentStatus.closed.canTransition(to: .investigating))
        #expect(!IncidentStatus.closed.canTransition(to: .resolved))
        #expect(!IncidentStatus.new.canTransition(to: .new))
    }

    @Test("host names are lower-cased without the root dot")
    func hostNamesAreCanonical() {
        #expect(HostName("  Mail.EXAMPLE.org.. ")?.rawValue == "mail.example.org")
        #expect(HostName(" . ") == nil)
        #expect(HostName("\tdc01.corp.example\r\n")?.rawValue == "dc01.corp.example")
        #expect(HostName("ws-01.example.com")?.rawValue == "ws-01.example.com")
        #expect(HostName("a. ")?.rawValue == "a")
        #expect(HostName("ÉCOLE.Example.")?.rawValue == "école.example")
        #expect(HostName("") == nil)
    }

    @Test("manage implies write implies read, admin implies everything")
    func permissionsNest() throws {
        let manage = Permission(.incidents, .manage)
        #expect(manage.grants(Permission(.incidents, .read)))
        #expect(!Permission(.incidents, .read).grants(Permission(.incidents, .write)))
        #expect(!manage.grants(Permission(.settings, .read)))
        #expect(Permission.admin.grants(Permission(.conductor, .manage)))
        #expect(Permission("graph:write") == Permission(.graph, .write))
        #expect(Permission("graph:delete") == nil && Permission("nope:read") == nil)
        #expect(Role.auditor.permissions.grants(Permission(.settings, .read)))
        #expect(!Role.auditor.permissions.grants(Permission(.settings, .write)))
        #expect(Role.builtIn.map(\.name) == ["Admin", "Analyst", "Auditor", "ReadOnly", "Reporter", "Health"])
    }

    @Test("a user's description never includes the password hash")
    func userDescriptionHidesHash() {
        let user = User(orgID: "o", email: "A@B.C", displayName: "A", roleID: "admin", passwordHash: "secret-hash")
        #expect(!"\(user)".contains("secret-hash"))
        #expect(user.email == "a@b.c")
    }
}

@Suite("Entity keys")
struct EntityKeyOrderTests {
    @Test("entity keys sort exactly as their type:value text")
    func orderFollowsText() {
        let types = ["ip", "ipv6", "host", "user", "url", "", "émail", "a:b", "i"]
        let values = ["", "10.0.0.1", "10.0.0.10", "root", "Root", "e\u{301}", "\u{e9}", "\u{301}x", ":", "zz"]
        let keys = types.flatMap { type in values.map { EntityKey(type: NodeType(rawValue: type), value: $0) } }
        for left in keys {
            for right in keys {
                #expect((left < right) == (left.description < right.description), "\(left) < \(right)")
            }
        }
    }
}
