import Foundation
import Testing
import WFACore
import WFADetection

/// SigmaHQ's own regression data: every rule must detect the events recorded for it, and running
/// all rules over all events shows how often rules fire on other rules' events.
struct SigmaCorpusTests {
    static func loadRules() throws -> [SigmaRule] {
        try DetectionFixtures.files(under: "sigma/rules", endingWith: ".yml").map { url in
            let yaml = try String(contentsOf: url, encoding: .utf8)
            let definition = try #require(try SigmaDefinition.parse(yaml: yaml).first)
            return SigmaRule(
                id: Identifier(definition.id ?? url.lastPathComponent), orgID: "default", name: definition.title,
                yaml: yaml, level: definition.level)
        }
    }

    /// The rule id an events folder's info.yml names.
    static func ruleID(in info: URL) throws -> String? {
        let text = try String(contentsOf: info, encoding: .utf8)
        guard let metadata = text.range(of: "rule_metadata:") else { return nil }
        return text[metadata.upperBound...].firstMatch(of: /-\s*id:\s*([0-9a-fA-F-]+)/).map { String($0.1) }
    }

    @Test("all 200 SigmaHQ rules load, at least 95% detect their own events, and cross-fire is counted")
    func recallAndCrossFire() throws {
        let rules = try Self.loadRules()
        #expect(rules.count == 200)
        var engine = DetectionEngine(sigmaRules: rules)
        #expect(engine.problems.isEmpty, "\(engine.problems.map(\.description).joined(separator: "\n"))")
        let known = Set(rules.map(\.id.rawValue))

        var tested = 0
        var detected: [String] = []
        var missed: [String] = []
        var crossFire: Set<[String]> = []
        for info in DetectionFixtures.files(under: "sigma/events", endingWith: "info.yml") {
            guard let ruleID = try Self.ruleID(in: info), known.contains(ruleID) else { continue }
            tested += 1
            let folder = info.deletingLastPathComponent()
            var fired = false
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".json") {
                let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
                for artifact in DetectionFixtures.artifacts(bytes) {
                    for detection in engine.evaluate(artifact) {
                        if detection.ruleID == ruleID {
                            fired = true
                        } else {
                            crossFire.insert([detection.ruleID, ruleID])
                        }
                    }
                }
            }
            if fired { detected.append(ruleID) } else { missed.append(folder.lastPathComponent) }
        }
        let recall = Double(detected.count) / Double(max(tested, 1))
        print(
            "Sigma corpus: \(detected.count) of \(tested) rules detect their own events (recall \(String(format: "%.1f", recall * 100))%)"
        )
        print("Sigma corpus: \(crossFire.count) rule/event-folder pairs where a rule fired on another rule's events")
        for name in missed { print("Sigma corpus: missed \(name)") }
        #expect(tested == 200)
        #expect(recall >= 0.95)
    }
}
