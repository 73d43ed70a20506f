import ArgumentParser
import Foundation
import OpenAPIRuntime
import WFAClient

/// `wfa rules ...`: the org's lead, classification and Sigma rules.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List, add, upload, test and delete detection rules.",
        discussion: """
            Lead and classification rules use the criteria language (`field OP value` joined by AND/OR, \
            e.g. message_type = "auth_failure" AND program = "sshd"); Sigma rules are SigmaHQ YAML files. \
            The incident engine picks changes up within 30 seconds.
            """,
        subcommands: [List.self, Get.self, AddLead.self, Upload.self, Delete.self, Test.self])

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case lead, sigma, classification
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List one family of rules, by id.")
        @Option(help: "lead, sigma or classification.") var kind: Kind = .lead
        @Option(help: "Most to list (1-1000).") var limit = 50
        @Option(help: "How many to skip.") var offset = 0
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let client = try self.client.client()
            let rows: [[String]]
            let total: Int
            switch self.kind {
            case .lead:
                let output = try await client.listLeadRules(query: .init(limit: self.limit, offset: self.offset))
                guard case .ok(let ok) = output else { throw ClientOutput.failure(output) }
                let page = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(page) }
                rows = page.items.map {
                    [
                        $0.id, $0.enabled ? "on" : "off", $0.severity.rawValue, String($0.name.prefix(40)),
                        String($0.criteria.prefix(60)),
                    ]
                }
                total = page.total
            case .sigma:
                let output = try await client.listSigmaRules(query: .init(limit: self.limit, offset: self.offset))
                guard case .ok(let ok) = output else { throw ClientOutput.failure(output) }
                let page = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(page) }
                rows = page.items.map {
                    let source = [$0.logsourceProduct, $0.logsourceCategory ?? $0.logsourceService].compactMap { $0 }
                    return [
                        $0.id, $0.enabled ? "on" : "off", $0.level.rawValue, String($0.name.prefix(40)),
                        source.joined(separator: "/"),
                    ]
                }
                total = page.total
            case .classification:
                let output = try await client.listClassificationRules(
                    query: .init(limit: self.limit, offset: self.offset))
                guard case .ok(let ok) = output else { throw ClientOutput.failure(output) }
                let page = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(page) }
                rows = page.items.map {
                    [
                        $0.id, $0.enabled ? "on" : "off", "\($0.priority) → \($0.streamName)",
                        String($0.name.prefix(40)), String($0.criteria.prefix(60)),
                    ]
                }
                total = page.total
            }
            ClientOutput.printTable(
                [
                    "ID", "STATE", self.kind == .classification ? "PRIORITY" : "SEVERITY", "NAME",
                    self.kind == .sigma ? "LOG SOURCE" : "CRITERIA",
                ], rows)
            print("\(rows.count) of \(total)")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one rule as JSON (a Sigma rule with its YAML).")
        @Argument(help: "lead, sigma or classification.") var kind: Kind
        @Argument(help: "The rule ID.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let client = try self.client.client()
            switch self.kind {
            case .lead:
                let output = try await client.getLeadRule(path: .init(id: self.id))
                guard case .ok(let ok) = output else { throw ClientOutput.failure(output) }
                try ClientOutput.printJSON(try ok.body.json.data)
            case .sigma:
                let output = try await client.getSigmaRule(path: .init(id: self.id))
                guard case .ok(let ok) = output else { throw ClientOutput.failure(output) }
                let rule = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(rule) }
                print(rule.yaml)
            case .classification:
                let output = try await client.getClassificationRule(path: .init(id: self.id))
                guard case .ok(let ok) = output else { throw ClientOutput.failure(output) }
                try ClientOutput.printJSON(try ok.body.json.data)
            }
        }
    }

    struct AddLead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-lead", abstract: "Add a lead rule.")
        @Option(help: "A name analysts will read in incident titles.") var name: String
        @Option(help: #"Criteria, e.g. 'message_type = "auth_failure" AND program = "sshd"'."#) var criteria: String
        @Option(help: "informational, low, medium, high or critical.") var severity = "medium"
        @Option(name: .customLong("technique"), help: "An ATT&CK technique id (repeat for more).")
        var techniques: [String] = []
        @OptionGroup var client: ClientOptions

        func validate() throws {
            guard Components.Schemas.LeadRuleRequest.SeverityPayload(rawValue: self.severity) != nil else {
                throw ValidationError("--severity must be informational, low, medium, high or critical")
            }
        }

        func run() async throws {
            let body = Components.Schemas.LeadRuleRequest(
                name: self.name, criteria: self.criteria,
                severity: .init(rawValue: self.severity),
                attackTechniques: self.techniques.isEmpty ? nil : self.techniques)
            let output = try await self.client.client().createLeadRule(body: .json(body))
            guard case .created(let created) = output else { throw ClientOutput.failure(output) }
            let rule = try created.body.json.data
            if self.client.output == .json { return try ClientOutput.printJSON(rule) }
            print("added lead rule \(rule.id)")
        }
    }

    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upload Sigma rule files; a rule with the same Sigma id replaces the stored one.")
        @Argument(help: "Sigma YAML files.", completion: .file()) var files: [String]
        @OptionGroup var client: ClientOptions

        func validate() throws {
            guard !self.files.isEmpty else { throw ValidationError("name at least one file") }
        }

        func run() async throws {
            let client = try self.client.client()
            var failed = 0
            for (index, path) in self.files.enumerated() {
                let prefix = "[\(index + 1)/\(self.files.count)] \(path)"
                let yaml: String
                do {
                    yaml = try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    print("\(prefix): cannot read it (\(error.localizedDescription))")
                    failed += 1
                    continue
                }
                let output = try await client.createSigmaRule(body: .yaml(HTTPBody(yaml)))
                if case .created(let created) = output {
                    let rule = try created.body.json.data
                    print("\(prefix): \(rule.id) \(rule.name)")
                } else {
                    print("\(prefix): \(ClientOutput.failure(output))")
                    failed += 1
                }
            }
            if failed > 0 { throw CommandError(description: "\(failed) of \(self.files.count) files were not stored") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a rule (or switch it off by uploading it with enabled false).")
        @Argument(help: "lead, sigma or classification.") var kind: Kind
        @Argument(help: "The rule ID.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let client = try self.client.client()
            switch self.kind {
            case .lead:
                let output = try await client.deleteLeadRule(path: .init(id: self.id))
                guard case .ok = output else { throw ClientOutput.failure(output) }
            case .sigma:
                let output = try await client.deleteSigmaRule(path: .init(id: self.id))
                guard case .ok = output else { throw ClientOutput.failure(output) }
            case .classification:
                let output = try await client.deleteClassificationRule(path: .init(id: self.id))
                guard case .ok = output else { throw ClientOutput.failure(output) }
            }
            print("deleted \(self.kind.rawValue) rule \(self.id)")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a rule over stored artifacts and show what it would have matched.",
            discussion: "Give a stored rule (--id), draft criteria (--criteria) or a draft Sigma file (--sigma-file).")
        @Option(help: "lead, sigma or classification.") var kind: Kind = .lead
        @Option(help: "A stored rule ID.") var id: String?
        @Option(help: "Draft criteria for a lead or classification rule.") var criteria: String?
        @Option(help: "A draft Sigma rule file.", completion: .file()) var sigmaFile: String?
        @Option(help: "How far back to look, in hours.") var hours = 24
        @Option(help: "Most artifacts to read (1-100000).") var scanLimit = 10_000
        @Option(help: "Most matches to show (1-1000).") var limit = 20
        @OptionGroup var client: ClientOptions

        func validate() throws {
            guard [self.id, self.criteria, self.sigmaFile].compactMap({ $0 }).count == 1 else {
                throw ValidationError("give exactly one of --id, --criteria and --sigma-file")
            }
            guard self.hours > 0 else { throw ValidationError("--hours must be positive") }
        }

        func run() async throws {
            let yaml = try self.sigmaFile.map { try String(contentsOfFile: $0, encoding: .utf8) }
            let now = Date()
            let body = Components.Schemas.RuleTestRequest(
                kind: .init(rawValue: self.sigmaFile != nil ? "sigma" : self.kind.rawValue) ?? .lead, ruleId: self.id,
                criteria: self.criteria, yaml: yaml, from: now.addingTimeInterval(-Double(self.hours) * 3_600), to: now,
                limit: self.limit, scanLimit: self.scanLimit)
            let output = try await self.client.client().testRule(body: .json(body))
            guard case .ok(let ok) = output else { throw ClientOutput.failure(output) }
            let result = try ok.body.json.data
            if self.client.output == .json { return try ClientOutput.printJSON(result) }
            ClientOutput.printTable(
                ["TIME", "TYPE", "CLIENT", "SERVER", "USER", "RAW"],
                result.matches.map {
                    [
                        GraphCommand.time($0.timestamp), $0.messageType, $0.clientIp ?? "", $0.serverIp ?? "",
                        $0.userName ?? "", String(($0.rawText ?? "").prefix(60)),
                    ]
                })
            print(
                "matched \(result.matched) of \(result.scanned) artifacts"
                    + (result.truncated ? " (stopped at the scan limit; narrow --hours or raise --scan-limit)" : ""))
        }
    }
}

extension Operations.TestRule.Output.UnprocessableContent: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.CreateSigmaRule.Output.UnprocessableContent: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.CreateLeadRule.Output.UnprocessableContent: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
