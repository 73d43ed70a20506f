/// An address block in CIDR notation (`10.0.0.0/8`, `fd00::/8`): how an org says which addresses
/// are its own.
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let prefixLength: Int

    /// Parses `address/prefix`, or a bare address as a one-address network; nil when malformed or
    /// the prefix is too long for the family.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let maximum = address.bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maximum).contains(parsed) else { return nil }
            length = parsed
        }
        self.address = address
        self.prefixLength = length
    }

    public func contains(_ candidate: IPAddress) -> Bool {
        guard candidate.bytes.count == self.address.bytes.count else { return false }
        var remaining = self.prefixLength
        for (mine, theirs) in zip(self.address.bytes, candidate.bytes) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            guard mine & mask == theirs & mask else { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(self.address)/\(self.prefixLength)" }

    /// RFC 1918 and RFC 4193 (unique local): what "internal" means unless an org says otherwise.
    public static let privateNetworks: [IPNetwork] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]
        .compactMap { IPNetwork($0) }
}
