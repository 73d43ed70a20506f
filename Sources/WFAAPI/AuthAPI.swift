import Foundation
import HTTPTypes
import NIOCore
import WFACore
import WFAHTTP
import WFAStorage

extension APIHandler {
    public func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let request = try body.validated()
        let email = request.email.lowercased()
        let address = HTTPRequestContext.current?.remoteAddress?.ipAddress ?? "unknown"
        guard await self.throttle.allows(account: email, address: address) else {
            throw APIError(.tooManyRequests, code: "auth.throttled", "too many sign-in attempts; try again later")
        }
        let user = try await self.storage.directory.user(email: email)
        // Hash even for unknown accounts, so response time does not reveal which emails exist.
        let hash = user?.passwordHash ?? "$scrypt$ln=\(self.hasher.costLog2),r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"
        guard self.hasher.verify(request.password, against: hash), let user, !user.disabled else {
            await self.throttle.recordFailure(account: email, address: address)
            throw APIError.unauthenticated("wrong email or password")
        }
        await self.throttle.recordSuccess(account: email)
        let role = try await self.storage.directory.role(user.roleID, in: user.orgID)
        let (token, expires) = try self.signer.sign(user: user, permissions: role?.permissions ?? [])
        let login = Components.Schemas.Login(token: token, expiresAt: expires, user: .init(user))
        return .ok(.init(body: .json(.init(success: true, message: "signed in", data: login))))
    }

    public func getCurrentUser(_ input: Operations.GetCurrentUser.Input) async throws
        -> Operations.GetCurrentUser.Output
    {
        let principal = try self.principal()
        var user: Components.Schemas.User?
        if case .user(let id) = principal.credential {
            user = try await self.storage.directory.user(id, in: principal.orgID).map(Components.Schemas.User.init)
        }
        let me = Components.Schemas.Me(
            orgId: principal.orgID.rawValue, roleId: principal.roleID.rawValue,
            permissions: principal.permissions.map(\.description).sorted(), user: user)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: me))))
    }
}
