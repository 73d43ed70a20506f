import Foundation
import Testing
import WFACore
import WFADetection
import WFAIncidents
import WFAParsing

/// Leads become incidents keyed by the entities that act, with scores that explain themselves.
struct IncidentCorrelatorTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures")

    static func artifacts(_ file: String) throws -> [Artifact] {
        let bytes = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(file)))
        var context = ParsingContext(
            orgID: "default", source: "test", receivedAt: Date(timeIntervalSince1970: 1_795_219_200))
        let parser = LogParser()
        return MessageSplitter.messages(in: bytes).map { parser.parse(Array($0), context: &context).artifact }
    }

    static func catalogEngine() throws -> (DetectionEngine, [String: String]) {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("witfoo/lead_rules_catalog.json"))
        let catalog = try LeadRuleCatalog(json: data, org: "default")
        return (DetectionEngine(leadRules: catalog.rules), catalog.setNames)
    }

    /// Runs files through detection and correlation as the engine does; the latest state of each incident.
    static func correlate(_ files: [String]) throws -> [Incident.ID: Incident] {
        var (engine, sets) = try Self.catalogEngine()
        var correlator = IncidentCorrelator(configuration: .init(leadSets: sets))
        var incidents: [Incident.ID: Incident] = [:]
        for file in files {
            for artifact in try Self.artifacts(file) {
                let detections = engine.evaluate(artifact)
                guard !detections.isEmpty else { continue }
                for change in correlator.correlate(detections, in: artifact, context: LeadContext(artifact)) {
                    incidents[change.incident.id] = change.incident
                }
            }
        }
        return incidents
    }

    @Test(
        "OpenSSH_2k and Linux_2k: brute-force incidents per attacking address, never two for one attacker in the window"
    )
    func bruteForceByAttacker() throws {
        let incidents = try Self.correlate(["demo/OpenSSH_2k.log", "demo/Linux_2k.log"]).values.filter {
            $0.mergedInto == nil
        }
        // Every address that failed to log in, read from the text independently of the parser.
        var attackers: Set<String> = []
        for file in ["demo/OpenSSH_2k.log", "demo/Linux_2k.log"] {
            let text = try String(contentsOf: Self.fixtures.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(whereSeparator: \.isNewline) {
                if let match = line.firstMatch(
                    of: /Failed password for (?:invalid user )?\S+ from (\d+\.\d+\.\d+\.\d+) port/)
                {
                    attackers.insert(String(match.1))
                } else if let match = line.firstMatch(
                    of: /authentication failure;.* rhost=(\d+\.\d+\.\d+\.\d+)(?:\s|$)/)
                {
                    attackers.insert(String(match.1))
                }
            }
        }
        let keyed = incidents.compactMap { incident -> String? in
            guard let actor = incident.leads.first?.nodeIDs.first?.rawValue, actor.hasPrefix("ip:") else { return nil }
            return String(actor.dropFirst(3))
        }
        // An attacker has a second incident only when it came back after the window (24 h) closed.
        let byAttacker = Dictionary(grouping: incidents) { $0.leads.first?.nodeIDs.first?.rawValue ?? "" }
        for (attacker, group) in byAttacker where attacker.hasPrefix("ip:") && group.count > 1 {
            let spans = group.sorted { $0.firstObservedAt < $1.firstObservedAt }
            for (earlier, later) in zip(spans, spans.dropFirst()) {
                #expect(later.firstObservedAt.timeIntervalSince(earlier.lastObservedAt) > 24 * 3600, "\(attacker)")
            }
        }
        #expect(attackers.isSubset(of: Set(keyed)), "missing: \(attackers.subtracting(keyed).sorted())")
        print("Correlation: \(incidents.count) incidents for \(attackers.count) attacking addresses")
        let top = try #require(
            incidents.max { $0.leads.reduce(0) { $0 + $1.count } < $1.leads.reduce(0) { $0 + $1.count } })
        print("Correlation: busiest: \(top.title), score \(top.suspicionScore), \(top.scoreReasons.map(\.reason))")
        #expect(top.title.hasPrefix("Authentication Failure from "))
        #expect(top.scoreReasons.contains { $0.reason.hasSuffix("matching events") })
        #expect(top.lifecycleStage != nil)
    }

    static func sshFailure(from address: String, user: String = "root", second: Int = 0) -> Artifact {
        var context = ParsingContext(
            orgID: "default", source: "test", receivedAt: Date(timeIntervalSince1970: 1_795_219_200))
        let line =
            "Dec 10 06:55:\(String(format: "%02d", second % 60)) LabSZ sshd[1]: Failed password for \(user) from \(address) port 4242 ssh2"
        return LogParser().parse(Array(line.utf8), context: &context).artifact
    }

    static let failure = Detection(
        ruleKind: .lead, ruleID: "r1", ruleName: "Authentication Failure", severity: .medium, artifactID: "x")

    @Test("the same rule on the same actor within the window extends its lead; a redelivered event counts once")
    func extendsLeads() {
        var correlator = IncidentCorrelator()
        let first = Self.sshFailure(from: "203.0.113.5", second: 1)
        let created = correlator.correlate([Self.failure], in: first, context: LeadContext(first))
        #expect(created.map(\.kind) == [.created])
        let second = Self.sshFailure(from: "203.0.113.5", user: "admin", second: 2)
        let updated = correlator.correlate([Self.failure], in: second, context: LeadContext(second))
        #expect(updated.map(\.kind) == [.updated])
        #expect(updated.first?.incident.leads.map(\.count) == [2])
        #expect(correlator.correlate([Self.failure], in: second, context: LeadContext(second)).isEmpty)
        #expect(updated.first?.incident.nodeIDs.contains("user:admin") == true)
    }

    @Test("a different attacker trying the same account on the same server opens its own incident")
    func separateAttackers() {
        var correlator = IncidentCorrelator()
        let one = Self.sshFailure(from: "203.0.113.5")
        let two = Self.sshFailure(from: "198.51.100.7")
        let a = correlator.correlate([Self.failure], in: one, context: LeadContext(one))
        let b = correlator.correlate([Self.failure], in: two, context: LeadContext(two))
        #expect(a.first?.kind == .created && b.first?.kind == .created)
        #expect(a.first?.incident.id != b.first?.incident.id)
    }

    @Test("a lead whose actors key two incidents merges them into the older one")
    func merges() {
        var correlator = IncidentCorrelator()
        var byAddress = Self.sshFailure(from: "203.0.113.5")
        let first = correlator.correlate([Self.failure], in: byAddress, context: LeadContext(byAddress))
        var byName = Self.sshFailure(from: "198.51.100.7")
        byName.clientIP = nil
        byName.clientHostname = HostName("kali.example")
        let second = correlator.correlate([Self.failure], in: byName, context: LeadContext(byName))
        // Now one event names both the address and the host name as its client.
        byAddress.clientHostname = HostName("kali.example")
        byAddress.id = .random()
        let changes = correlator.correlate([Self.failure], in: byAddress, context: LeadContext(byAddress))
        let merged = changes.first { $0.kind == .merged }
        #expect(merged?.incident.id == second.first?.incident.id)
        #expect(merged?.survivor == first.first?.incident.id)
        #expect(merged?.incident.mergedInto == first.first?.incident.id)
        #expect(correlator.openIncidentCount == 1)
    }

    @Test("a resolved incident takes no more leads; the next one opens a new incident")
    func resolvedStopsJoining() throws {
        var correlator = IncidentCorrelator()
        let one = Self.sshFailure(from: "203.0.113.5")
        var incident = try #require(
            correlator.correlate([Self.failure], in: one, context: LeadContext(one)).first?.incident)
        incident.status = .resolved
        correlator.update(incident)
        let again = Self.sshFailure(from: "203.0.113.5", second: 3)
        let next = correlator.correlate([Self.failure], in: again, context: LeadContext(again))
        #expect(next.first?.kind == .created && next.first?.incident.id != incident.id)
    }

    @Test("scores explain themselves: severity, breadth, lifecycle, managed assets raise it; a trusted actor lowers it")
    func scoring() {
        let artifact = Self.sshFailure(from: "10.1.1.1")
        var context = LeadContext(artifact)
        context.flags = [
            context.actors[0]: NodeFlags(internal: true, trusted: true), "host:labsz": NodeFlags(managed: true),
        ]
        var correlator = IncidentCorrelator()
        let critical = Detection(
            ruleKind: .sigma, ruleID: "s1", ruleName: "Credential dumping", severity: .critical,
            attackTechniques: ["T1003"], tactics: ["credential-access"], artifactID: artifact.id)
        let recon = Detection(
            ruleKind: .sigma, ruleID: "s2", ruleName: "Discovery", severity: .low, attackTechniques: ["T1087"],
            tactics: ["discovery"], artifactID: artifact.id)
        let incident = correlator.correlate([critical, recon], in: artifact, context: context).first?.incident
        let reasons = incident?.scoreReasons.map(\.reason) ?? []
        #expect(reasons.contains("Highest rule severity is critical"))
        #expect(reasons.contains("2 distinct rules matched"))
        #expect(reasons.contains("2 ATT&CK techniques: T1003, T1087"))
        #expect(reasons.contains("Spans 2 lifecycle stages: reconnaissance → privilege_escalation"))
        #expect(reasons.contains("Involves a managed asset (host:labsz)"))
        #expect(reasons.contains("The actor ip:10.1.1.1 is trusted"))
        // 0.60 + 0.05 + 0.10 + 0.10 + 0.10 - 0.30
        #expect(abs((incident?.suspicionScore ?? 0) - 0.65) < 0.0001)
        #expect(incident?.severity == .critical)
        #expect(incident?.lifecycleStage == .privilegeEscalation)
        #expect(incident?.title == "Credential dumping from 10.1.1.1 (+1 more rule)")
        #expect(incident?.mitreTechniques == ["T1003", "T1087"])
    }

    @Test("infrastructure nodes never key an incident")
    func infrastructure() {
        var correlator = IncidentCorrelator()
        let one = Self.sshFailure(from: "10.0.0.53")
        var context = LeadContext(one)
        context.flags = [context.actors[0]: NodeFlags(infrastructure: true)]
        _ = correlator.correlate([Self.failure], in: one, context: context)
        let two = Self.sshFailure(from: "10.0.0.53", second: 5)
        #expect(correlator.correlate([Self.failure], in: two, context: context).first?.kind == .created)
    }
}
