import Foundation
import Testing
import WFACore
import WFADetection

/// Sigma v2 correlation rules, evaluated as events stream in.
struct SigmaCorrelationTests {
    static let base = """
        title: Failed logon
        id: 0f0a0000-0000-4000-8000-000000000001
        name: failed_logon
        logsource: {product: windows, service: security}
        detection:
          sel: {EventID: 4625}
          condition: sel
        level: low
        ---
        title: Successful logon
        name: logon
        logsource: {product: windows, service: security}
        detection:
          sel: {EventID: 4624}
          condition: sel
        level: low

        """

    static func logon(_ eventID: Int, user: String, from address: String, second: Int) -> Artifact {
        var artifact = Artifact(
            orgID: "default", timestamp: Date(timeIntervalSince1970: 1_795_219_200 + TimeInterval(second)),
            source: "test", raw: Array("{}".utf8))
        artifact.vendor = "microsoft"
        artifact.vendorCode = String(eventID)
        artifact.fields = ["channel": "Security", "TargetUserName": user, "IpAddress": address]
        return artifact
    }

    static func engine(_ correlation: String) -> DetectionEngine {
        DetectionEngine(sigmaRules: [
            SigmaRule(id: "corr", orgID: "default", name: "correlation", yaml: Self.base + "---\n" + correlation)
        ])
    }

    @Test("event_count fires once when a group reaches the count within the timespan, with the artifacts that built it")
    func eventCount() {
        var engine = Self.engine(
            """
            title: Many failed logons from one address
            correlation:
              type: event_count
              rules: [failed_logon]
              group-by: [IpAddress]
              timespan: 1m
              condition: {gte: 3}
            level: high
            """)
        #expect(engine.problems.isEmpty, "\(engine.problems)")
        let burst = (0..<3).map { Self.logon(4625, user: "u\($0)", from: "10.0.0.9", second: $0 * 10) }
        #expect(engine.evaluate(burst[0]).isEmpty)
        #expect(engine.evaluate(Self.logon(4625, user: "x", from: "10.0.0.8", second: 12)).isEmpty)
        #expect(engine.evaluate(burst[1]).isEmpty)
        let fired = engine.evaluate(burst[2])
        #expect(fired.map(\.ruleName) == ["Many failed logons from one address"])
        #expect(fired.first?.correlatedArtifactIDs == burst.map(\.id))
        #expect(fired.first?.group == ["IpAddress": "10.0.0.9"])
        #expect(fired.first?.severity == .high)
        // The window starts over: the fourth failure alone does not fire again.
        #expect(engine.evaluate(Self.logon(4625, user: "u4", from: "10.0.0.9", second: 31)).isEmpty)
    }

    @Test("events that fall out of the timespan do not count")
    func timespan() {
        var engine = Self.engine(
            """
            title: burst
            correlation: {type: event_count, rules: [failed_logon], group-by: [IpAddress], timespan: 30s, condition: {gte: 2}}
            """)
        #expect(engine.evaluate(Self.logon(4625, user: "a", from: "10.0.0.9", second: 0)).isEmpty)
        #expect(engine.evaluate(Self.logon(4625, user: "a", from: "10.0.0.9", second: 45)).isEmpty)
        #expect(engine.evaluate(Self.logon(4625, user: "a", from: "10.0.0.9", second: 60)).count == 1)
    }

    @Test("value_count counts distinct values of a field (password spraying: many users from one address)")
    func valueCount() {
        var engine = Self.engine(
            """
            title: spraying
            correlation:
              type: value_count
              rules: [failed_logon]
              group-by: [IpAddress]
              timespan: 5m
              condition: {field: TargetUserName, gte: 3}
            """)
        for second in 0..<5 {
            #expect(engine.evaluate(Self.logon(4625, user: "same", from: "10.0.0.9", second: second)).isEmpty)
        }
        #expect(engine.evaluate(Self.logon(4625, user: "other", from: "10.0.0.9", second: 6)).isEmpty)
        #expect(engine.evaluate(Self.logon(4625, user: "third", from: "10.0.0.9", second: 7)).count == 1)
    }

    @Test("temporal_ordered needs the rules in order; aliases map each rule's field onto the group")
    func temporalOrdered() {
        var engine = Self.engine(
            """
            title: failure then success
            correlation:
              type: temporal_ordered
              rules: [failed_logon, logon]
              group-by: [source]
              aliases:
                source: {failed_logon: IpAddress, logon: IpAddress}
              timespan: 10m
            """)
        #expect(engine.evaluate(Self.logon(4624, user: "a", from: "10.0.0.9", second: 0)).isEmpty)
        #expect(engine.evaluate(Self.logon(4625, user: "a", from: "10.0.0.9", second: 5)).isEmpty)
        let fired = engine.evaluate(Self.logon(4624, user: "a", from: "10.0.0.9", second: 9))
        #expect(fired.map(\.ruleName) == ["failure then success"])
        #expect(fired.first?.group == ["source": "10.0.0.9"])
    }

    @Test("temporal fires when every rule has matched in the window, in any order")
    func temporal() {
        var engine = Self.engine(
            """
            title: both
            correlation: {type: temporal, rules: [logon, failed_logon], group-by: [IpAddress], timespan: 1m}
            """)
        #expect(engine.evaluate(Self.logon(4625, user: "a", from: "10.0.0.9", second: 0)).isEmpty)
        #expect(engine.evaluate(Self.logon(4624, user: "a", from: "10.0.0.9", second: 5)).count == 1)
    }

    @Test("rules a correlation uses stay quiet alone unless it says generate: true")
    func generate() {
        let quiet = Self.engine(
            "title: c\ncorrelation: {type: event_count, rules: [failed_logon], timespan: 1m, condition: {gte: 5}}")
        var loud = Self.engine(
            "title: c\ncorrelation: {type: event_count, rules: [failed_logon], timespan: 1m, condition: {gte: 5}, generate: true}"
        )
        var quietEngine = quiet
        #expect(quietEngine.evaluate(Self.logon(4625, user: "a", from: "10.0.0.9", second: 0)).isEmpty)
        #expect(
            loud.evaluate(Self.logon(4625, user: "a", from: "10.0.0.9", second: 0)).map(\.ruleName) == ["Failed logon"])
        // A rule no correlation uses always reports.
        #expect(
            quietEngine.evaluate(Self.logon(4624, user: "a", from: "10.0.0.9", second: 0)).map(\.ruleName) == [
                "Successful logon"
            ])
    }

    @Test("a correlation over a rule that is not loaded, or with an unsupported condition, is reported")
    func problems() {
        let missing = DetectionEngine(sigmaRules: [
            SigmaRule(
                id: "c", orgID: "default", name: "c",
                yaml: "title: c\ncorrelation: {type: event_count, rules: [nope], timespan: 1m, condition: {gte: 2}}")
        ])
        #expect(missing.problems.map(\.message) == ["the correlation refers to rules that are not loaded: nope"])
        let absence = Self.engine(
            "title: c\ncorrelation: {type: event_count, rules: [logon], timespan: 1m, condition: {lt: 2}}")
        #expect(absence.problems.count == 1)
        #expect(absence.problems.first?.message.contains("streaming") == true)
    }
}
