import ArgumentParser
import Foundation
import OpenAPIRuntime
import WFAClient
import WFAParsing

/// `wfa import FILE...`: sends log files to a wfa server, where each message is parsed and stored.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Send log files to wfa; each message becomes an artifact in your org.",
        discussion: """
            Files may hold lines (syslog, CEF, access logs, Zeek TSV, NDJSON) or JSON records \
            (CloudTrail {"Records": [...]}, evtx and Microsoft 365 exports as arrays). Messages are sent \
            in batches to POST /api/v1/artifacts; a progress bar shows how far it got. Messages that are \
            not valid UTF-8 are sent as bytes (raw_base64) and kept as they were.
            """)

    @Argument(help: "Log files to import.", completion: .file())
    var files: [String]

    @Option(help: "Source recorded on each artifact (default: file:<file name>).")
    var source: String?

    @Option(help: "Messages per request (1...10000).")
    var batchSize: Int = 2_000

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard (1...10_000).contains(self.batchSize) else { throw ValidationError("--batch-size must be 1...10000") }
        guard !self.files.isEmpty else { throw ValidationError("name at least one file") }
    }

    func run() async throws {
        let client = try self.client.client()
        var sizes: [String: Int] = [:]
        for path in self.files {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let size = attributes[.size] as? Int
            else { throw CommandError(description: "cannot read \(path): no such file") }
            sizes[path] = size
        }
        var progress = ProgressBar(totalBytes: sizes.values.reduce(0, +))
        var totals = Totals()
        var bytesBefore = 0
        for path in self.files {
            let bytes = try Self.read(path)
            let source = self.source ?? "file:\(URL(fileURLWithPath: path).lastPathComponent)"
            var sender = BatchSender(client: client, source: source)
            for message in MessageSplitter.messages(in: bytes) {
                sender.add(message)
                if sender.count >= self.batchSize {
                    totals.add(try await sender.flush())
                    progress.update(
                        bytes: bytesBefore + message.endIndex, messages: totals.accepted + totals.rejected, label: path)
                }
            }
            totals.add(try await sender.flush())
            bytesBefore += bytes.count
            progress.update(bytes: bytesBefore, messages: totals.accepted + totals.rejected, label: path)
        }
        let rate = Int(progress.rate(totals.accepted + totals.rejected))
        if self.client.output == .json {
            progress.finish("")
            try ClientOutput.printJSON(
                ["accepted": totals.accepted, "rejected": totals.rejected, "files": self.files.count])
            return
        }
        progress.finish(
            "imported \(totals.accepted) artifacts from \(self.files.count) file(s), \(totals.rejected) refused, "
                + "\(rate) messages/s")
        for error in totals.errors.prefix(10) { print("  refused: \(error)") }
        if totals.rejected > 0 && totals.accepted == 0 { throw ExitCode(1) }
    }

    static func read(_ path: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
        } catch {
            throw CommandError(description: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    struct Totals {
        var accepted = 0
        var rejected = 0
        var errors: [String] = []

        mutating func add(_ result: Components.Schemas.IngestResult?) {
            guard let result else { return }
            self.accepted += result.accepted
            self.rejected += result.rejected
            self.errors += result.errors.map { "item \($0.index): \($0.message)" }
        }
    }

    /// Collects messages of one file into requests. Zeek TSV `#` header lines are repeated at the
    /// start of every batch, since the server keeps parsing context only within one request.
    struct BatchSender {
        let client: Client
        let source: String
        var items: [Components.Schemas.IngestItem] = []
        var directives: [String: Components.Schemas.IngestItem] = [:]
        var directiveOrder: [String] = []
        var count: Int { self.items.count }

        init(client: Client, source: String) {
            self.client = client
            self.source = source
        }

        mutating func add(_ message: ArraySlice<UInt8>) {
            let item: Components.Schemas.IngestItem
            if let text = String(validating: message, as: UTF8.self) {
                item = .init(source: self.source, raw: text)
                if text.hasPrefix("#"), let name = text.split(separator: self.separator(of: text)).first {
                    let key = String(name)
                    if self.directives[key] == nil { self.directiveOrder.append(key) }
                    self.directives[key] = item
                    if self.items.isEmpty { return }
                }
            } else {
                item = .init(source: self.source, rawBase64: Data(message).base64EncodedString())
            }
            if self.items.isEmpty { self.items = self.directiveOrder.compactMap { self.directives[$0] } }
            self.items.append(item)
        }

        /// `#separator \x09` names itself with a space; every later header uses the tab.
        private func separator(of line: String) -> Character {
            line.hasPrefix("#separator") ? " " : "\t"
        }

        mutating func flush() async throws -> Components.Schemas.IngestResult? {
            guard !self.items.isEmpty else { return nil }
            defer { self.items = [] }
            switch try await self.client.ingestArtifacts(body: .json(.init(artifacts: self.items))) {
            case .ok(let ok): return try ok.body.json.data
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
