import Foundation
import Testing
import WFACore
import WFADetection
import WFAParsing

/// Sigma detections: values, modifiers and conditions over artifacts.
struct SigmaRuleTests {
    /// A Sysmon process creation with the given event fields.
    static func process(_ fields: [String: String], at time: Date = Date(timeIntervalSince1970: 1_795_219_200))
        -> Artifact
    {
        var artifact = Artifact(orgID: "default", timestamp: time, source: "test", raw: Array("{}".utf8))
        artifact.vendor = "microsoft"
        artifact.product = "sysmon"
        artifact.vendorCode = "1"
        artifact.streamName = "sysmon"
        artifact.fields = fields.merging(["channel": "Microsoft-Windows-Sysmon/Operational"]) { first, _ in first }
        return artifact
    }

    func rule(_ detection: String, logsource: String = "product: windows\n  category: process_creation") throws
        -> SigmaDefinition
    {
        let yaml = """
            title: test
            logsource:
              \(logsource)
            detection:
            \(detection.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            level: high
            """
        return try #require(try SigmaDefinition.parse(yaml: yaml).first)
    }

    @Test(
        "values compare without case; * and ? are wildcards, \\* a star, \\\\ a backslash, and a lone backslash itself")
    func values() throws {
        let rule = try self.rule("sel:\n  Image: 'C:\\Windows\\\\*\\CMD.exe'\n  Note: 'a\\*b?'\ncondition: sel")
        #expect(rule.matches(Self.process(["Image": #"c:\windows\system32\cmd.EXE"#, "Note": "a*bc"])))
        #expect(!rule.matches(Self.process(["Image": #"c:\windows\system32\cmd.EXE"#, "Note": "axbc"])))
        #expect(!rule.matches(Self.process(["Image": #"d:\windows\cmd.exe"#, "Note": "a*bc"])))
    }

    @Test("contains, startswith and endswith; a list is any of its values, |all needs every one")
    func listsAndAll() throws {
        let rule = try self.rule(
            """
            sel:
              CommandLine|contains|all: ['-enc', 'hidden']
              ParentImage|endswith: ['\\winword.exe', '\\excel.exe']
              Image|startswith: 'C:\\Windows\\'
            condition: sel
            """)
        let hit = Self.process([
            "CommandLine": "powershell -ENC abc -w hidden", "ParentImage": #"C:\Office\EXCEL.EXE"#,
            "Image": #"C:\Windows\System32\wpsh.exe"#,
        ])
        #expect(rule.matches(hit))
        var fields = hit.fields
        fields["CommandLine"] = "powershell -enc abc"
        #expect(!rule.matches(Self.process(fields)))
    }

    @Test("windash matches - / and the Unicode dashes at the start of a flag")
    func windash() throws {
        let rule = try self.rule("sel:\n  CommandLine|windash|contains: ' -urlcache '\ncondition: sel")
        for dash in ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"] {
            #expect(rule.matches(Self.process(["CommandLine": "certutil \(dash)urlcache -f http://x"])), "\(dash)")
        }
        #expect(!rule.matches(Self.process(["CommandLine": "certutil +urlcache"])))
    }

    @Test("base64 and base64offset find a value inside base64 text at any alignment; wide encodes UTF-16LE first")
    func base64() throws {
        let plain = try self.rule("sel:\n  CommandLine|base64: 'IEX'\ncondition: sel")
        #expect(plain.matches(Self.process(["CommandLine": Data("IEX".utf8).base64EncodedString()])))
        let offset = try self.rule("sel:\n  CommandLine|base64offset|contains: 'http://'\ncondition: sel")
        for prefix in ["", "a", "ab"] {
            let encoded = Data((prefix + "http://evil.example/x").utf8).base64EncodedString()
            #expect(offset.matches(Self.process(["CommandLine": "powershell -e \(encoded)"])), "prefix '\(prefix)'")
        }
        let wide = try self.rule("sel:\n  CommandLine|wide|base64offset|contains: 'IEX'\ncondition: sel")
        let utf16 = Data("x IEX(".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).base64EncodedString()
        #expect(wide.matches(Self.process(["CommandLine": "powershell -enc \(utf16)"])))
        #expect(!wide.matches(Self.process(["CommandLine": Data("IEX".utf8).base64EncodedString()])))
    }

    @Test("re (with i), cidr, lt/gte, exists, cased, fieldref and null")
    func otherModifiers() throws {
        let regex = try self.rule("sel:\n  CommandLine|re|i: '^POWERSHELL.*-e(nc)? '\ncondition: sel")
        #expect(regex.matches(Self.process(["CommandLine": "powershell -enc x"])))
        #expect(!regex.matches(Self.process(["CommandLine": "cmd /c powershell -enc x"])))

        let cidr = try self.rule("sel:\n  DestinationIp|cidr: '10.0.0.0/8'\ncondition: sel")
        var artifact = Self.process([:])
        artifact.serverIP = IPAddress("10.1.2.3")
        #expect(cidr.matches(artifact))
        artifact.serverIP = IPAddress("11.1.2.3")
        #expect(!cidr.matches(artifact))

        let numbers = try self.rule("sel:\n  Size|gte: 100\n  Count|lt: 5\ncondition: sel")
        #expect(numbers.matches(Self.process(["Size": "100", "Count": "4"])))
        #expect(!numbers.matches(Self.process(["Size": "99", "Count": "4"])))

        let exists = try self.rule("sel:\n  ParentUser|exists: true\n  Other|exists: false\ncondition: sel")
        #expect(exists.matches(Self.process(["ParentUser": "x"])))
        #expect(!exists.matches(Self.process(["ParentUser": "x", "Other": "y"])))

        let cased = try self.rule("sel:\n  CommandLine|cased|contains: 'DownloadString'\ncondition: sel")
        #expect(cased.matches(Self.process(["CommandLine": "x.DownloadString(y)"])))
        #expect(!cased.matches(Self.process(["CommandLine": "x.downloadstring(y)"])))

        let fieldref = try self.rule("sel:\n  Image|fieldref: ParentImage\ncondition: sel")
        #expect(fieldref.matches(Self.process(["Image": #"C:\a.exe"#, "ParentImage": #"c:\A.exe"#])))
        #expect(!fieldref.matches(Self.process(["Image": #"C:\a.exe"#, "ParentImage": #"C:\b.exe"#])))

        let null = try self.rule("sel:\n  OriginalFileName: null\ncondition: sel")
        #expect(null.matches(Self.process([:])))
        #expect(!null.matches(Self.process(["OriginalFileName": "x.exe"])))
    }

    @Test("expand fills %placeholders% from configuration, and refuses one that has no values")
    func expand() throws {
        let yaml = """
            title: admin logon
            logsource: {product: windows, category: process_creation}
            detection:
              sel:
                User|expand: '%admins%'
              condition: sel
            """
        let rule = try #require(
            try SigmaDefinition.parse(yaml: yaml, placeholders: ["admins": ["root", "ADMIN*"]]).first)
        #expect(rule.matches(Self.process(["User": "administrator"])))
        #expect(!rule.matches(Self.process(["User": "guest"])))
        #expect(throws: SigmaError(message: "placeholder %admins% has no values configured", line: 5)) {
            try SigmaDefinition.parse(yaml: yaml)
        }
    }

    @Test("conditions: and/or/not, parentheses, 1 of and all of with wildcards, them, and a list of conditions")
    func conditions() throws {
        let detection = """
            selection_a:
              A: 'x'
            selection_b:
              B: 'y'
            filter_main:
              C: 'z'
            condition: (1 of selection_*) and not filter_main
            """
        let rule = try self.rule(detection)
        #expect(rule.matches(Self.process(["A": "x"])))
        #expect(rule.matches(Self.process(["B": "y"])))
        #expect(!rule.matches(Self.process(["B": "y", "C": "z"])))
        #expect(!rule.matches(Self.process([:])))

        let all = try self.rule(
            detection.replacingOccurrences(of: "(1 of selection_*) and not filter_main", with: "all of selection_*"))
        #expect(all.matches(Self.process(["A": "x", "B": "y"])))
        #expect(!all.matches(Self.process(["A": "x"])))

        let them = try self.rule(
            detection.replacingOccurrences(of: "(1 of selection_*) and not filter_main", with: "1 of them"))
        #expect(them.matches(Self.process(["C": "z"])))

        let list = try self.rule(
            detection.replacingOccurrences(
                of: "condition: (1 of selection_*) and not filter_main",
                with: "condition:\n  - selection_a\n  - filter_main"))
        #expect(list.matches(Self.process(["C": "z"])) && !list.matches(Self.process(["B": "y"])))
    }

    @Test("keywords search the whole message")
    func keywords() throws {
        let rule = try self.rule(
            "keywords:\n  - 'mimikatz'\n  - 'sekurlsa'\ncondition: keywords", logsource: "product: linux")
        var artifact = DetectionFixtures.artifact("Dec 10 06:55:46 host sshd[1]: user ran SEKURLSA::logonpasswords")
        #expect(rule.matches(artifact))
        artifact.raw = Array("nothing here".utf8)
        #expect(!rule.matches(artifact))
    }

    @Test(
        "rules that cannot work are refused with the line of the problem",
        arguments: [
            (
                "title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    A|nosuch: x\n  condition: sel\n", 5,
                "unsupported modifier 'nosuch'"
            ),
            (
                "title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    A: x\n  condition: sel and other\n",
                6, "'other'"
            ),
            (
                "title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    A|re: '(['\n  condition: sel\n", 5,
                "not a regular expression"
            ),
            (
                "title: t\nlogsource: {product: windows}\ndetection:\n  sel:\n    A: x\n  condition: sel | count() > 5\n",
                6, "correlation rule"
            ),
            ("title: t\nlevel: severe\ndetection:\n  sel:\n    A: x\n  condition: sel\n", 2, "level 'severe'"),
            ("title: t\ndetection:\n  sel: [\n", 4, "not valid YAML"),
            ("logsource: {product: windows}\n", 1, "needs a title"),
        ])
    func errors(yaml: String, line: Int, message: String) {
        do {
            _ = try SigmaDefinition.parse(yaml: yaml)
            Issue.record("parsed: \(yaml)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test("a Windows event field the parser moved to a column is still found under the rule's name")
    func promotedFields() throws {
        let rule = try self.rule(
            "sel:\n  SourceIp|cidr: '10.0.0.0/8'\n  TargetFilename|endswith: '\\evil.dll'\ncondition: sel")
        var artifact = Self.process([:])
        artifact.clientIP = IPAddress("10.2.3.4")
        artifact.filePath = #"C:\Temp\evil.dll"#
        #expect(rule.matches(artifact))
        for (name, column) in WindowsEventColumns.promoted {
            #expect(RuleField(name: column.rawValue) != nil, "\(name) → \(column.rawValue)")
        }
    }

    @Test("a rule whose log source matches an event in two ways (Zeek dns: category and service) fires once")
    func firesOncePerEvent() throws {
        let yaml =
            "title: dns\nlogsource: {product: zeek, category: dns}\ndetection: {sel: {query: 'evil.example'}, condition: sel}"
        var engine = DetectionEngine(sigmaRules: [SigmaRule(id: "dns", orgID: "default", name: "dns", yaml: yaml)])
        var artifact = Artifact(orgID: "default", timestamp: Date(), source: "test", raw: Array("{}".utf8))
        artifact.vendor = "zeek"
        artifact.streamName = "zeek_dns"
        artifact.fqdn = HostName("evil.example")
        #expect(engine.evaluate(artifact).map(\.ruleID) == ["dns"])
    }

    @Test("a rule's ATT&CK techniques and tactics come from its tags")
    func attackTags() throws {
        let yaml = """
            title: t
            tags: [attack.execution, attack.t1059.001, attack.g0016, detection.threat-hunting]
            logsource: {product: windows}
            detection: {sel: {A: x}, condition: sel}
            """
        let rule = try #require(try SigmaDefinition.parse(yaml: yaml).first)
        #expect(rule.attackTechniques == ["T1059.001"])
        #expect(rule.tactics == ["execution"])
    }
}
