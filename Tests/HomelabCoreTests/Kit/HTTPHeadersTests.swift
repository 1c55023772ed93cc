import Testing

@testable import HomelabCore

@Suite("HTTP header fields")
struct HTTPHeadersTests {
    @Test("names match whatever their case, and only whole names match")
    func caseInsensitiveNames() {
        let headers: HTTPHeaders = ["Content-Type": "application/json", "API-Version": "1.44", "Ärger": "yes"]
        #expect(headers["content-TYPE"] == "application/json")
        #expect(headers["api-version"] == "1.44")
        #expect(headers["Content-Typ"] == nil)
        #expect(headers["Content-Type2"] == nil)
        #expect(headers["Content_Type"] == nil)
        #expect(headers["ärger"] == "yes")  // outside ASCII: Unicode lowercasing
        #expect(headers["ÄRGER"] == "yes")
        #expect(headers["arger"] == nil)
    }

    @Test("only spaces and tabs are trimmed around a value", arguments: [
        (" \t1.41 \t", "1.41"), ("1.41", "1.41"), ("   ", ""), ("", ""), ("a b", "a b"), ("\u{00A0}x\u{00A0}", "\u{00A0}x\u{00A0}"),
        ("\n1.41\n", "\n1.41\n"),
    ])
    func trimming(value: String, expected: String) {
        #expect(trimmedBlanks(value) == expected)
        #expect(trimmedBlanks(value[...]) == expected)
    }

    @Test("Docker's /_ping headers are read with their padding removed, a blank value as absent")
    func pingHeaders() {
        let ping = Swarm.Ping(headers: [
            "API-VERSION": " 1.44\t", "ostype": "linux", "Docker-Experimental": " TRUE ", "Swarm": "\tactive/manager ",
            "Builder-Version": "  ",
        ])
        #expect(ping.apiVersion == "1.44")
        #expect(ping.osType == "linux")
        #expect(ping.experimental == true)
        #expect(ping.swarm == .activeManager)
        #expect(ping.builderVersion == nil)
        #expect(Swarm.APIVersion(" v1.41 ") == Swarm.APIVersion(1, 41))
    }
}
