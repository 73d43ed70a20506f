import Foundation
import WFAParsing

/// What every fuzz target does with libFuzzer's input: parse it (after a prefix that steers it
/// into one parser family) and encode the result, so a crash anywhere on that path is found.
public enum FuzzParse {
    static let parser = LogParser()
    static let reference = Date(timeIntervalSince1970: 1_795_000_000)

    /// One message: a prefix, then the fuzzer's bytes. With several prefixes the first input byte
    /// picks one (and is not part of the message), so one target covers sibling formats.
    public static func message(_ data: UnsafePointer<UInt8>, _ size: Int, prefixes: [String] = [""]) -> CInt {
        var input = UnsafeBufferPointer(start: data, count: size)[...]
        var prefix = prefixes.first ?? ""
        if prefixes.count > 1 {
            guard let selector = input.first else { return 0 }
            prefix = prefixes[Int(selector) % prefixes.count]
            input = input.dropFirst()
        }
        var bytes = Array(prefix.utf8)
        bytes.append(contentsOf: input)
        var context = ParsingContext(orgID: "fuzz", source: "fuzz", receivedAt: Self.reference)
        let result = Self.parser.parse(bytes, context: &context)
        _ = try? result.displayJSON()
        return 0
    }

    /// A whole file: split into messages as `wfa parse` and import do, parsed in order with one
    /// context (Zeek TSV headers carry from line to line).
    public static func file(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        var context = ParsingContext(orgID: "fuzz", source: "fuzz", receivedAt: Self.reference)
        for message in MessageSplitter.messages(in: bytes) {
            let result = Self.parser.parse(Array(message), context: &context)
            _ = try? result.displayJSON()
        }
        return 0
    }
}
