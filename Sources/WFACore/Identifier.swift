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
        // The 128 bits as two words: 48-bit time, version 7, 12 random bits; variant 10, 62 random bits.
        let high = millis << 16 | 0x7000 | random.high & 0x0FFF
        let low = 0x8000_0000_0000_0000 | random.low & 0x3FFF_FFFF_FFFF_FFFF
        // Hex digits written straight into the string: one allocation per id, not four.
        let text = String(unsafeUninitializedCapacity: 36) { buffer in
            var count = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[count] = UInt8(ascii: "-")
                    count += 1
                }
                let word = nibble < 16 ? high : low
                let digit = UInt8(truncatingIfNeeded: word >> UInt64(60 - 4 * (nibble % 16)) & 0xF)
                buffer[count] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                count += 1
            }
            return count
        }
        return Self(rawValue: text)
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
