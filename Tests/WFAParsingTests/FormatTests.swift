import Foundation
import Testing
import WFACore

@testable import WFAParsing

/// What each format's parser must understand, one behaviour per test.
struct FormatTests {
    @Test("every artifact is tagged with its format's name", arguments: LogFormat.allCases)
    func formatTag(format: LogFormat) {
        #expect(format.tag == "format:" + format.rawValue)
    }

    @Test("RFC 3164 with PRI: facility, severity, host, program, pid and UTC time")
    func bsdSyslog() {
        let artifact = Fixtures.parseLine("<34>Oct 11 22:14:15 mymachine diskmon[230]: disk failure on /dev/sda")
        #expect(artifact.facility == 4)
        #expect(artifact.severityCode == .critical)
        #expect(artifact.program == "diskmon" && artifact.pid == 230)
        #expect(TimestampFormat.string(from: artifact.timestamp) == "2026-10-11T22:14:15.000000Z")
    }

    @Test("RFC 5424 structured data becomes fields, with escapes undone")
    func structuredData() {
        let artifact = Fixtures.parseLine(
            #"<165>1 2024-03-05T22:14:15Z host app - ID1 [a@1 k="v \"q\" \]"][b@2 x="y"] hello"#)
        #expect(artifact.fields["a@1.k"] == #"v "q" ]"#)
        #expect(artifact.fields["b@2.x"] == "y")
        #expect(artifact.fields["message"] == "hello")
    }

    @Test("CEF: header, escaped pipes and equals, labelled custom strings, severity 0-10")
    func cef() {
        let artifact = Fixtures.parseLine(
            #"CEF:0|Ven\|dor|Prod|1|sig-1|Name|8|src=10.0.0.1 dst=10.0.0.2 cs2Label=reason cs2=a=b\=c msg=two words"#)
        #expect(artifact.vendor == "Ven|dor")
        #expect(artifact.severityCode == .high)
        #expect(artifact.clientIP == IPAddress("10.0.0.1") && artifact.serverIP == IPAddress("10.0.0.2"))
        #expect(artifact.fields["message"] == "two words")
    }

    @Test("truncated CEF is kept as unknown with its raw bytes")
    func truncatedCEF() {
        var context = ParsingContext(orgID: "default", source: "test")
        let raw = Array("CEF:0|Vendor|Prod|1.0|100".utf8)
        let result = LogParser().parse(raw, context: &context)
        #expect(result.format == .unknown && result.artifact.messageType == .unknown)
        #expect(result.artifact.raw == raw)
    }

    @Test("Windows 4625 from Winlogbeat: failed logon, target account, source address, eventId tag")
    func windowsFailedLogon() throws {
        let results = Fixtures.parse(try Fixtures.bytes("parsing/windows.log"))
        let failed = try #require(results.first).artifact
        #expect(failed.messageType == .authFailure)
        #expect(failed.userName == "administrator" && failed.fields["user_domain"] == "CORP")
        #expect(failed.clientIP == IPAddress("203.0.113.50") && failed.clientPort == 51234)
        #expect(failed.tags.contains("eventId:4625"))
        let sysmon = results[2].artifact
        #expect(results[2].format == .windowsXML && sysmon.messageType == .processStart)
        #expect(sysmon.userName == "carol" && sysmon.fileName == "cmd.exe")
        #expect(sysmon.fileHash?.count == 64)
        #expect(sysmon.fields["CommandLine"] == "cmd.exe /c whoami & net user")
    }

    @Test("Zeek TSV lines use the #fields header that came before them")
    func zeekTSV() throws {
        let results = Fixtures.parse(try Fixtures.bytes("parsing/zeek_conn.log"))
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.format == .zeekTSV && $0.artifact.messageType == .networkFlow })
        #expect(results[0].artifact.serverIP == IPAddress("8.8.8.8") && results[0].artifact.clientPort == 50000)
        #expect(results[1].artifact.clientBytes == nil)  // "-" is unset, not zero
    }

    @Test("user names: DOMAIN\\user and user@domain name the same user, domain kept apart")
    func userForms() {
        #expect(Fixtures.parseLine("user=CORP\\alice action=login result=ok").userName == "alice")
        let upn = Fixtures.parseLine("user=alice@corp.example.com action=login result=ok")
        #expect(upn.userName == "alice" && upn.fields["user_domain"] == "corp.example.com")
    }
}
