import Crypto
public import Foundation
public import WFACore

/// The claims of a wfa bearer token (RFC 7519 names where they exist).
public struct TokenClaims: Codable, Sendable, Equatable {
    /// The user id.
    public var sub: String
    public var email: String
    public var orgID: String
    /// The role id.
    public var role: String
    public var permissions: [String]
    /// Expiry, seconds since the epoch.
    public var exp: Int64
    /// Issued at, seconds since the epoch.
    public var iat: Int64

    enum CodingKeys: String, CodingKey {
        case sub, email, role, permissions, exp, iat
        case orgID = "org_id"
    }
}

/// Signs and verifies HS256 JWTs (RFC 7519, RFC 7515) with one installation-wide key.
public struct TokenSigner: Sendable {
    /// Key bytes; `SymmetricKey` itself is not `Sendable`, so one is made per use.
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: self.keyBytes) }
    /// How long a token is valid. Default 8 hours.
    public let lifetime: Duration

    /// - Parameter secret: at least 32 bytes of key material.
    public init(secret: Secret, lifetime: Duration = .seconds(8 * 3600)) {
        self.keyBytes = Array(secret.value.utf8)
        self.lifetime = lifetime
    }

    private static let header = Base64URL.encode(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    /// A token for `user` with `permissions`, valid from `now` for ``lifetime``.
    public func sign(user: User, permissions: Set<Permission>, now: Date = Date()) throws -> (
        token: String, expires: Date
    ) {
        let issued = Int64(now.timeIntervalSince1970)
        let expires = issued + self.lifetime.components.seconds
        let claims = TokenClaims(
            sub: user.id.rawValue, email: user.email, orgID: user.orgID.rawValue, role: user.roleID.rawValue,
            permissions: permissions.map(\.description).sorted(), exp: expires, iat: issued)
        let payload = Base64URL.encode(try JSONEncoder().encode(claims))
        let signingInput = Self.header + "." + payload
        let signature = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: self.key)
        return (signingInput + "." + Base64URL.encode(signature), Date(timeIntervalSince1970: Double(expires)))
    }

    /// The claims of a token this signer issued that has not expired; nil for anything else.
    public func verify(_ token: String, now: Date = Date()) -> TokenClaims? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Self.header, let signature = Base64URL.decode(parts[2]),
            let payload = Base64URL.decode(parts[1])
        else { return nil }
        // Constant-time check of the MAC before anything in the payload is trusted.
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: Data("\(parts[0]).\(parts[1])".utf8), using: self.key)
        else { return nil }
        guard let claims = try? JSONDecoder().decode(TokenClaims.self, from: payload),
            claims.exp > Int64(now.timeIntervalSince1970)
        else { return nil }
        return claims
    }
}
