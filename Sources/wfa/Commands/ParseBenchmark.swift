import ArgumentParser
import Foundation
import WFACore
import WFAParsing

extension BenchCommand {
    /// `wfa bench parse`: events per second of the parsers on one core, per kind of input.
    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Parse the corpus and the vendor fixtures on one core and print events/s per input.",
            discussion: """
                Each input's messages are parsed over and over, on this thread only, until --seconds have \
                passed; the time covers format detection, parsing, normalization and entity extraction. \
                Build with -c release for meaningful numbers.
                """)

        @Option(help: "Corpus folder (default: $WFA_CORPUS_DIR or ../shared/corpus).")
        var corpus: String?

        @Option(help: "Vendor fixtures folder.")
        var fixtures = "fixtures/parsing"

        @Option(help: "Seconds to spend on each input.")
        var seconds = 2.0

        @Option(
            help: """
                Parse each input exactly this many times instead of for --seconds, so that an instruction \
                count (valgrind --tool=callgrind) compares two builds on a busy machine.
                """)
        var passes: Int?

        @Option(help: "Measure only the inputs whose name contains this text (for profiling one format).")
        var only: String?

        func validate() throws {
            if let passes, passes < 1 { throw ValidationError("--passes must be 1 or more (got \(passes)).") }
            guard self.seconds > 0 else { throw ValidationError("--seconds must be more than 0.") }
        }

        struct Input {
            var name: String
            var messages: [[UInt8]]
        }

        func run() throws {
            let corpus =
                self.corpus ?? ProcessInfo.processInfo.environment["WFA_CORPUS_DIR"] ?? "../shared/corpus"
            var inputs: [Input] = []
            func add(_ name: String, files: [String]) {
                let messages = files.flatMap { path -> [[UInt8]] in
                    guard let data = FileManager.default.contents(atPath: path) else { return [] }
                    return MessageSplitter.messages(in: Array(data)).map { Array($0) }
                }
                if messages.isEmpty {
                    print("bench parse: skipping \(name): no messages in \(files.first ?? "?")...")
                } else {
                    inputs.append(Input(name: name, messages: messages))
                }
            }
            add("syslog sshd (OpenSSH_2k)", files: ["\(corpus)/syslog/OpenSSH_2k.log"])
            add("syslog linux (Linux_2k)", files: ["\(corpus)/syslog/Linux_2k.log"])
            add("apache error (Apache_2k)", files: ["\(corpus)/syslog/Apache_2k.log"])
            let zeek = (try? FileManager.default.contentsOfDirectory(atPath: "\(corpus)/zeek")) ?? []
            add("zeek json (corpus)", files: zeek.sorted().map { "\(corpus)/zeek/\($0)" })
            add("windows json (sigma events)", files: Self.files(under: "\(corpus)/sigma/events", suffix: ".json"))
            for fixture in [
                "cef.log", "leef.log", "cisco_asa.log", "panos.log", "pfsense.log", "fortigate.log", "kv.log",
                "access.log", "syslog5424.log", "suricata.json", "cloud.json",
            ] {
                add("fixture \(fixture)", files: ["\(self.fixtures)/\(fixture)"])
            }
            let chosen = inputs.filter { self.only.map($0.name.contains) ?? true }
            guard !chosen.isEmpty else {
                throw ValidationError(
                    "--only \(self.only ?? "") names no input; the inputs are: "
                        + inputs.map(\.name).joined(separator: ", "))
            }
            print("bench parse: one core, \(self.seconds) s per input")
            print(
                "input".padding(toLength: 30, withPad: " ", startingAt: 0) + "  messages  avg bytes  events/s    MB/s"
                    + "  recognized  mentions/msg")
            for input in chosen { self.measure(input) }
        }

        private func measure(_ input: Input) {
            let parser = LogParser()
            let budget = Duration.milliseconds(Int64(self.seconds * 1_000))
            let clock = ContinuousClock()
            let started = clock.now
            var parsed = 0
            var bytes = 0
            var recognized = 0
            var entities = 0
            var context = ParsingContext(orgID: "bench", source: "bench")
            while self.passes.map({ parsed < $0 * input.messages.count }) ?? (clock.now - started < budget) {
                for message in input.messages {
                    let result = parser.parse(message, context: &context)
                    entities += result.artifact.entities.count
                    if result.format != .unknown { recognized += 1 }
                    bytes += message.count
                }
                parsed += input.messages.count
            }
            let elapsed = clock.now - started
            let seconds = elapsed.inSeconds
            let line = [
                input.name.padding(toLength: 30, withPad: " ", startingAt: 0),
                String(format: "%8d", input.messages.count),
                String(format: "%9d", bytes / max(parsed, 1)),
                String(format: "%9.0f", Double(parsed) / seconds),
                String(format: "%7.1f", Double(bytes) / seconds / 1_048_576),
                String(format: "%10.1f%%", 100 * Double(recognized) / Double(max(parsed, 1))),
            ]
            // Printing what the parses produced also keeps the optimizer from discarding them.
            print(line.joined(separator: "  ") + String(format: "  %12.2f", Double(entities) / Double(max(parsed, 1))))
        }

        static func files(under directory: String, suffix: String) -> [String] {
            guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
            return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.sorted()
                .map { "\(directory)/\($0)" }
        }
    }
}
