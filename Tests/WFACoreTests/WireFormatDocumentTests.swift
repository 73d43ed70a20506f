import Foundation
import Testing
import WFACore

/// The hand-written document writers must give exactly the bytes `JSONEncoder` gives: documents
/// written either way are read back, compared and deduplicated as one.
struct WireFormatDocumentTests {
    static func encodedByFoundation(_ value: some Encodable) throws -> [UInt8] {
        Array(try WireFormat.makeEncoder().encode(value))
    }

    /// Every optional member set, and the strings that need escapes.
    static let fullArtifact: Artifact = {
        var artifact = Artifact(
            id: "a-1", orgID: "org \"quoted\"", timestamp: EpochMicroseconds.date(1_795_219_200_123_456),
            receivedAt: EpochMicroseconds.date(-1), source: "file:/var/log/a\\b.log", streamName: "auth",
            messageType: "auth_failure", severityCode: .high, raw: Array("raw \u{0} \u{7f} é".utf8) + [0xff, 0xfe])
        var controls = ""
        for scalar in 0..<32 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        artifact.action = "deny"
        artifact.clientIP = IPAddress("10.0.0.5")
        artifact.clientPort = 51_234
        artifact.clientHostname = HostName("ws-01.example.com")
        artifact.clientMAC = "00:11:22:33:44:55"
        artifact.clientBytes = Int64.max
        artifact.clientPackets = 0
        artifact.serverIP = IPAddress("2001:db8::1")
        artifact.serverPort = 0
        artifact.serverHostname = HostName("DC.example.com.")
        artifact.serverMAC = "aa:bb:cc:dd:ee:ff"
        artifact.serverBytes = -5
        artifact.serverPackets = 12
        artifact.protocol = "tcp"
        artifact.fqdn = HostName("example.com")
        artifact.uri = "https://example.com/a/b?c=d&e=\"f\""
        artifact.userName = "CORP\\alice"
        artifact.emailFrom = "a@example.com"
        artifact.emailTo = "b@example.com"
        artifact.emailSubject = "line\nbreak\ttab \u{2028} ✓"
        artifact.fileName = "x.exe"
        artifact.fileHash = String(repeating: "ab", count: 32)
        artifact.filePath = "C:\\Windows\\x.exe"
        artifact.ruleName = "rule/1"
        artifact.cve = "CVE-2024-0001"
        artifact.attackTechniqueIDs = ["T1110", "T1078.002"]
        artifact.matchedLeadRules = ["brute force"]
        artifact.vendor = "Cisco"
        artifact.product = "ASA"
        artifact.vendorCode = "ASA-6-302013"
        artifact.program = "sshd"
        artifact.pid = -1
        artifact.facility = 4
        artifact.tags = ["a", "", controls]
        artifact.fields = ["b": "2", "a": "1", "é": "3", "Z": "4", "control": controls, "a.b": "", "a_b": "x"]
        artifact.entities = [EntityKey(type: .ip, value: "10.0.0.5"), EntityKey(type: .url, value: "http://x/\"")]
        return artifact
    }()

    @Test("an artifact with every member set is written as JSONEncoder writes it, with and without raw")
    func fullArtifactMatchesFoundation() throws {
        let artifact = Self.fullArtifact
        #expect(WireFormat.encode(artifact) == (try Self.encodedByFoundation(artifact)))
        var withoutRaw = artifact
        withoutRaw.raw = []
        #expect(WireFormat.encode(artifact, includingRaw: false) == (try Self.encodedByFoundation(withoutRaw)))
        let decoded = try WireFormat.makeDecoder().decode(Artifact.self, from: Data(WireFormat.encode(artifact)))
        #expect(decoded == artifact)
    }

    @Test("an artifact with only the required members is written as JSONEncoder writes it")
    func minimalArtifactMatchesFoundation() throws {
        let artifact = Artifact(orgID: "default", timestamp: Date(timeIntervalSince1970: 0), source: "s", raw: [])
        #expect(WireFormat.encode(artifact) == (try Self.encodedByFoundation(artifact)))
    }

    @Test("a graph event is written as JSONEncoder writes it")
    func graphEventMatchesFoundation() throws {
        let event = GraphEvent(artifact: Self.fullArtifact, nodeIDs: ["n1", "n\"2"], edgeIDs: [])
        #expect(WireFormat.encode(event) == (try Self.encodedByFoundation(event)))
        let around = WireFormat.encodeGraphEvent(
            artifactDocument: WireFormat.encode(Self.fullArtifact), nodeIDs: event.nodeIDs, edgeIDs: event.edgeIDs)
        #expect(around == (try Self.encodedByFoundation(event)))
    }

    @Test("integers at the limits and times before the epoch are written as JSONEncoder writes them")
    func limitsMatchFoundation() throws {
        var writer = JSONDocumentWriter()
        writer.beginArray()
        for value in [Int64.min, -1, 0, 9, 10, Int64.max] { writer.integer(value) }
        writer.endArray()
        #expect(writer.bytes == (try Self.encodedByFoundation([Int64.min, -1, 0, 9, 10, Int64.max])))
        for micros: Int64 in [0, -1, -86_400_000_001, 253_402_300_799_000_000] {
            let date = EpochMicroseconds.date(micros)
            var bytes: [UInt8] = []
            TimestampFormat.append(date, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == TimestampFormat.string(from: date))
            #expect(TimestampFormat.date(from: TimestampFormat.string(from: date)) == date)
        }
    }
}

/// The hand-written readers must accept, and refuse, what `JSONDecoder` does, with the same result.
struct WireFormatReadingTests {
    static func readByFoundation<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
        try? WireFormat.makeDecoder().decode(type, from: Data(bytes))
    }

    @Test("an artifact written either way reads back equal to the original, with and without raw")
    func artifactsRoundTrip() throws {
        let artifact = WireFormatDocumentTests.fullArtifact
        #expect(WireFormat.readArtifact(WireFormat.encode(artifact)) == artifact)
        #expect(try WireFormat.decode(Artifact.self, from: WireFormat.encode(artifact)) == artifact)
        var withoutRaw = artifact
        withoutRaw.raw = []
        #expect(
            try WireFormat.decode(Artifact.self, from: WireFormat.encode(artifact, includingRaw: false)) == withoutRaw)
        let event = GraphEvent(artifact: artifact, nodeIDs: ["n1"], edgeIDs: ["e1", "e2"])
        #expect(WireFormat.readGraphEvent(WireFormat.encode(event)) == event)
        #expect(try WireFormat.decode(GraphEvent.self, from: WireFormat.encode(event)) == event)
    }

    @Test("documents with whitespace, unknown members, nulls, defaults, escapes and repeated keys are read fast")
    func fastReaderCoversValidShapes() {
        for document in Self.variants.prefix(4) {
            #expect(WireFormat.readArtifact(Array(document.utf8)) != nil, "\(document)")
        }
    }

    static let variants: [String] = [
        // Whitespace, unknown members, nulls and defaults.
        #"{ "id" : "a", "org_id":"o", "timestamp":"2026-11-21T00:00:00Z", "received_at":"2026-11-21T01:00:00+01:00", "source":"s", "extra": [1, {"x": null}] }"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00.1234567Z","received_at":"2026-11-21T00:00:00Z","source":"s","action":null,"tags":null,"fields":{},"client_port":22,"severity_code":null}"#,
        // A key written twice.
        #"{"id":"a","id":"b","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s"}"#,
        // Escapes in keys and values.
        #"{"id":"a\u0041\"","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"\ud83d\ude00","fields":{"k\n":"v\/"}}"#,
        // Members of the wrong type, out-of-range values, missing required members, bad base64.
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","client_port":"22"}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","client_port":22.0}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","client_port":99999999999999999999}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","severity_code":99}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","client_ip":"999.1.1.1"}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","fqdn":"  "}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","raw":"%%%"}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","tags":["a",1]}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s","entities":[{"type":"ip"}]}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00","received_at":"2026-11-21T00:00:00Z","source":"s"}"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","source":"s"}"#,
        #"{"id":1,"org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s"}"#,
        #"["not", "an", "object"]"#,
        #"{"id":"a","org_id":"o","timestamp":"2026-11-21T00:00:00Z","received_at":"2026-11-21T00:00:00Z","source":"s"} trailing"#,
    ]

    @Test("documents of every shape read as JSONDecoder reads them, or fail as it does", arguments: Self.variants)
    func variantsMatchFoundation(document: String) throws {
        let bytes = Array(document.utf8)
        let expected = Self.readByFoundation(Artifact.self, bytes)
        #expect((try? WireFormat.decode(Artifact.self, from: bytes)) == expected)
        // The fast reader reads what it can exactly as JSONDecoder does and never accepts more.
        if let fast = WireFormat.readArtifact(bytes) { #expect(fast == expected) }
        let event = #"{"artifact":"# + document + #","node_ids":["n"],"edge_ids":[]}"#
        #expect(
            (try? WireFormat.decode(GraphEvent.self, from: Array(event.utf8)))
                == Self.readByFoundation(GraphEvent.self, Array(event.utf8)))
    }
}

/// The incident writer, held to `JSONEncoder` byte for byte like the artifact writer.
struct WireFormatIncidentTests {
    static let time = EpochMicroseconds.date(1_795_219_200_654_321)

    static var fullIncident: Incident {
        var incident = Incident(
            orgID: "org-1", title: "Brute force from 203.0.113.9 \"ssh\"\n→ root", severity: .high,
            suspicionScore: 0.1 + 0.2,
            scoreReasons: [
                ScoreReason(reason: "3 distinct ATT&CK techniques", weight: 3),
                ScoreReason(reason: "trusted node", weight: -1.5e-7),
                ScoreReason(reason: "big", weight: 1e21),
            ],
            status: .investigating, assignee: "analyst-1",
            notes: [IncidentNote(author: "analyst-1", text: "looked\tat it", createdAt: Self.time)],
            leads: [
                Lead(
                    artifactID: "a-1", ruleID: "r-1", ruleName: "SSH brute force", ruleKind: .lead,
                    nodeIDs: ["ip:203.0.113.9", "user:root"], setID: "set-7", role: "attacker", severity: .high,
                    observedAt: Self.time, count: 12),
                Lead(
                    artifactID: "a-2", ruleID: "sigma-1", ruleName: "Mimikatz", ruleKind: .sigma, nodeIDs: [],
                    severity: .critical, observedAt: EpochMicroseconds.date(-5)),
            ],
            nodeIDs: ["ip:203.0.113.9"], edgeIDs: ["e-1", "e-2"], firstObservedAt: EpochMicroseconds.date(0),
            lastObservedAt: Self.time, createdAt: Self.time, updatedAt: Self.time, mitreTechniques: ["T1110"],
            lifecycleStage: .initialAccess,
            history: [
                IncidentActivity(.created, by: IncidentActivity.engine, at: Self.time),
                IncidentActivity(.statusChanged, by: "analyst-1", at: Self.time, from: "1", to: "2"),
            ])
        incident.mergedInto = "i-2"
        return incident
    }

    @Test(
        "an incident with every member set, and one with none of the optional ones, are written as JSONEncoder writes them"
    )
    func incidentsMatchFoundation() throws {
        for incident in [
            Self.fullIncident,
            Incident(orgID: "o", title: "", severity: .low, firstObservedAt: Self.time, lastObservedAt: Self.time),
        ] {
            #expect(WireFormat.encode(incident) == (try WireFormatDocumentTests.encodedByFoundation(incident)))
        }
    }

    @Test("an incident event is written as JSONEncoder writes it")
    func incidentEventsMatchFoundation() throws {
        for event in [
            IncidentEvent(kind: .updated, incident: Self.fullIncident, activities: Self.fullIncident.history),
            IncidentEvent(kind: .created, incident: Self.fullIncident),
        ] {
            #expect(WireFormat.encode(event) == (try WireFormatDocumentTests.encodedByFoundation(event)))
        }
    }

    @Test("scores are written in JSONEncoder's number form, and a score that is not finite is refused as there")
    func scores() throws {
        for score in [0, -0.0, 3, 12.5, 1e15, 1e16, 1.2345678901234568e17, 2.5e-5, .leastNonzeroMagnitude] {
            var incident = Self.fullIncident
            incident.suspicionScore = score
            #expect(WireFormat.encode(incident) == (try WireFormatDocumentTests.encodedByFoundation(incident)))
        }
        for score in [Double.nan, .infinity] {
            var incident = Self.fullIncident
            incident.suspicionScore = score
            #expect(WireFormat.encode(incident) == nil)
            #expect(throws: (any Error).self) { try WireFormatDocumentTests.encodedByFoundation(incident) }
        }
    }
}
