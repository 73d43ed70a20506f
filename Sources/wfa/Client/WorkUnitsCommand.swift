import ArgumentParser
import Foundation
import WFAClient

/// `wfa work-units ...`: the tasks inside an incident.
struct WorkUnitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work-units",
        abstract: "List, add, update and delete the tasks of an incident.",
        subcommands: [List.self, Add.self, Update.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an incident's tasks, oldest first.")
        @Argument(help: "The incident ID.") var incident: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().listWorkUnits(path: .init(id: self.incident)) {
            case .ok(let ok):
                let units = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(units) }
                ClientOutput.printTable(
                    ["ID", "STATUS", "PRIORITY", "ASSIGNEE", "MINUTES", "TITLE"],
                    units.map {
                        [
                            $0.id, $0.status.rawValue, "\($0.priority)", $0.assignee ?? "",
                            "\($0.timeSpentSeconds / 60)",
                            String($0.title.prefix(70)),
                        ]
                    })
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a task to an incident.")
        @Argument(help: "The incident ID.") var incident: String
        @Option(help: "What to do.") var title: String
        @Option(help: "More detail.") var details: String?
        @Option(help: "1 (most urgent) to 5.") var priority = 3
        @Option(help: "A user ID to give it to.") var assignee: String?
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = Components.Schemas.WorkUnitRequest(
                title: self.title, details: self.details, priority: self.priority, assignee: self.assignee)
            switch try await self.client.client().createWorkUnit(path: .init(id: self.incident), body: .json(body)) {
            case .created(let created): try WorkUnitsCommand.print(try created.body.json.data, self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a task; options left out stay as they are.")
        @Argument(help: "The work unit ID.") var id: String
        @Option(help: "open, in_progress, complete or cancelled.")
        var status: String?
        @Option(help: "A new title.") var title: String?
        @Option(help: "New details.") var details: String?
        @Option(help: "1 (most urgent) to 5.") var priority: Int?
        @Option(help: "A user ID to give it to.") var assignee: String?
        @Flag(help: "Clear the assignee.") var unassign = false
        @Option(help: "Minutes spent to log on the task.") var addMinutes: Int?
        @OptionGroup var client: ClientOptions

        func validate() throws {
            if let text = self.status, Components.Schemas.WorkUnitUpdate.StatusPayload(rawValue: text) == nil {
                throw ValidationError("--status must be open, in_progress, complete or cancelled")
            }
        }

        func run() async throws {
            let status = self.status.flatMap(Components.Schemas.WorkUnitUpdate.StatusPayload.init(rawValue:))
            let body = Components.Schemas.WorkUnitUpdate(
                title: self.title, details: self.details, status: status, priority: self.priority,
                assignee: self.assignee, unassign: self.unassign ? true : nil,
                addSeconds: self.addMinutes.map { $0 * 60 })
            switch try await self.client.client().updateWorkUnit(path: .init(id: self.id), body: .json(body)) {
            case .ok(let ok): try WorkUnitsCommand.print(try ok.body.json.data, self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a task.")
        @Argument(help: "The work unit ID.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().deleteWorkUnit(path: .init(id: self.id)) {
            case .ok: Swift.print("deleted \(self.id)")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    static func print(_ unit: Components.Schemas.WorkUnit, _ output: ClientOptions.OutputFormat) throws {
        if output == .json { return try ClientOutput.printJSON(unit) }
        Swift.print(
            "\(unit.id): \(unit.status.rawValue), priority \(unit.priority), \(unit.timeSpentSeconds / 60) min — \(unit.title)"
        )
    }
}

/// `wfa observations ...`: evidence about incidents, nodes and artifacts.
struct ObservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observations",
        abstract: "List and record observations about incidents, nodes and artifacts.",
        subcommands: [List.self, Add.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List observations, newest first.")
        @Option(help: "Only about this incident ID.") var incident: String?
        @Option(help: "Only about this node (`type:value`).") var node: String?
        @Option(help: "Most to list (1-1000).") var limit = 50
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let query = Operations.ListObservations.Input.Query(
                incidentId: self.incident, nodeId: self.node, limit: self.limit)
            switch try await self.client.client().listObservations(query: query) {
            case .ok(let ok):
                let page = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(page) }
                ClientOutput.printTable(
                    ["OBSERVED", "AUTHOR", "INCIDENT", "NODE", "TEXT"],
                    page.items.map {
                        [
                            GraphCommand.time($0.observedAt), $0.author ?? "", $0.incidentId ?? "", $0.nodeId ?? "",
                            String($0.text.prefix(70)),
                        ]
                    })
                print("\(page.items.count) of \(page.total)")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an observation.")
        @Argument(help: "What was observed.") var text: String
        @Option(help: "The incident it belongs to.") var incident: String?
        @Option(help: "The node it is about (`type:value`).") var node: String?
        @Option(help: "The artifact it is about.") var artifact: String?
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = Components.Schemas.ObservationRequest(
                text: self.text, incidentId: self.incident, nodeId: self.node, artifactId: self.artifact)
            switch try await self.client.client().createObservation(body: .json(body)) {
            case .created(let created):
                let observation = try created.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(observation) }
                print("recorded \(observation.id)")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
