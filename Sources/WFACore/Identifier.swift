import Foundation
import Synchronization

/// A typed identifier: `Identifier<Artifact>` and `Identifier<Incident>` cannot be mixed up,
/// yet both travel as plain strings on the wire and in storage.
public struct Identifier<Subject>: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// A new random identifier, for records that have no natural key: a lower-case UUID version 7
    /// (RFC 9562), so ids made later sort later and index well.
    ///
    /// Parsers make one per message, so this avoids Foundation's `UUID()` (which opens /dev/urandom
    /// every time) and a system call per id: the random bits are drawn once per process and a
    /// counter added to them (RFC 9562 §6.2, method 2), which keeps ids of one process distinct
    /// and those of two processes apart by 74 random bits.
    public static func random() -> Self {
        let (millis, random) = IdentifierClock.shared.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * UInt64(index))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: (random.high >> 8) & 0x0F)
        bytes[7] = UInt8(truncatingIfNeeded: random.high)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: (random.low >> 56) & 0x3F)
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: random.low >> (8 * UInt64(15 - index))) }
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return Self(rawValue: String(decoding: text, as: UTF8.self))
    }

    public var description: String { self.rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Identifier: Codable {
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.rawValue)
    }
}

extension Identifier: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.rawValue = value
    }
}

/// The time and random bits behind ``Identifier/random()``: one random draw per process, then a
/// counter, so ids are unique within the process without asking the kernel each time.
final class IdentifierClock: Sendable {
    static let shared = IdentifierClock()

    private struct State {
        var high: UInt64
        var low: UInt64
    }

    private let state: Mutex<State>

    private init() {
        var generator = SystemRandomNumberGenerator()
        self.state = Mutex(State(high: generator.next(), low: generator.next()))
    }

    func next() -> (millis: UInt64, random: (high: UInt64, low: UInt64)) {
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1_000))
        let random = self.state.withLock { state in
            // A counter over the 12 + 62 random bits the layout keeps.
            let (low, carry) = state.low.addingReportingOverflow(1)
            state.low = low
            if carry { state.high &+= 1 }
            return (state.high, state.low)
        }
        return (millis, random)
    }
}
