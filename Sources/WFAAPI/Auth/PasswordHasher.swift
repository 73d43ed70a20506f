import Crypto
import Foundation
import _CryptoExtras

/// Hashes passwords with scrypt (RFC 7914) into PHC strings: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`.
///
/// The parameters travel with each hash, so the cost can be raised later without breaking
/// existing passwords.
public struct PasswordHasher: Sendable {
    /// log2 of scrypt's N. Default 15 (N = 32,768, 32 MiB of memory with r = 8).
    public var costLog2: Int

    public init(costLog2: Int = 15) {
        self.costLog2 = costLog2
    }

    /// A new PHC string for `password`, with a fresh random salt.
    public func hash(_ password: String) throws -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        let derived = try Self.derive(password, salt: salt, costLog2: self.costLog2, blockSize: 8, parallelism: 1)
        return
            "$scrypt$ln=\(self.costLog2),r=8,p=1$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())"
    }

    /// Whether `password` matches `phc`. Malformed or unsupported hashes never match.
    public func verify(_ password: String, against phc: String) -> Bool {
        let fields = phc.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[1] == "scrypt" else { return false }
        var parameters: [String: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let keyValue = pair.split(separator: "=")
            if keyValue.count == 2, let value = Int(keyValue[1]) { parameters[String(keyValue[0])] = value }
        }
        // Bounds keep a forged hash from making us allocate gigabytes.
        guard let costLog2 = parameters["ln"], (10...20).contains(costLog2), let blockSize = parameters["r"],
            (1...16).contains(blockSize), let parallelism = parameters["p"], (1...4).contains(parallelism),
            let salt = Data(base64Encoded: String(fields[3])), let expected = Data(base64Encoded: String(fields[4])),
            !expected.isEmpty
        else { return false }
        guard
            let derived = try? Self.derive(
                password, salt: Array(salt), costLog2: costLog2, blockSize: blockSize, parallelism: parallelism,
                length: expected.count)
        else { return false }
        return Self.constantTimeEquals(derived, Array(expected))
    }

    private static func derive(
        _ password: String, salt: [UInt8], costLog2: Int, blockSize: Int, parallelism: Int, length: Int = 32
    ) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: length, rounds: 1 << costLog2,
            blockSize: blockSize, parallelism: parallelism, maxMemory: 256 * 1024 * 1024)
        return key.withUnsafeBytes { Array($0) }
    }

    private static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
