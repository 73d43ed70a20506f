import Foundation
import HTTPTypes
import OpenAPIRuntime
import WFACore
import WFADetection
import WFAStorage

/// Classification, lead and Sigma rules: CRUD with validation that says where a rule is wrong,
/// and a test that runs a rule over stored artifacts. The incident engine reads the rules again
/// every 30 s, so a change here takes effect without a restart.
extension APIHandler {
    // MARK: Lead rules

    public func listLeadRules(_ input: Operations.ListLeadRules.Input) async throws -> Operations.ListLeadRules.Output {
        let page = try await self.rulePage(LeadRule.self, limit: input.query.limit, offset: input.query.offset)
        let data = Components.Schemas.LeadRulePage(
            items: try page.items.map { try APIConversion.convert($0, to: Components.Schemas.LeadRule.self) },
            total: page.total, limit: page.limit, offset: page.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func createLeadRule(_ input: Operations.CreateLeadRule.Input) async throws
        -> Operations.CreateLeadRule.Output
    {
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let rule = try self.leadRule(body, id: .random())
        try await self.storage.rules.save([rule])
        return .created(.init(body: .json(.init(success: true, message: "created", data: try Self.wire(rule)))))
    }

    public func getLeadRule(_ input: Operations.GetLeadRule.Input) async throws -> Operations.GetLeadRule.Output {
        let rule = try await self.storedRule(LeadRule.self, input.path.id)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try Self.wire(rule)))))
    }

    public func updateLeadRule(_ input: Operations.UpdateLeadRule.Input) async throws
        -> Operations.UpdateLeadRule.Output
    {
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let existing = try await self.storedRule(LeadRule.self, input.path.id)
        let rule = try self.leadRule(body, id: existing.id)
        try await self.storage.rules.save([rule])
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: try Self.wire(rule)))))
    }

    public func deleteLeadRule(_ input: Operations.DeleteLeadRule.Input) async throws
        -> Operations.DeleteLeadRule.Output
    {
        try await self.deleteRule(LeadRule.self, input.path.id)
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    private func leadRule(_ body: Components.Schemas.LeadRuleRequest, id: LeadRule.ID) throws -> LeadRule {
        let principal = try self.principal()
        try RequestValidation.length(body.name, of: "name", in: 1...200)
        try RequestValidation.length(body.description, of: "description", in: 0...2_000)
        try RequestValidation.length(body.clientSetId, of: "client_set_id", in: 1...100)
        try RequestValidation.length(body.serverSetId, of: "server_set_id", in: 1...100)
        let techniques = body.attackTechniques ?? []
        try RequestValidation.count(techniques, of: "attack_techniques", atMost: 50)
        for technique in techniques { try RequestValidation.length(technique, of: "attack_techniques", in: 1...20) }
        try Self.compile(criteria: body.criteria)
        return LeadRule(
            id: id, orgID: principal.orgID, name: body.name, description: body.description ?? "",
            criteria: body.criteria, clientSetID: body.clientSetId, serverSetID: body.serverSetId,
            severity: body.severity.flatMap { IncidentSeverity(rawValue: $0.rawValue) } ?? .medium,
            attackTechniques: techniques, enabled: body.enabled ?? true, updatedAt: Date())
    }

    // MARK: Classification rules

    public func listClassificationRules(_ input: Operations.ListClassificationRules.Input) async throws
        -> Operations.ListClassificationRules.Output
    {
        let page = try await self.rulePage(
            ClassificationRule.self, limit: input.query.limit, offset: input.query.offset)
        let data = Components.Schemas.ClassificationRulePage(
            items: try page.items.map { try APIConversion.convert($0, to: Components.Schemas.ClassificationRule.self) },
            total: page.total, limit: page.limit, offset: page.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func createClassificationRule(_ input: Operations.CreateClassificationRule.Input) async throws
        -> Operations.CreateClassificationRule.Output
    {
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let rule = try self.classificationRule(body, id: .random())
        try await self.storage.rules.save([rule])
        return .created(.init(body: .json(.init(success: true, message: "created", data: try Self.wire(rule)))))
    }

    public func getClassificationRule(_ input: Operations.GetClassificationRule.Input) async throws
        -> Operations.GetClassificationRule.Output
    {
        let rule = try await self.storedRule(ClassificationRule.self, input.path.id)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try Self.wire(rule)))))
    }

    public func updateClassificationRule(_ input: Operations.UpdateClassificationRule.Input) async throws
        -> Operations.UpdateClassificationRule.Output
    {
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let existing = try await self.storedRule(ClassificationRule.self, input.path.id)
        let rule = try self.classificationRule(body, id: existing.id)
        try await self.storage.rules.save([rule])
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: try Self.wire(rule)))))
    }

    public func deleteClassificationRule(_ input: Operations.DeleteClassificationRule.Input) async throws
        -> Operations.DeleteClassificationRule.Output
    {
        try await self.deleteRule(ClassificationRule.self, input.path.id)
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    private func classificationRule(
        _ body: Components.Schemas.ClassificationRuleRequest, id: ClassificationRule.ID
    ) throws -> ClassificationRule {
        let principal = try self.principal()
        try RequestValidation.length(body.name, of: "name", in: 1...200)
        try RequestValidation.length(body.streamName, of: "stream_name", in: 1...100)
        guard (0...1_000_000).contains(body.priority) else { throw APIError.invalid("priority must be 0 to 1000000") }
        guard let severity = SeverityCode(rawValue: body.severityCode) else {
            throw APIError.invalid("severity_code must be 1 (critical) to 5 (informational)")
        }
        try Self.compile(criteria: body.criteria)
        return ClassificationRule(
            id: id, orgID: principal.orgID, name: body.name, priority: body.priority, criteria: body.criteria,
            streamName: body.streamName, severityCode: severity, enabled: body.enabled ?? true, updatedAt: Date())
    }

    // MARK: Sigma rules

    public func listSigmaRules(_ input: Operations.ListSigmaRules.Input) async throws
        -> Operations.ListSigmaRules.Output
    {
        let page = try await self.rulePage(SigmaRule.self, limit: input.query.limit, offset: input.query.offset)
        let data = Components.Schemas.SigmaRulePage(
            items: try page.items.map { try APIConversion.convert($0, to: Components.Schemas.SigmaRule.self) },
            total: page.total, limit: page.limit, offset: page.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func createSigmaRule(_ input: Operations.CreateSigmaRule.Input) async throws
        -> Operations.CreateSigmaRule.Output
    {
        let (yaml, enabled) = try await Self.sigmaUpload(input.body)
        let rule = try self.sigmaRule(yaml, enabled: enabled, id: nil)
        try await self.storage.rules.save([rule])
        return .created(.init(body: .json(.init(success: true, message: "created", data: try Self.wire(rule)))))
    }

    public func getSigmaRule(_ input: Operations.GetSigmaRule.Input) async throws -> Operations.GetSigmaRule.Output {
        let rule = try await self.storedRule(SigmaRule.self, input.path.id)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try Self.wire(rule)))))
    }

    public func updateSigmaRule(_ input: Operations.UpdateSigmaRule.Input) async throws
        -> Operations.UpdateSigmaRule.Output
    {
        let existing = try await self.storedRule(SigmaRule.self, input.path.id)
        let (yaml, enabled) = try await Self.sigmaUpload(input.body)
        let rule = try self.sigmaRule(yaml, enabled: enabled, id: existing.id)
        try await self.storage.rules.save([rule])
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: try Self.wire(rule)))))
    }

    public func deleteSigmaRule(_ input: Operations.DeleteSigmaRule.Input) async throws
        -> Operations.DeleteSigmaRule.Output
    {
        try await self.deleteRule(SigmaRule.self, input.path.id)
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    /// The YAML and switch of an upload, JSON `{yaml, enabled}` or a raw YAML body.
    private static func sigmaUpload(_ body: some SigmaUploadBody) async throws -> (String, Bool) {
        switch try await body.upload() {
        case .json(let request):
            try RequestValidation.length(request.yaml, of: "yaml", in: 1...200_000)
            return (request.yaml, request.enabled ?? true)
        case .yaml(let text):
            try RequestValidation.length(text, of: "the YAML body", in: 1...200_000)
            return (text, true)
        }
    }

    /// Compiles the upload; its id is the path's (a replacement), else the rule's own Sigma id.
    private func sigmaRule(_ yaml: String, enabled: Bool, id: SigmaRule.ID?) throws -> SigmaRule {
        let principal = try self.principal()
        var rule: SigmaRule
        do {
            rule = try SigmaRule(
                compiling: yaml, org: principal.orgID, fallbackID: UUID().uuidString.lowercased(), enabled: enabled)
        } catch {
            throw Self.invalidRule(error.description)
        }
        if let id { rule.id = id }
        guard (1...100).contains(rule.id.rawValue.unicodeScalars.count) else {
            throw Self.invalidRule("the rule's id must be 1 to 100 characters")
        }
        return rule
    }

    // MARK: Shared

    private func rulePage<Rule: DetectionRule>(_ type: Rule.Type, limit: Int?, offset: Int?) async throws -> Page<Rule>
    {
        let principal = try self.principal()
        let page = PageRequest(limit: limit ?? 50, offset: offset ?? 0)
        try Self.validate(page)
        return try await self.storage.rules.rules(type, in: principal.orgID, page: page)
    }

    func storedRule<Rule: DetectionRule>(_ type: Rule.Type, _ id: String) async throws -> Rule {
        let principal = try self.principal()
        try RequestValidation.length(id, of: "id", in: 1...100)
        guard let rule = try await self.storage.rules.rule(type, id: Identifier(id), in: principal.orgID) else {
            throw StorageError(.notFound, "no \(Rule.kind.rawValue) rule \(id) in this org")
        }
        return rule
    }

    private func deleteRule<Rule: DetectionRule>(_ type: Rule.Type, _ id: String) async throws {
        let principal = try self.principal()
        try RequestValidation.length(id, of: "id", in: 1...100)
        guard try await self.storage.rules.delete(type, id: Identifier(id), in: principal.orgID) else {
            throw StorageError(.notFound, "no \(Rule.kind.rawValue) rule \(id) in this org")
        }
    }

    static func compile(criteria: String) throws {
        try RequestValidation.length(criteria, of: "criteria", in: 1...10_000)
        do {
            _ = try Criteria(parsing: criteria)
        } catch {
            throw Self.invalidRule("criteria \(error.description)")
        }
    }

    static func invalidRule(_ message: String) -> APIError {
        APIError(.unprocessableContent, code: "rule.invalid", message)
    }

    private static func wire<Rule: DetectionRule, Wire: Decodable>(_ rule: Rule) throws -> Wire {
        try APIConversion.convert(rule, to: Wire.self)
    }
}

/// The two ways a Sigma rule arrives, the same for create and replace.
enum SigmaUpload {
    case json(Components.Schemas.SigmaRuleRequest)
    case yaml(String)
}

protocol SigmaUploadBody: Sendable {
    func upload() async throws -> SigmaUpload
}

extension SigmaUploadBody {
    /// A YAML body is read up to 4 bytes per allowed character; the character count is checked after.
    static func text(of body: HTTPBody) async throws -> String {
        do {
            return try await String(collecting: body, upTo: 800_000)
        } catch {
            throw APIError.invalid("the YAML body is over 200,000 characters")
        }
    }
}

extension Operations.CreateSigmaRule.Input.Body: SigmaUploadBody {
    func upload() async throws -> SigmaUpload {
        switch self {
        case .json(let request): .json(request)
        case .yaml(let body): .yaml(try await Self.text(of: body))
        }
    }
}

extension Operations.UpdateSigmaRule.Input.Body: SigmaUploadBody {
    func upload() async throws -> SigmaUpload {
        switch self {
        case .json(let request): .json(request)
        case .yaml(let body): .yaml(try await Self.text(of: body))
        }
    }
}
