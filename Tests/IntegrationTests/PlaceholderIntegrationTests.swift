import HomelabTestSupport
import Testing

@Test("the IntegrationTests target builds") func IntegrationTestsBuilds() { #expect(Bool(true)) }
