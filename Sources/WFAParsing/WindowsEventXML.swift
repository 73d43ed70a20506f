import Foundation

/// The XML rendering of a Windows event (`<Event xmlns=...><System>...</System><EventData>...`),
/// read with a small scanner: the structure is fixed and shallow, and a full XML parser per event
/// would cost more than everything else.
enum WindowsEventXML {
    static func parse(_ bytes: [UInt8]) -> WindowsEvent? {
        let text = bytes.utf8String
        guard let id = Self.element("EventID", in: text).flatMap({ Int($0) }) else { return nil }
        var data: [(String, String)] = []
        var rest = Substring(text)
        while let open = rest.range(of: "<Data Name=") {
            rest = rest[open.upperBound...]
            guard let quote = rest.first, quote == "\"" || quote == "'" else { break }
            rest = rest.dropFirst()
            guard let nameEnd = rest.firstIndex(of: quote) else { break }
            let name = String(rest[..<nameEnd])
            rest = rest[rest.index(after: nameEnd)...]
            if rest.hasPrefix("/>") {
                data.append((name, ""))
                continue
            }
            // The closing tag is looked for after the opening tag ends: a malformed event may put
            // `</Data>` first, and the value must never be read backwards.
            guard let valueStart = rest.firstIndex(of: ">") else { break }
            let value = rest[rest.index(after: valueStart)...]
            guard let valueEnd = value.range(of: "</Data>") else { break }
            data.append((name, Self.unescape(String(value[..<valueEnd.lowerBound]))))
            rest = value[valueEnd.upperBound...]
        }
        var event = WindowsEvent(
            provider: Self.attribute("Name", of: "Provider", in: text), eventID: id,
            channel: Self.element("Channel", in: text), computer: Self.element("Computer", in: text),
            time: Self.attribute("SystemTime", of: "TimeCreated", in: text).flatMap(JSONTime.parse), data: data)
        event.recordID = Self.element("EventRecordID", in: text)
        return event
    }

    /// Text of the first `<name ...>text</name>`.
    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(name)") else { return nil }
        let afterName = text[open.upperBound...]
        guard let first = afterName.first, first == ">" || first == " ",
            let close = afterName.firstIndex(of: ">")
        else { return nil }
        let content = afterName[afterName.index(after: close)...]
        guard let end = content.range(of: "</\(name)>") else { return nil }
        return Self.unescape(String(content[..<end.lowerBound]))
    }

    static func attribute(_ attribute: String, of element: String, in text: String) -> String? {
        guard let open = text.range(of: "<\(element) "), let close = text[open.upperBound...].firstIndex(of: ">") else {
            return nil
        }
        let tag = text[open.upperBound..<close]
        guard let key = tag.range(of: "\(attribute)=") else { return nil }
        let rest = tag[key.upperBound...]
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst()
        guard let end = value.firstIndex(of: quote) else { return nil }
        return String(value[..<end])
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
