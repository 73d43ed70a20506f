import Crypto
public import Foundation
import WFACore

/// How wfa signs a webhook, and how a receiver checks it: HMAC-SHA256 with the channel's secret
/// over `<timestamp>.<body>`, sent as `X-WFA-Signature: sha256=<hex>` next to `X-WFA-Timestamp`
/// (Unix seconds). Signing the timestamp lets a receiver refuse replays of old deliveries.
public enum WebhookSignature {
    public static let signatureHeader = "X-WFA-Signature"
    public static let timestampHeader = "X-WFA-Timestamp"

    public static func sign(body: Data, timestamp: Int, secret: String) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.hexadecimal
    }

    /// Whether `signature` is this body's, compared in constant time.
    public static func isValid(signature: String, body: Data, timestamp: Int, secret: String) -> Bool {
        let expected = Array(Self.sign(body: body, timestamp: timestamp, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
