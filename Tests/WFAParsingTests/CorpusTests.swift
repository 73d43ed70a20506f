import Foundation
import Testing
import WFACore
import WFAParsing

/// Whole-file assertions over real logs; the expected values come from the text itself, read with a
/// regular expression that is independent of the parser.
struct CorpusTests {
    @Test("OpenSSH_2k: every 'Failed password' line is an auth_failure with its user, address and port")
    func openSSHFailedPasswords() throws {
        let bytes = try Fixtures.bytes("demo/OpenSSH_2k.log")
        let lines = MessageSplitter.lines(bytes).map { String(decoding: $0, as: UTF8.self) }
        let results = Fixtures.parse(bytes)
        #expect(results.count == lines.count)
        let pattern = /Failed password for (invalid user )?(\S+) from (\S+) port (\d+) ssh2/
        var matched = 0
        for (line, result) in zip(lines, results) {
            guard let match = line.firstMatch(of: pattern) else { continue }
            matched += 1
            let artifact = result.artifact
            #expect(artifact.messageType == .authFailure, "\(line)")
            #expect(artifact.userName == String(match.2), "\(line)")
            #expect(artifact.clientIP == IPAddress(String(match.3)), "\(line)")
            #expect(artifact.clientPort == Int(match.4), "\(line)")
        }
        // The count matches `grep -c "Failed password for"` over the file.
        let grepCount = lines.filter { $0.contains("Failed password for") }.count
        let parsedFailures = results.filter { $0.artifact.action == "failed_password" }.count
        #expect(matched > 0 && parsedFailures == grepCount)
    }

    @Test("Linux_2k: every PAM authentication failure with rhost= names that remote host as the client")
    func linuxPAMFailures() throws {
        let bytes = try Fixtures.bytes("demo/Linux_2k.log")
        let lines = MessageSplitter.lines(bytes).map { String(decoding: $0, as: UTF8.self) }
        let results = Fixtures.parse(bytes)
        let pattern = /authentication failure;.* rhost=(\d+\.\d+\.\d+\.\d+)(?:\s|$)/
        var matched = 0
        for (line, result) in zip(lines, results) {
            guard let match = line.firstMatch(of: pattern) else { continue }
            matched += 1
            #expect(result.artifact.messageType == .authFailure, "\(line)")
            #expect(result.artifact.clientIP == IPAddress(String(match.1)), "\(line)")
        }
        #expect(matched == 300)  // grep -cE "authentication failure;.* rhost=[0-9.]+( |$)" Linux_2k.log
        #expect(results.allSatisfy { $0.format != .unknown })
    }

    @Test(
        "Zeek JSON corpus: id.orig_h/p are the client and id.resp_h/p the server in every record",
        .enabled(if: Fixtures.corpus != nil, "needs ../shared/corpus or WFA_CORPUS_DIR"))
    func zeekClientServer() throws {
        let directory = try #require(Fixtures.corpus).appendingPathComponent("zeek")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 10)
        for file in files {
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(file)))
            let records = MessageSplitter.messages(in: bytes)
            let results = Fixtures.parse(bytes)
            #expect(results.count == records.count, "\(file)")
            for (record, result) in zip(records, results) {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(record)) as? [String: Any])
                #expect(result.format == .zeekJSON, "\(file)")
                guard let client = object["id.orig_h"] as? String else { continue }
                #expect(result.artifact.clientIP == IPAddress(client), "\(file)")
                #expect(result.artifact.serverIP == IPAddress(object["id.resp_h"] as? String ?? ""), "\(file)")
                #expect(result.artifact.clientPort == object["id.orig_p"] as? Int, "\(file)")
                #expect(result.artifact.serverPort == object["id.resp_p"] as? Int, "\(file)")
            }
        }
    }

    @Test(
        "Sigma regression events: every Windows event is read with its event id",
        .enabled(if: Fixtures.corpus != nil, "needs ../shared/corpus or WFA_CORPUS_DIR"))
    func sigmaWindowsEvents() throws {
        let root = try #require(Fixtures.corpus).appendingPathComponent("sigma/events")
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var count = 0
        while let path = enumerator?.nextObject() as? String {
            guard path.hasSuffix(".json") else { continue }
            let bytes = Array(try Data(contentsOf: root.appendingPathComponent(path)))
            for result in Fixtures.parse(bytes) {
                count += 1
                #expect(result.format == .windowsJSON, "\(path)")
                #expect(result.artifact.tags.contains { $0.hasPrefix("eventId:") }, "\(path)")
            }
        }
        #expect(count >= 200)
    }
}

/// Bad input is kept or refused, never a crash.
struct BadInputTests {
    func parse(_ bytes: [UInt8]) -> ParseResult {
        var context = ParsingContext(orgID: "default", source: "test")
        return LogParser().parse(bytes, context: &context)
    }

    @Test("binary noise and invalid UTF-8 become unknown artifacts with the exact bytes kept")
    func binaryNoise() {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = self.parse(noise)
        #expect(result.artifact.raw == noise)
        let invalid: [UInt8] = [0xFF, 0xFE, 0x41, 0xC3, 0x28]
        #expect(self.parse(invalid).artifact.raw == invalid)
    }

    @Test("a 10 MB line is parsed without trouble and kept whole")
    func hugeLine() {
        let line = Array(("<13>Oct 11 22:14:15 host app: " + String(repeating: "A", count: 10 * 1024 * 1024)).utf8)
        let result = self.parse(line)
        #expect(result.format == .syslog3164)
        #expect(result.artifact.raw.count == line.count)
    }

    @Test("JSON nested 10,000 deep is kept as unknown, not a stack overflow")
    func deepJSON() {
        let deep = Array(
            (String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)).utf8)
        let result = self.parse(deep)
        #expect(result.format == .unknown)
        #expect(result.artifact.raw == deep)
    }
}
