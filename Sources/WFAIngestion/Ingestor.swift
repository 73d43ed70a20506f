public import Foundation
public import WFACore
public import WFAParsing

/// Parses messages from one receiver and hands the artifacts to the sink, counting as it goes.
/// Shared by the syslog receivers, the API and file import so that every way in behaves alike.
public struct Ingestor: Sendable {
    public let sink: any ArtifactSink
    public let metrics: IngestMetrics
    let parser = LogParser()

    public init(sink: any ArtifactSink, metrics: IngestMetrics = IngestMetrics()) {
        self.sink = sink
        self.metrics = metrics
    }

    /// Parses `messages` in order with `context` (which carries Zeek TSV headers from one message
    /// to the next) and returns the artifacts, without handing them on. Directive lines
    /// (`#fields`) update the context and produce no artifact.
    public func parse(
        _ messages: some Sequence<IngestMessage>, receiver: String, context: inout ParsingContext
    ) -> [Artifact] {
        var artifacts: [Artifact] = []
        var unknown: [String: Int] = [:]
        var truncated = 0
        for message in messages {
            context.receivedAt = message.receivedAt
            context.source = message.source
            let result = self.parser.parse(message.bytes, context: &context)
            guard !result.isDirective else { continue }
            var artifact = result.artifact
            if message.truncated {
                artifact.tags.append("truncated")
                truncated += 1
            }
            if result.format == .unknown { unknown[message.source, default: 0] += 1 }
            artifacts.append(artifact)
        }
        self.metrics.increment(.messages, receiver, by: artifacts.count)
        self.metrics.increment(.truncated, receiver, by: truncated)
        for (source, count) in unknown { self.metrics.increment(.unknown, source, by: count) }
        return artifacts
    }

    /// Parses and hands on; returns how many artifacts the sink took.
    @discardableResult
    public func ingest(
        _ messages: some Sequence<IngestMessage>, receiver: String, context: inout ParsingContext
    ) async throws -> Int {
        let artifacts = self.parse(messages, receiver: receiver, context: &context)
        guard !artifacts.isEmpty else { return 0 }
        try await self.sink.accept(artifacts)
        return artifacts.count
    }
}

/// One message as a receiver got it, before parsing.
public struct IngestMessage: Sendable {
    public var bytes: [UInt8]
    public var source: String
    public var receivedAt: Date
    /// Cut to the receiver's size limit; the artifact is tagged `truncated`.
    public var truncated: Bool

    public init(bytes: [UInt8], source: String, receivedAt: Date = Date(), truncated: Bool = false) {
        self.bytes = bytes
        self.source = source
        self.receivedAt = receivedAt
        self.truncated = truncated
    }
}
