/// Splits a syslog byte stream into messages, as RFC 6587 describes for TCP: octet counting
/// (`<length> <message>`) or non-transparent framing (one message per line).
///
/// The framing is detected on the first frame of a connection: digits then a space is octet
/// counting, anything else is a line. A message longer than the limit is cut to it and the rest
/// of it skipped, so one huge line costs bounded memory and never ends the connection.
public struct SyslogFrameDecoder: Sendable {
    public enum Framing: Sendable, Equatable {
        case undecided
        case octetCounting
        case newline
    }

    public struct Frame: Sendable, Equatable {
        public var bytes: [UInt8]
        public var truncated: Bool
    }

    public private(set) var framing: Framing = .undecided
    /// Octet-counting headers that made no sense; the stream was read as lines from then on.
    public private(set) var framingErrors = 0
    public let maximumMessageBytes: Int

    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the next line feed resumes.
    private var scanned = 0
    /// Octet counting: bytes of a cut message still to skip.
    private var skipBytes = 0
    /// Lines: skipping the rest of a cut line.
    private var skipLine = false

    public init(maximumMessageBytes: Int = 64 * 1024) {
        self.maximumMessageBytes = max(16, maximumMessageBytes)
    }

    /// Adds bytes read from the connection and returns the messages they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Frame] {
        self.buffer.append(contentsOf: bytes)
        var frames: [Frame] = []
        while self.next(into: &frames) {}
        // Keep the unconsumed tail only.
        if self.start > 0 {
            self.buffer.removeFirst(self.start)
            self.scanned -= self.start
            self.start = 0
        }
        return frames
    }

    /// The connection ended: a last line without its line feed is still a message.
    public mutating func finish() -> [Frame] {
        defer {
            self.buffer = []
            self.start = 0
            self.scanned = 0
        }
        guard self.framing != .octetCounting, !self.skipLine, self.start < self.buffer.count else { return [] }
        return Self.frame(self.buffer[self.start...], truncated: false).map { [$0] } ?? []
    }

    private var available: Int { self.buffer.count - self.start }

    /// Takes one step; false when more input is needed.
    private mutating func next(into frames: inout [Frame]) -> Bool {
        if self.skipBytes > 0 {
            let skipped = min(self.skipBytes, self.available)
            guard skipped > 0 else { return false }
            self.start += skipped
            self.skipBytes -= skipped
            return true
        }
        switch self.framing {
        case .undecided:
            guard let first = self.buffer[self.start...].first else { return false }
            if !first.isASCIIDigit {
                self.framing = .newline
                return true
            }
            switch self.octetHeader() {
            case .needMore: return false
            case .invalid: self.framing = .newline
            case .header: self.framing = .octetCounting
            }
            return true
        case .octetCounting:
            switch self.octetHeader() {
            case .needMore: return false
            case .invalid:
                self.framingErrors += 1
                self.framing = .newline
                return true
            case .header(let length, let headerBytes):
                let wanted = min(length, self.maximumMessageBytes)
                guard self.available >= headerBytes + wanted else { return false }
                let body = self.start + headerBytes
                if let frame = Self.frame(self.buffer[body..<(body + wanted)], truncated: length > wanted) {
                    frames.append(frame)
                }
                self.start = body + wanted
                self.scanned = self.start
                self.skipBytes = length - wanted
                return true
            }
        case .newline:
            return self.nextLine(into: &frames)
        }
    }

    private mutating func nextLine(into frames: inout [Frame]) -> Bool {
        self.scanned = max(self.scanned, self.start)
        if let newline = self.buffer[self.scanned...].firstIndex(of: UInt8(ascii: "\n")) {
            if self.skipLine {
                self.skipLine = false
            } else {
                let end = min(newline, self.start + self.maximumMessageBytes)
                if let frame = Self.frame(self.buffer[self.start..<end], truncated: end < newline) {
                    frames.append(frame)
                }
            }
            self.start = newline + 1
            self.scanned = self.start
            return true
        }
        self.scanned = self.buffer.count
        if self.skipLine {
            self.start = self.buffer.count
            return false
        }
        guard self.available > self.maximumMessageBytes else { return false }
        let end = self.start + self.maximumMessageBytes
        if let frame = Self.frame(self.buffer[self.start..<end], truncated: true) { frames.append(frame) }
        self.start = end
        self.skipLine = true
        return true
    }

    private enum OctetHeader {
        case needMore
        case invalid
        case header(length: Int, headerBytes: Int)
    }

    /// `<digits><space>`, at most 9 digits (a length under a gigabyte).
    private func octetHeader() -> OctetHeader {
        var index = self.start
        var length = 0
        while index < self.buffer.count, self.buffer[index].isASCIIDigit {
            length = length * 10 + Int(self.buffer[index] &- 0x30)
            index += 1
            if index - self.start > 9 { return .invalid }
        }
        guard index < self.buffer.count else { return .needMore }
        guard index > self.start, self.buffer[index] == UInt8(ascii: " "), length > 0 else { return .invalid }
        return .header(length: length, headerBytes: index + 1 - self.start)
    }

    /// A message without its line ending; nil for an empty line.
    private static func frame(_ bytes: ArraySlice<UInt8>, truncated: Bool) -> Frame? {
        var slice = bytes
        while let last = slice.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") || last == 0 {
            slice = slice.dropLast()
        }
        guard !slice.isEmpty else { return nil }
        return Frame(bytes: Array(slice), truncated: truncated)
    }
}

extension UInt8 {
    fileprivate var isASCIIDigit: Bool { self &- 0x30 < 10 }
}
