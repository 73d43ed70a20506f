import Foundation
import OpenAPIRuntime
import WFACore
import WFAIngestion
import WFAParsing
import WFAStorage

extension APIHandler {
    /// Items per request; larger batches are a client bug or an attempt to hold the server.
    static let maximumIngestItems = 10_000
    /// Bytes per message; a log line longer than this is not a log line.
    static let maximumIngestMessageBytes = 1024 * 1024

    public func ingestArtifacts(
        _ input: Operations.IngestArtifacts.Input
    ) async throws -> Operations.IngestArtifacts.Output {
        let principal = try self.principal()
        var items: [Result<IngestItem, IngestItem.Refusal>] = []
        switch input.body {
        case .json(let request):
            guard !request.artifacts.isEmpty else { throw APIError.invalid("no artifacts in the request") }
            guard request.artifacts.count <= Self.maximumIngestItems else {
                throw APIError.invalid("at most \(Self.maximumIngestItems) artifacts per request")
            }
            items = request.artifacts.map { item in
                IngestItem.make(
                    source: item.source, raw: item.raw, rawBase64: item.rawBase64, timestamp: item.timestamp,
                    metadata: item.metadata?.additionalProperties)
            }
        case .applicationXNdjson(let body):
            let bytes = try await Self.collect(body)
            items = IngestItem.lines(ofNDJSON: bytes)
            guard items.count <= Self.maximumIngestItems else {
                throw APIError.invalid("at most \(Self.maximumIngestItems) lines per request")
            }
        }
        let result = try await self.ingest(items, orgID: principal.orgID)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: result))))
    }

    public func uploadArtifacts(
        _ input: Operations.UploadArtifacts.Input
    ) async throws -> Operations.UploadArtifacts.Output {
        let principal = try self.principal()
        guard case .binary(let body) = input.body else { throw APIError.invalid("expected a file") }
        try RequestValidation.length(input.query.source, of: "source", in: 1...200)
        let bytes = try await Self.collect(body)
        guard !bytes.isEmpty else { throw APIError.invalid("the file is empty") }
        let source = "file:\(input.query.source ?? "upload")"
        let now = Date()
        let messages = MessageSplitter.messages(in: Array(bytes)).map {
            IngestMessage(bytes: Array($0), source: source, receivedAt: now)
        }
        var context = ParsingContext(orgID: principal.orgID, source: source, receivedAt: now)
        let accepted = try await self.ingestor.ingest(messages, receiver: "upload", context: &context)
        let data = Components.Schemas.IngestResult(accepted: accepted, rejected: 0, errors: [])
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    /// Parses the valid items in order (one context per source) and stores them in one hand-off.
    private func ingest(
        _ items: [Result<IngestItem, IngestItem.Refusal>], orgID: Org.ID
    ) async throws -> Components.Schemas.IngestResult {
        var contexts: [String: ParsingContext] = [:]
        var artifacts: [Artifact] = []
        var errors: [Components.Schemas.IngestError] = []
        var rejected = 0
        let now = Date()
        for (index, item) in items.enumerated() {
            switch item {
            case .failure(let refusal):
                rejected += 1
                if errors.count < 100 { errors.append(.init(index: index, message: refusal.message)) }
            case .success(let item):
                guard item.raw.count <= Self.maximumIngestMessageBytes else {
                    rejected += 1
                    if errors.count < 100 {
                        errors.append(
                            .init(index: index, message: "raw is larger than \(Self.maximumIngestMessageBytes) bytes"))
                    }
                    continue
                }
                var context =
                    contexts[item.source] ?? ParsingContext(orgID: orgID, source: item.source, receivedAt: now)
                let message = IngestMessage(bytes: item.raw, source: item.source, receivedAt: now)
                for var artifact in self.ingestor.parse([message], receiver: "api", context: &context) {
                    if let timestamp = item.timestamp { artifact.timestamp = timestamp }
                    for (name, value) in item.metadata { artifact.fields["meta.\(name)"] = value }
                    artifacts.append(artifact)
                }
                contexts[item.source] = context
            }
        }
        self.ingestor.metrics.increment(.rejected, "api", by: rejected)
        if !artifacts.isEmpty { try await self.ingestor.sink.accept(artifacts) }
        return .init(accepted: artifacts.count, rejected: rejected, errors: errors)
    }

    private static func collect(_ body: HTTPBody) async throws -> ArraySlice<UInt8> {
        do {
            return try await ArraySlice<UInt8>(collecting: body, upTo: 64 * 1024 * 1024)
        } catch {
            throw APIError.invalid("the request body could not be read")
        }
    }
}

/// One message of an ingest request, checked.
struct IngestItem {
    struct Refusal: Error {
        var message: String
    }

    var source: String
    var raw: [UInt8]
    var timestamp: Date?
    var metadata: [String: String]

    static func make(
        source: String?, raw: String?, rawBase64: String?, timestamp: String?, metadata: [String: String]?
    ) -> Result<IngestItem, Refusal> {
        var rawBytes: [UInt8]?
        if let rawBase64 {
            guard let data = Data(base64Encoded: rawBase64) else {
                return .failure(Refusal(message: "raw_base64 is not base64"))
            }
            rawBytes = Array(data)
        }
        var date: Date?
        if let timestamp {
            guard let parsed = TimestampFormat.date(from: timestamp) else {
                return .failure(Refusal(message: "timestamp is not ISO 8601"))
            }
            date = parsed
        }
        let bytes: [UInt8]
        switch (raw, rawBytes) {
        case (let raw?, nil): bytes = Array(raw.utf8)
        case (nil, let decoded?): bytes = decoded
        case (nil, nil): return .failure(Refusal(message: "give raw or raw_base64"))
        case (.some, .some): return .failure(Refusal(message: "give raw or raw_base64, not both"))
        }
        guard !bytes.isEmpty else { return .failure(Refusal(message: "raw is empty")) }
        let source = String((source?.trimmingCharacters(in: .whitespaces) ?? "").prefix(200))
        return .success(
            IngestItem(source: source.isEmpty ? "api" : source, raw: bytes, timestamp: date, metadata: metadata ?? [:]))
    }

    /// The shape of one NDJSON line: the same fields as a JSON batch item.
    private struct Line: Decodable {
        var source: String?
        var raw: String?
        var rawBase64: String?
        var timestamp: String?
        var metadata: [String: String]?

        enum CodingKeys: String, CodingKey {
            case source, raw, timestamp, metadata
            case rawBase64 = "raw_base64"
        }
    }

    /// Each non-blank line of an NDJSON body, decoded or refused with the reason.
    static func lines(ofNDJSON bytes: ArraySlice<UInt8>) -> [Result<IngestItem, Refusal>] {
        let decoder = JSONDecoder()
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard
                line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }
                )
            else { return nil }
            guard let item = try? decoder.decode(Line.self, from: Data(line)) else {
                return .failure(Refusal(message: "not a JSON object with raw or raw_base64"))
            }
            return Self.make(
                source: item.source, raw: item.raw, rawBase64: item.rawBase64, timestamp: item.timestamp,
                metadata: item.metadata)
        }
    }
}

extension APIHandler {
    public func searchArtifacts(_ input: Operations.SearchArtifacts.Input) async throws
        -> Operations.SearchArtifacts.Output
    {
        let principal = try self.principal()
        let page = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(page)
        try RequestValidation.length(input.query.source, of: "source", in: 1...200)
        try RequestValidation.length(input.query.stream, of: "stream", in: 1...200)
        try RequestValidation.length(input.query.messageType, of: "message_type", in: 1...100)
        try RequestValidation.length(input.query.entity, of: "entity", in: 3...1_000)
        try RequestValidation.length(input.query.q, of: "q", in: 1...1_000)
        guard let range = Self.timeRange(from: input.query.from, to: input.query.to) else {
            let empty = Components.Schemas.ArtifactPage(items: [], total: 0, limit: page.limit, offset: page.offset)
            return .ok(.init(body: .json(.init(success: true, message: "ok", data: empty))))
        }
        var entity: EntityKey?
        if let text = input.query.entity {
            guard let key = EntityKey(text) else {
                throw APIError.invalid("entity must read type:value, e.g. ip:10.0.0.5 or user:root")
            }
            entity = EntityKey(type: NodeType(rawValue: key.type.rawValue.lowercased()), value: key.value)
        }
        let query = ArtifactQuery(
            timeRange: range, source: input.query.source,
            streamName: input.query.stream, messageType: input.query.messageType.map { MessageType(rawValue: $0) },
            entity: entity, text: input.query.q, order: .newestFirst, page: page)
        let result = try await self.storage.artifacts.search(query, in: principal.orgID)
        let data = Components.Schemas.ArtifactPage(
            items: try result.items.map(APIConversion.artifact), total: result.total, limit: result.limit,
            offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func getArtifact(_ input: Operations.GetArtifact.Input) async throws -> Operations.GetArtifact.Output {
        let principal = try self.principal()
        let id = try validatedID(input.path.id)
        guard let artifact = try await self.storage.artifacts.artifact(Artifact.ID(id), in: principal.orgID) else {
            throw StorageError(.notFound, "artifact not found")
        }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try APIConversion.artifact(artifact)))))
    }
}
