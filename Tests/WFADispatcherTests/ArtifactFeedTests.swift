import Foundation
import Logging
import Testing
import WFACore
import WFAStorage

@testable import WFADispatcher

/// The sampled live artifact feed: newest artifacts of subscribed orgs, each sent once, bounded.
struct ArtifactFeedTests {
    static func artifact(_ org: Org.ID, secondsAgo: Double, now: Date, raw: String = "sshd: Failed password")
        -> Artifact
    {
        Artifact(
            orgID: org, timestamp: now.addingTimeInterval(-secondsAgo), source: "syslog", messageType: .authFailure,
            raw: Array(raw.utf8))
    }

    static func texts(_ stream: AsyncStream<DispatchHub.Outbound>, count: Int) async -> [String] {
        var iterator = stream.makeAsyncIterator()
        var texts: [String] = []
        while texts.count < count, let batch = await iterator.next() { texts += batch.texts }
        return texts
    }

    @Test("subscribers get their org's newest artifacts once, at most perSecond a round; others get none")
    func sampling() async throws {
        let store = InMemoryArtifactStore()
        let now = Date()
        try await store.append(
            (0..<5).map { Self.artifact("acme", secondsAgo: Double($0), now: now, raw: "line \($0)") }
                + [Self.artifact("acme", secondsAgo: 600, now: now), Self.artifact("globex", secondsAgo: 1, now: now)])
        let hub = DispatchHub()
        let feed = ArtifactFeed(hub: hub, artifacts: store, perSecond: 3, logger: Logger(label: "feed-test"))
        let (_, watching) = await hub.connect(org: "acme", topics: [.artifacts])
        let (_, incidentsOnly) = await hub.connect(org: "acme", topics: [.incidents])
        #expect(await hub.orgs(subscribedTo: .artifacts) == ["acme"])

        var sent = RecentIDs()
        try await feed.sample("acme", skipping: &sent, now: now)
        try await feed.sample("acme", skipping: &sent, now: now)
        try await store.append([Self.artifact("acme", secondsAgo: 0, now: now.addingTimeInterval(1), raw: "line new")])
        try await feed.sample("acme", skipping: &sent, now: now.addingTimeInterval(1))

        let texts = await Self.texts(watching, count: 4)
        let objects = try texts.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.allSatisfy { $0["type"] as? String == "artifact" })
        let summaries = objects.compactMap { ($0["artifact"] as? [String: Any])?["summary"] as? String }
        #expect(summaries == ["line 2", "line 1", "line 0", "line new"], "oldest of the sample first, none twice")
        #expect((objects.first?["artifact"] as? [String: Any])?["message_type"] as? String == "auth_failure")

        var other = incidentsOnly.makeAsyncIterator()
        await hub.publish(DispatcherTests.event("acme"))
        let next = try #require(await other.next()?.texts.first)
        #expect(next.contains(#""type":"incident""#), "a client not subscribed to the feed got: \(next)")
    }
}

/// How the dispatcher gathers incident events between sends.
struct PendingIncidentEventsTests {
    @Test("an incident's updates between two sends go out as one event with the newest state and every change")
    func coalescing() {
        let pending = PendingIncidentEvents()
        let first = DispatcherTests.event("acme", title: "first")
        var later = first
        later.kind = .updated
        later.incident.status = .investigating
        later.activities = [IncidentActivity(.statusChanged, by: "u1", at: Date(), from: "1", to: "2")]
        let other = DispatcherTests.event("acme", title: "other")
        pending.add([first, other].map(LiveIncidentEvent.init))
        pending.add([LiveIncidentEvent(later)])
        let sent = pending.take()
        #expect(sent.map(\.incident.title) == ["first", "other"], "in the order they first changed")
        #expect(sent.first?.kind == .created, "a creation stays a creation")
        #expect(sent.first?.incident.status == .investigating, "the newest state")
        #expect(sent.first?.activities.map(\.action) == [.created, .statusChanged], "every change")
        #expect(pending.take().isEmpty)
    }
}
