import ArgumentParser
import Foundation
import WFACore
import WFADetection
import WFAIncidents

/// The rules an org starts with and how incidents group leads.
struct DetectionOptions: ParsableArguments {
    @Option(help: "Reference lead-rule catalog seeded into an org that has no lead rules.")
    var leadCatalog: String = "fixtures/witfoo/lead_rules_catalog.json"

    @Option(help: "Folder of Sigma rules (*.yml) seeded into an org that has no Sigma rules.")
    var sigmaRules: String = "fixtures/sigma/rules"

    @Option(help: "Hours an incident keeps taking leads after its last one.")
    var incidentWindowHours: Double = 24

    func correlation(leadSets: [String: String]) throws -> IncidentCorrelator.Configuration {
        guard self.incidentWindowHours > 0 else { throw ValidationError("--incident-window-hours must be above 0") }
        return IncidentCorrelator.Configuration(window: self.incidentWindowHours * 3600, leadSets: leadSets)
    }

    /// The lead sets the catalog names, for lead roles and lifecycle stages; none without a catalog.
    func leadSets() throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: self.leadCatalog) else { return [:] }
        do {
            return try LeadRuleCatalog(json: data, org: "default").setNames
        } catch {
            throw ValidationError("--lead-catalog \(self.leadCatalog) is not a lead-rule catalog: \(error)")
        }
    }
}
