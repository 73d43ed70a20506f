import ArgumentParser
import Foundation
import WFACore
import WFAParsing

/// `wfa parse`: shows how wfa understands logs, one normalized artifact per JSON line.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse log lines from files (or stdin) and print the normalized artifacts as JSON lines.",
        discussion: """
            Each input line (or each JSON document, for pretty-printed JSON files) becomes one artifact.
            The output shows the detected format, the normalized fields and the entities found; the raw
            bytes are shown as text. Nothing is stored. Example:

              wfa parse /var/log/auth.log | jq 'select(.message_type == "auth_failure")'
              echo '<34>Oct 11 22:14:15 host sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2' | wfa parse
            """)

    @Argument(help: "Log files to read; none or '-' reads stdin.")
    var files: [String] = []

    @Option(help: "Source name recorded on each artifact (default: file:<name> or stdin).")
    var source: String?

    @Option(
        help:
            "Receive time to assume (ISO 8601 UTC): the time of messages without one, and the year for syslog dates without one."
    )
    var referenceTime: String?

    @Flag(help: "Print a count per detected format to stderr at the end.")
    var summary = false

    func run() throws {
        let parser = LogParser()
        var receivedAt = Date()
        if let text = self.referenceTime {
            guard let date = TimestampFormat.date(from: text) else {
                throw ValidationError("--reference-time must be ISO 8601 UTC, e.g. 2026-11-21T00:00:00Z")
            }
            receivedAt = date
        }
        var counts: [LogFormat: Int] = [:]
        let output = FileHandle.standardOutput
        for path in self.files.isEmpty ? ["-"] : self.files {
            let bytes: [UInt8]
            if path == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("cannot read \(path): no such file, or not readable")
                }
                bytes = Array(data)
            }
            var context = ParsingContext(
                orgID: "default",
                source: self.source ?? (path == "-" ? "stdin" : "file:\(URL(fileURLWithPath: path).lastPathComponent)"),
                receivedAt: receivedAt)
            var buffer = Data()
            for message in MessageSplitter.messages(in: bytes) {
                let result = parser.parse(Array(message), context: &context)
                if result.isDirective { continue }
                counts[result.format, default: 0] += 1
                buffer.append(try result.displayJSON())
                buffer.append(UInt8(ascii: "\n"))
                if buffer.count > 1 << 16 {
                    output.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            output.write(buffer)
        }
        if self.summary {
            let lines = counts.sorted { $0.value > $1.value }.map { "\($0.key.rawValue): \($0.value)" }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
