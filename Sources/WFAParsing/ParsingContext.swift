public import Foundation
public import WFACore

/// What a parser knows about the stream a message came from, and what it learned from earlier
/// messages of it (a Zeek TSV `#fields` header applies to the lines after it).
public struct ParsingContext: Sendable {
    public var orgID: Org.ID
    /// Where the message came from, e.g. `syslog-udp:10.0.0.5` or `file:auth.log`.
    public var source: String
    /// When wfa received the message; also the reference for years and zones a format leaves out.
    public var receivedAt: Date
    /// The column names of the Zeek TSV log being read, from its `#fields` line.
    public var zeekFields: [String]?
    /// The Zeek log type (`#path`) of the TSV log being read.
    public var zeekPath: String?
    /// The TSV separator the Zeek header announced (default tab).
    public var zeekSeparator: UInt8 = .tab

    public init(orgID: Org.ID, source: String, receivedAt: Date = Date()) {
        self.orgID = orgID
        self.source = source
        self.receivedAt = receivedAt
    }
}
