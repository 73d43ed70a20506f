import Testing
import WFATestSupport

struct MetricsTests {
    @Test("/metrics reports request counts and latency histograms by operation and status")
    func metricsCountRequests() async throws {
        try await APITestServer.run { api in
            for _ in 0..<3 { _ = try await api.call("GET", "/status") }
            _ = try await api.call("GET", "/users")  // 401
            let scraped = try #require(
                try await api.client.request(
                    "GET", "/metrics", headers: ["Authorization": "Bearer \(api.tokens["health"] ?? "")"]))
            #expect(scraped.status == 200)
            #expect(
                scraped.body.contains(
                    #"wfa_http_server_requests{http_route="getStatus",http_response_status_code="200"} 3"#))
            #expect(scraped.body.contains(#"http_route="listUsers",http_response_status_code="401""#))
            #expect(scraped.body.contains("wfa_http_server_request_duration_bucket"))
            let anonymous = try #require(try await api.client.request("GET", "/metrics"))
            #expect(anonymous.status == 401)
        }
    }
}
