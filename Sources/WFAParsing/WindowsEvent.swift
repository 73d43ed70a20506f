import Foundation
import WFACore

/// A Windows event in the shape every export shares: provider, event id, channel, computer, time
/// and the EventData name/value pairs, read from evtx-dump JSON (`Event.System`), Winlogbeat
/// (`winlog.*`), NXLog (flat `EventID`) or the XML rendering.
struct WindowsEvent {
    var provider: String?
    var eventID: Int
    var channel: String?
    var computer: String?
    var time: Date?
    var recordID: String?
    var data: [(String, String)]

    init(provider: String?, eventID: Int, channel: String?, computer: String?, time: Date?, data: [(String, String)]) {
        self.provider = provider
        self.eventID = eventID
        self.channel = channel
        self.computer = computer
        self.time = time
        self.data = data
    }

    init?(json record: JSONRecord) {
        if let event = record.record("Event"), let system = event.record("System") {
            // evtx_dump / python-evtx: attributes under "#attributes", text under "#text".
            guard let id = Self.integer(system.value("EventID")) else { return nil }
            self.init(
                provider: system.string("Provider.#attributes.Name"), eventID: id, channel: system.string("Channel"),
                computer: system.string("Computer"),
                time: system.string("TimeCreated.#attributes.SystemTime").flatMap(JSONTime.parse),
                data: Self.pairs(event.value("EventData") ?? event.value("UserData")))
            self.recordID = system.string("EventRecordID")
        } else if let winlog = record.record("winlog"), let id = Self.integer(winlog.value("event_id")) {
            self.init(
                provider: winlog.string("provider_name"), eventID: id, channel: winlog.string("channel"),
                computer: winlog.string("computer_name"),
                time: record.string("@timestamp").flatMap(JSONTime.parse),
                data: Self.pairs(winlog.value("event_data")))
            self.recordID = winlog.string("record_id")
        } else if let id = Self.integer(record.value("EventID")),
            record.object["Channel"] != nil || record.object["SourceName"] != nil
                || record.object["ProviderName"] != nil
        {
            // NXLog im_msvistalog: the EventData names sit beside the system fields.
            let data = record.object.members.compactMap { key, value in
                Self.nxlogSystemKeys.contains(key) ? nil : value.text.map { (key, $0) }
            }
            self.init(
                provider: record.string("SourceName") ?? record.string("ProviderName"), eventID: id,
                channel: record.string("Channel"), computer: record.string("Hostname"),
                time: record.string("EventTime").flatMap(JSONTime.parse), data: data)
            self.recordID = record.string("RecordNumber")
        } else {
            return nil
        }
    }

    /// NXLog's own fields beside the EventData names in its flat records.
    static let nxlogSystemKeys: Set<String> = [
        "EventID", "SourceName", "ProviderName", "Channel", "Hostname", "EventTime", "EventReceivedTime",
        "RecordNumber", "Severity", "SeverityValue", "Keywords", "EventType", "Task", "OpcodeValue",
        "ThreadID", "ProcessID", "Version", "Message", "Category", "Opcode", "SourceModuleName",
        "SourceModuleType",
    ]

    static func integer(_ value: JSONNode?) -> Int? {
        if let value, value.isObject { return Self.integer(value["#text"]) }
        return value?.text.flatMap { Int($0) }
    }

    /// EventData as pairs: a name/value object, or the XML-derived `Data: [{#attributes: {Name}, #text}]`.
    static func pairs(_ value: JSONNode?) -> [(String, String)] {
        guard let object = value, object.isObject else { return [] }
        if let list = object["Data"], list.isArray {
            return list.elements.compactMap { entry in
                guard let name = entry["#attributes"]?["Name"]?.string, let text = entry["#text"]?.text else {
                    return nil
                }
                return (name, text)
            }
        }
        var pairs: [(String, String)] = []
        var entries = 0
        var onlyEntry: JSONNode?
        let members = object.members
        pairs.reserveCapacity(members.count)
        for (key, value) in members where key != "#attributes" {
            entries += 1
            onlyEntry = value
            if let text = value.text { pairs.append((key, text)) }
        }
        // UserData wraps its fields in one element named for the event (`Operation_ClientFailure`).
        if entries == 1, let inner = onlyEntry, inner.isObject { return Self.pairs(inner) }
        return pairs
    }
}
