import WFAStorage

extension APIHandler {
    public func getRetention(_ input: Operations.GetRetention.Input) async throws -> Operations.GetRetention.Output {
        _ = try self.principal()
        let policy = try await self.storage.directory.retentionPolicy()
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: .init(policy)))))
    }

    public func setRetention(_ input: Operations.SetRetention.Input) async throws -> Operations.SetRetention.Output {
        _ = try self.principal()
        guard case .json(let request) = input.body else { throw APIError.invalid("expected a JSON body") }
        let policy = request.domain
        try await self.storage.directory.setRetentionPolicy(policy)
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: .init(policy)))))
    }
}
