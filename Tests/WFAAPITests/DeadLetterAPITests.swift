import Foundation
import Testing
import WFACore
import WFAMessaging
import WFATestSupport

/// `GET /bus/dead-letters` and `POST /bus/dead-letters/{sequence}/replay`.
struct DeadLetterAPITests {
    @Test("an org sees and replays its own dead letters, never another org's")
    func ownDeadLettersOnly() async throws {
        try await APITestServer.run { api in
            let mine = try await api.deadLetter(in: "acme", id: "acme-message")
            let theirs = try await api.deadLetter(in: "globex", id: "globex-message")
            let token = api.tokens["admin"]
            let listed = try #require(try await api.call("GET", "/bus/dead-letters", token: token))
            #expect(listed.status == 200)
            #expect(listed.body.contains("acme-message"))
            #expect(listed.body.contains("fixture"))
            #expect(!listed.body.contains("globex-message"))

            let foreign = try await api.call("POST", "/bus/dead-letters/\(theirs)/replay", token: token)
            #expect(foreign?.status == 404)
            let replayed = try await api.call("POST", "/bus/dead-letters/\(mine)/replay", token: token)
            #expect(replayed?.status == 200)
            #expect(try await api.bus.deadLetters(limit: 10).map(\.message.id) == ["globex-message"])
            let again = try await api.call("POST", "/bus/dead-letters/\(mine)/replay", token: token)
            #expect(again?.status == 404)
        }
    }
}
