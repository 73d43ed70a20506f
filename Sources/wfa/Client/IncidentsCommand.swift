import ArgumentParser
import Foundation
import WFAClient

/// `wfa incidents ...`: the cases the incident engine opened.
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List incidents and show one with its leads and the reasons for its score.",
        subcommands: [List.self, Get.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List incidents, newest first.")
        @Option(help: "Comma-separated statuses: 1 New, 2 Investigating, 3 Resolved, 4 Closed, 5 Disrupted.")
        var status: String?
        @Option(help: "Lowest severity: informational, low, medium, high or critical.") var minSeverity: String?
        @Option(help: "Only incidents assigned to this user id.") var assignee: String?
        @Flag(help: "Also list incidents that were merged into others.") var includeMerged = false
        @Option(help: "Most to list (1-1000).") var limit = 50
        @Option(help: "How many to skip.") var offset = 0
        @OptionGroup var client: ClientOptions

        func run() async throws {
            var severity: Operations.ListIncidents.Input.Query.MinSeverityPayload?
            if let minSeverity {
                guard let parsed = Operations.ListIncidents.Input.Query.MinSeverityPayload(rawValue: minSeverity) else {
                    throw ValidationError("--min-severity must be informational, low, medium, high or critical")
                }
                severity = parsed
            }
            let query = Operations.ListIncidents.Input.Query(
                status: self.status, minSeverity: severity, assignee: self.assignee,
                includeMerged: self.includeMerged, limit: self.limit, offset: self.offset)
            switch try await self.client.client().listIncidents(query: query) {
            case .ok(let ok):
                let page = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(page) }
                ClientOutput.printTable(
                    ["ID", "STATUS", "SEVERITY", "SCORE", "LEADS", "LAST SEEN", "TITLE"],
                    page.items.map {
                        [
                            $0.id, "\($0.status)", $0.severity.rawValue, String(format: "%.2f", $0.suspicionScore),
                            "\($0.leads.reduce(0) { $0 + $1.count })", GraphCommand.time($0.lastObservedAt),
                            String($0.title.prefix(70)),
                        ]
                    })
                print("\(page.items.count) of \(page.total)")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one incident.")
        @Argument(help: "The incident ID that `wfa incidents list` shows.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().getIncident(path: .init(id: self.id)) {
            case .ok(let ok):
                let incident = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(incident) }
                print("\(incident.title)")
                print(
                    "status \(incident.status), severity \(incident.severity.rawValue), score "
                        + String(format: "%.2f", incident.suspicionScore)
                        + (incident.lifecycleStage.map { ", stage \($0.rawValue)" } ?? ""))
                print(
                    "seen \(GraphCommand.time(incident.firstObservedAt)) to \(GraphCommand.time(incident.lastObservedAt))"
                )
                if let merged = incident.mergedInto { print("merged into \(merged)") }
                print("\nscore reasons:")
                for reason in incident.scoreReasons {
                    print("  \(String(format: "%+.2f", reason.weight))  \(reason.reason)")
                }
                print("\nleads:")
                ClientOutput.printTable(
                    ["RULE", "KIND", "SEVERITY", "COUNT", "ROLE", "ACTOR"],
                    incident.leads.map {
                        [
                            String($0.ruleName.prefix(50)), $0.ruleKind.rawValue, $0.severity.rawValue, "\($0.count)",
                            $0.role ?? "", $0.nodeIds.first ?? "",
                        ]
                    })
                if !incident.mitreTechniques.isEmpty {
                    print("\nATT&CK: \(incident.mitreTechniques.joined(separator: ", "))")
                }
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
