import Foundation
public import WFACore
import WFADetection
public import WFAStorage

/// Applies each org's classification rules to artifacts on their way in, then hands them on: the
/// first rule in priority order that matches sets the stream and severity, so what is stored,
/// searched and detected on is the classified artifact. An org's rules are read again every
/// `refresh` (30 s), so an edit takes effect without a restart.
public actor ClassifyingSink: ArtifactSink {
    private struct Compiled {
        var engine: DetectionEngine
        var loadedAt: ContinuousClock.Instant
    }

    let rules: any RuleStore
    let next: any ArtifactSink
    let refresh: Duration
    private var orgs: [Org.ID: Compiled] = [:]

    public init(rules: any RuleStore, next: any ArtifactSink, refresh: Duration = .seconds(30)) {
        self.rules = rules
        self.next = next
        self.refresh = refresh
    }

    public func accept(_ artifacts: [Artifact]) async throws {
        // A batch comes from one receiver, nearly always of one org: rules are checked per org, not per artifact.
        for org in Set(artifacts.map(\.orgID)) { try await self.load(org) }
        var classified = artifacts
        for index in classified.indices {
            self.orgs[classified[index].orgID]?.engine.classify(&classified[index])
        }
        try await self.next.accept(classified)
    }

    private func load(_ org: Org.ID) async throws {
        let now = ContinuousClock.now
        if let loaded = self.orgs[org]?.loadedAt, now - loaded < self.refresh { return }
        let rules = try await Page.all { try await self.rules.rules(ClassificationRule.self, in: org, page: $0) }
        self.orgs[org] = Compiled(engine: DetectionEngine(classificationRules: rules), loadedAt: now)
    }
}
