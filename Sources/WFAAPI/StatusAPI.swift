import WFAStorage

extension APIHandler {
    public func getStatus(_ input: Operations.GetStatus.Input) async throws -> Operations.GetStatus.Output {
        var components: [Components.Schemas.ComponentHealth] = []
        do {
            _ = try await self.storage.directory.setting(RetentionPolicy.settingKey, in: nil)
            components.append(.init(name: "storage", healthy: true))
        } catch {
            components.append(.init(name: "storage", healthy: false, detail: "storage is unreachable"))
        }
        let uptime = ContinuousClock.now - self.startedAt
        let status = Components.Schemas.Status(
            version: self.version, uptimeSeconds: uptime.components.seconds, components: components)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: status))))
    }
}
