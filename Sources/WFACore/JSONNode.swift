import Foundation

/// One value of a ``JSONTape``: what a parser reads a JSON log through. Keys are compared as
/// bytes and nothing is copied out of the message until a parser asks for text.
package struct JSONNode: Sendable {
    let tape: JSONTape
    let index: Int

    private var entry: JSONTape.Entry { self.tape.entries[self.index] }

    package var kind: JSONTape.Kind { self.entry.kind }
    package var isObject: Bool { self.kind == .object }
    package var isArray: Bool { self.kind == .array }

    /// An object's member named `key`; of a key written twice the last, as in a dictionary. Nil
    /// when this is not an object.
    package subscript(key: String) -> JSONNode? {
        var key = key
        return key.withUTF8 { self.member(named: $0) }
    }

    /// The member named by the UTF-8 bytes of `key`, for paths read without making strings.
    package func member(named key: UnsafeBufferPointer<UInt8>) -> JSONNode? {
        guard self.isObject else { return nil }
        let tape = self.tape
        let found = tape.entries.withUnsafeBufferPointer { entries in
            tape.bytes.withUnsafeBufferPointer { bytes -> Int? in
                guard let base = bytes.baseAddress else { return nil }
                var found: Int?
                var keyIndex = self.index + 1
                let end = entries[self.index].after
                // Every member is looked at, for the last of a repeated key; most differ in length.
                while keyIndex < end {
                    let entry = entries[keyIndex]
                    if entry.end - entry.start == key.count || entry.kind == .escapedString {
                        let matches =
                            if entry.kind == .escapedString {
                                tape.string(at: keyIndex).utf8.elementsEqual(key)
                            } else if let wanted = key.baseAddress {
                                memcmp(base + entry.start, wanted, key.count) == 0
                            } else {
                                true
                            }
                        if matches { found = keyIndex + 1 }
                    }
                    keyIndex = entries[keyIndex + 1].after
                }
                return found
            }
        }
        return found.map { JSONNode(tape: tape, index: $0) }
    }

    /// An object's members in document order, keys as text; empty for anything else.
    package var members: [(key: String, value: JSONNode)] {
        guard self.isObject else { return [] }
        var members: [(key: String, value: JSONNode)] = []
        members.reserveCapacity(self.elementCount)
        for keyIndex in self.children {
            members.append((self.tape.string(at: keyIndex), JSONNode(tape: self.tape, index: keyIndex + 1)))
        }
        return members
    }

    /// An array's elements in order; empty for anything else.
    package var elements: [JSONNode] {
        guard self.isArray else { return [] }
        var elements: [JSONNode] = []
        elements.reserveCapacity(self.elementCount)
        for index in self.children { elements.append(JSONNode(tape: self.tape, index: index)) }
        return elements
    }

    /// How many elements an array has, or members an object has, without listing them; 0 for
    /// anything else.
    package var elementCount: Int {
        var count = 0
        for _ in self.children { count += 1 }
        return count
    }

    /// Where each child starts on the tape: an array's elements, an object's keys (each followed
    /// by its value); nothing for a scalar.
    private var children: Children {
        Children(
            entries: self.tape.entries, position: self.index + 1,
            end: self.isArray || self.isObject ? self.entry.after : self.index + 1, isObject: self.isObject)
    }

    private struct Children: Sequence, IteratorProtocol {
        let entries: [JSONTape.Entry]
        var position: Int
        let end: Int
        let isObject: Bool

        mutating func next() -> Int? {
            guard self.position < self.end else { return nil }
            defer { self.position = self.entries[self.isObject ? self.position + 1 : self.position].after }
            return self.position
        }
    }

    /// A string's text; nil for anything else.
    package var string: String? {
        switch self.kind {
        case .string, .escapedString: self.tape.string(at: self.index)
        default: nil
        }
    }

    /// A number as written.
    package var number: JSONNumber? {
        switch self.kind {
        case .integer, .decimal:
            JSONNumber(
                text: self.tape.withBytes(of: self.index) { String(decoding: $0, as: UTF8.self) },
                isInteger: self.kind == .integer)
        default: nil
        }
    }

    /// Scalars as text; arrays of scalars joined with commas; objects and null as nil.
    package var text: String? {
        switch self.kind {
        case .string, .escapedString: return self.string
        case .integer, .decimal: return self.number?.normalized
        case .true: return "true"
        case .false: return "false"
        case .array:
            let parts = self.elements.compactMap { element -> String? in
                element.isObject || element.isArray ? nil : element.text
            }
            return parts.isEmpty ? nil : parts.joined(separator: ",")
        case .object, .null: return nil
        }
    }
}

extension JSONTape {
    /// The text of the string entry at `index`.
    fileprivate func string(at index: Int) -> String {
        self.withBytes(of: index) { content in
            guard self.entries[index].kind == .escapedString else { return String(decoding: content, as: UTF8.self) }
            var decoded: [UInt8]? = []
            decoded?.reserveCapacity(content.count)
            _ = Self.unescape(content, into: &decoded)
            return String(decoding: decoded ?? [], as: UTF8.self)
        }
    }
}
