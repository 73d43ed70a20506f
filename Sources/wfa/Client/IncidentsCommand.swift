import ArgumentParser
import Foundation
import WFAClient

/// `wfa incidents ...`: the cases the incident engine opened.
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List and work incidents: status, assignee, notes, timeline.",
        subcommands: [List.self, Get.self, Status.self, Assign.self, Note.self, Timeline.self])

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

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an incident to another status.",
            discussion: """
                Statuses: 1 New, 2 Investigating, 3 Resolved (true positive), 4 Closed (false positive), \
                5 Disrupted. A resolved, closed or disrupted incident can only be reopened to 2.
                """)
        @Argument(help: "The incident ID.") var id: String
        @Argument(help: "The new status, 1-5.") var status: Int
        @Option(help: "Change only if the incident is still in this status.") var expected: Int?
        @Option(help: "A note to add with the change.") var note: String?
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = Components.Schemas.StatusChangeRequest(
                status: self.status, expectedStatus: self.expected, note: self.note)
            switch try await self.client.client().changeIncidentStatus(path: .init(id: self.id), body: .json(body)) {
            case .ok(let ok): try IncidentsCommand.printChange(try ok.body.json.data, output: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Assign an incident to a user, or clear it.")
        @Argument(help: "The incident ID.") var id: String
        @Argument(help: "The user ID (`wfa users list`); leave out with --clear.") var user: String?
        @Flag(help: "Clear the assignee.") var clear = false
        @OptionGroup var client: ClientOptions

        func validate() throws {
            guard (self.user == nil) == self.clear else { throw ValidationError("give a user ID, or --clear") }
        }

        func run() async throws {
            let body = Components.Schemas.AssignRequest(assignee: self.user)
            switch try await self.client.client().assignIncident(path: .init(id: self.id), body: .json(body)) {
            case .ok(let ok): try IncidentsCommand.printChange(try ok.body.json.data, output: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Note: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a note to an incident.")
        @Argument(help: "The incident ID.") var id: String
        @Argument(help: "The note's text.") var text: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = Components.Schemas.NoteRequest(text: self.text)
            switch try await self.client.client().addIncidentNote(path: .init(id: self.id), body: .json(body)) {
            case .created(let created):
                try IncidentsCommand.printChange(try created.body.json.data, output: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what happened to an incident: its leads and every change, oldest first.")
        @Argument(help: "The incident ID.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().getIncidentTimeline(path: .init(id: self.id)) {
            case .ok(let ok):
                let entries = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(entries) }
                ClientOutput.printTable(
                    ["TIME", "WHAT", "SUMMARY"],
                    entries.map { [GraphCommand.time($0.at), $0._type.rawValue, String($0.summary.prefix(100))] })
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    static func printChange(_ incident: Components.Schemas.Incident, output: ClientOptions.OutputFormat) throws {
        if output == .json { return try ClientOutput.printJSON(incident) }
        print(
            "\(incident.id): status \(incident.status), assignee \(incident.assignee ?? "none"), "
                + "\(incident.notes.count) note\(incident.notes.count == 1 ? "" : "s")")
    }
}
