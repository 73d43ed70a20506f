import Foundation
import Testing
import WFACore
import WFAParsing

/// Each vendor format has hand-checked fixtures in fixtures/parsing: `<name>.log|json` and the
/// normalized output `<name>.expected.jsonl` (as `wfa parse --reference-time 2026-11-21T00:00:00Z`
/// prints it). Regenerate an expected file only after checking the difference by eye.
struct FixtureTests {
    static let fixtures = [
        "access.log", "cef.log", "cisco_asa.log", "cloud.json", "fortigate.log", "kv.log", "leef.log",
        "linux_auth.log", "panos.log", "pfsense.log", "suricata.json", "syslog5424.log", "windows.log",
        "zeek_conn.log",
    ]

    @Test("every fixture parses to its expected normalized output", arguments: Self.fixtures)
    func fixtureMatchesExpected(name: String) throws {
        let results = Fixtures.parse(try Fixtures.bytes("parsing/\(name)"))
        let expectedName = "parsing/" + name.split(separator: ".").dropLast().joined(separator: ".") + ".expected.jsonl"
        let expected = String(decoding: try Fixtures.bytes(expectedName), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(results.count == expected.count)
        for (result, line) in zip(results, expected) {
            let json = try result.displayJSON()
            let actual = try JSONSerialization.jsonObject(with: json) as? NSDictionary
            let wanted = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? NSDictionary
            #expect(actual == wanted, "\(String(decoding: json, as: UTF8.self))")
        }
    }

    @Test("every fixture's artifact is written by WireFormat exactly as JSONEncoder writes it, and read back equal")
    func fixtureDocumentsMatchFoundation() throws {
        let encoder = WireFormat.makeEncoder()
        for name in Self.fixtures {
            for result in Fixtures.parse(try Fixtures.bytes("parsing/\(name)")) {
                let artifact = result.artifact
                #expect(WireFormat.encode(artifact) == Array(try encoder.encode(artifact)), "\(name)")
                let event = GraphEvent(artifact: artifact, nodeIDs: ["n-1"], edgeIDs: ["e-1", "e-2"])
                #expect(WireFormat.encode(event) == Array(try encoder.encode(event)), "\(name)")
                #expect(WireFormat.readArtifact(WireFormat.encode(artifact)) == artifact, "\(name)")
            }
        }
    }

    @Test("no fixture line falls through to unknown")
    func fixturesAreRecognized() throws {
        for name in Self.fixtures {
            for result in Fixtures.parse(try Fixtures.bytes("parsing/\(name)")) {
                #expect(result.format != .unknown, "\(name): \(String(decoding: result.artifact.raw, as: UTF8.self))")
            }
        }
    }
}
