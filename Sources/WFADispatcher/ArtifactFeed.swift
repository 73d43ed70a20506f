public import Foundation
public import Logging
public import ServiceLifecycle
public import WFACore
public import WFAStorage

/// The sampled live artifact feed: a glimpse of what is arriving, for the orgs whose browsers
/// subscribed to `artifacts`.
///
/// Once a second it reads the newest stored artifacts of each such org (event time within the last
/// minute, at most `perSecond`) and sends the ones it has not sent before. It reads storage rather
/// than consuming the artifact stream on purpose: a durable consumer of every artifact would slow
/// the pipeline down (the in-process bus waits for its slowest consumer) and, over JetStream, keep
/// a backlog for a feed nobody may be watching. Nothing is read while nobody subscribed.
public struct ArtifactFeed: Service {
    let hub: DispatchHub
    let artifacts: any ArtifactStore
    let perSecond: Int
    let interval: Duration
    let logger: Logger

    public init(
        hub: DispatchHub, artifacts: any ArtifactStore, perSecond: Int = 10, interval: Duration = .seconds(1),
        logger: Logger
    ) {
        self.hub = hub
        self.artifacts = artifacts
        self.perSecond = max(1, perSecond)
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var sent: [Org.ID: RecentIDs] = [:]
            while !Task.isCancelled {
                try await Task.sleep(for: self.interval)
                let orgs = await self.hub.orgs(subscribedTo: .artifacts)
                sent = sent.filter { orgs.contains($0.key) }
                for org in orgs {
                    do {
                        try await self.sample(org, skipping: &sent[org, default: RecentIDs()])
                    } catch {
                        self.logger.warning(
                            "live artifact feed could not read storage",
                            metadata: ["org": "\(org)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Sends `org`'s newest artifacts not sent before; one round of ``run()``.
    func sample(_ org: Org.ID, skipping sent: inout RecentIDs, now: Date = Date()) async throws {
        let page = try await self.artifacts.search(
            ArtifactQuery(
                timeRange: TimeRange(start: now.addingTimeInterval(-60), end: now.addingTimeInterval(60)),
                order: .newestFirst, page: PageRequest(limit: self.perSecond), countsTotal: false), in: org)
        let fresh = page.items.filter { sent.insert($0.id) }
        guard !fresh.isEmpty else { return }
        await self.hub.publish(fresh.reversed().map(LiveArtifact.init), to: org)
    }
}

/// The ids an org's feed sent lately, so an artifact is sent once; bounded.
struct RecentIDs {
    private var order: [Artifact.ID] = []
    private var members: Set<Artifact.ID> = []
    static let capacity = 1_000

    /// False when `id` was sent before.
    mutating func insert(_ id: Artifact.ID) -> Bool {
        guard self.members.insert(id).inserted else { return false }
        self.order.append(id)
        if self.order.count > Self.capacity {
            self.members.remove(self.order.removeFirst())
        }
        return true
    }
}

/// What the feed says about an artifact: enough for a line in a list, not the whole record.
public struct LiveArtifact: Sendable, Hashable, Encodable {
    public var id: Artifact.ID
    public var timestamp: Date
    public var source: String
    public var streamName: String
    public var messageType: MessageType
    public var clientIP: String?
    public var serverIP: String?
    public var userName: String?
    /// The raw message's first 200 characters.
    public var summary: String

    public init(_ artifact: Artifact) {
        self.id = artifact.id
        self.timestamp = artifact.timestamp
        self.source = artifact.source
        self.streamName = artifact.streamName
        self.messageType = artifact.messageType
        self.clientIP = artifact.clientIP?.description
        self.serverIP = artifact.serverIP?.description
        self.userName = artifact.userName
        self.summary = String(String(decoding: artifact.raw.prefix(800), as: UTF8.self).prefix(200))
    }

    enum CodingKeys: String, CodingKey {
        case id, timestamp, source
        case streamName = "stream_name"
        case messageType = "message_type"
        case clientIP = "client_ip"
        case serverIP = "server_ip"
        case userName = "user_name"
        case summary
    }
}
