import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Redaction")
struct RedactionTests {
    @Test("credential headers are replaced", arguments: ["Authorization", "x-api-key", "X-Registry-Auth", "Cookie"])
    func headers(name: String) {
        #expect(Redaction.redactHeader(name: name, value: "Bearer abc123") == Redaction.placeholder)
    }

    @Test("ordinary headers pass through")
    func ordinaryHeader() {
        #expect(Redaction.redactHeader(name: "Accept", value: "application/json") == "application/json")
    }

    @Test("secret-named query parameters and userinfo passwords are masked")
    func urls() {
        let url = Redaction.redactURL("https://admin:hunter22@pve:8006/api?name=web&api_token=zzz&limit=5")
        #expect(url == "https://admin:<redacted>@pve:8006/api?name=web&api_token=<redacted>&limit=5")
    }

    @Test("registered secret values are masked anywhere in text")
    func registeredValues() {
        let secret = Secret("canary-7f3a9c")
        let text = Redaction.redactText("server said: invalid token canary-7f3a9c for user")
        #expect(!text.contains(secret.reveal()))
        #expect("\(secret)" == Redaction.placeholder)
    }

    @Test("bearer credentials in free text are masked")
    func bearer() {
        #expect(Redaction.redactText("header was Bearer eyJabc.def") == "header was Bearer <redacted>")
    }
}
