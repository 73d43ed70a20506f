import WFACore

/// A Sigma rule's `logsource`: which events it is written for.
public struct SigmaLogSource: Sendable, Hashable {
    public var product: String?
    public var category: String?
    public var service: String?

    public init(product: String? = nil, category: String? = nil, service: String? = nil) {
        self.product = product?.lowercased()
        self.category = category?.lowercased()
        self.service = service?.lowercased()
    }

    /// True when an event with these facets is one the rule is written for.
    func admits(_ facets: LogSourceFacets) -> Bool {
        if let product, facets.product != product { return false }
        if let category, !facets.categories.contains(category) { return false }
        if let service, !facets.services.contains(service) { return false }
        return true
    }
}

/// What Sigma would call an artifact's log source: its product, and the categories and services
/// it belongs to (a Sysmon process creation is product `windows`, category `process_creation`,
/// service `sysmon`).
struct LogSourceFacets: Sendable, Hashable {
    var product: String?
    var categories: [String] = []
    var services: [String] = []

    init(product: String?, categories: [String] = [], services: [String] = []) {
        self.product = product
        self.categories = categories
        self.services = services
    }

    init(_ artifact: Artifact) {
        switch artifact.vendor {
        case "microsoft" where artifact.fields["channel"] != nil:
            self.init(windows: artifact)
        case "linux":
            self.init(product: "linux", services: ["auth", "syslog"] + [artifact.program].compactMap { $0 })
        case "zeek":
            let log =
                artifact.streamName.hasPrefix("zeek_") ? String(artifact.streamName.dropFirst(5)) : artifact.streamName
            self.init(product: "zeek", categories: log == "dns" ? ["dns"] : [], services: [log])
        case "aws":
            self.init(product: "aws", services: ["cloudtrail"])
        case "microsoft" where artifact.streamName.hasPrefix("m365"):
            self.init(product: "m365", services: ["audit", "threat_management"])
        case "microsoft" where artifact.streamName.hasPrefix("azure") || artifact.streamName.hasPrefix("entra"):
            self.init(product: "azure", services: ["signinlogs", "auditlogs", "activitylogs"])
        case "apache", "nginx":
            self.init(product: artifact.vendor, categories: ["webserver"], services: ["access"])
        default:
            var categories: [String] = []
            switch artifact.messageType {
            case .networkFlow: categories.append("firewall")
            case .dnsQuery: categories.append("dns")
            default: break
            }
            if artifact.messageType.rawValue.hasPrefix("http") { categories.append("proxy") }
            self.init(product: artifact.product?.lowercased(), categories: categories)
        }
    }

    /// Windows: the channel names the service, the provider and event id the category.
    private init(windows artifact: Artifact) {
        let channel = artifact.fields["channel"]?.lowercased() ?? ""
        let eventID = Int(artifact.vendorCode ?? "") ?? -1
        var services: [String] = []
        var categories: [String] = []
        if let service = Self.windowsServices[channel] { services.append(service) }
        if channel == "microsoft-windows-sysmon/operational" {
            categories = Self.sysmonCategories(eventID, eventType: artifact.fields["EventType"])
        } else if channel == "security", eventID == 4688 {
            categories = ["process_creation"]
        } else if channel == "microsoft-windows-powershell/operational" {
            categories = eventID == 4104 ? ["ps_script"] : eventID == 4103 ? ["ps_module"] : []
        } else if channel == "windows powershell", eventID == 400 {
            categories = ["ps_classic_start"]
        }
        self.init(product: "windows", categories: categories, services: services)
    }

    private static let windowsServices: [String: String] = [
        "security": "security", "system": "system", "application": "application",
        "microsoft-windows-sysmon/operational": "sysmon",
        "windows powershell": "powershell-classic",
        "microsoft-windows-powershell/operational": "powershell",
        "microsoft-windows-windows defender/operational": "windefend",
        "microsoft-windows-taskscheduler/operational": "taskscheduler",
        "microsoft-windows-wmi-activity/operational": "wmi",
        "microsoft-windows-dns-client/operational": "dns-client",
        "microsoft-windows-bits-client/operational": "bits-client",
        "microsoft-windows-windows firewall with advanced security/firewall": "firewall-as",
        "microsoft-windows-codeintegrity/operational": "codeintegrity-operational",
        "microsoft-windows-appxdeploymentserver/operational": "appxdeployment-server",
        "microsoft-windows-ntlm/operational": "ntlm",
        "microsoft-windows-terminalservices-localsessionmanager/operational": "terminalservices-localsessionmanager",
        "directory service": "directory-service",
        "openssh/operational": "openssh",
    ]

    /// Sysmon's event ids as Sigma's categories; registry events split by what was done.
    static func sysmonCategories(_ eventID: Int, eventType: String?) -> [String] {
        switch eventID {
        case 1: ["process_creation"]
        case 2: ["file_change"]
        case 3: ["network_connection"]
        case 5: ["process_termination"]
        case 6: ["driver_load"]
        case 7: ["image_load"]
        case 8: ["create_remote_thread"]
        case 9: ["raw_access_thread"]
        case 10: ["process_access"]
        case 11: ["file_event"]
        case 12:
            [
                "registry_event",
                eventType?.lowercased().hasPrefix("delete") == true ? "registry_delete" : "registry_add",
            ]
        case 13: ["registry_event", "registry_set"]
        case 14: ["registry_event", "registry_rename"]
        case 15: ["create_stream_hash"]
        case 17, 18: ["pipe_created"]
        case 19, 20, 21: ["wmi_event"]
        case 22: ["dns_query"]
        case 23: ["file_delete"]
        case 24: ["clipboard_change"]
        case 25: ["process_tampering"]
        case 26: ["file_delete_detected"]
        case 29: ["file_executable_detected"]
        default: []
        }
    }
}
