import OpenAPIRuntime

extension APIHandler {
    public func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        _ = try self.principal()
        return .ok(.init(body: .plainText(HTTPBody(self.metricsText()))))
    }
}
