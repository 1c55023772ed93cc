import Testing

@Test("the HomelabCommandsTests target builds") func HomelabCommandsTestsBuilds() { #expect(Bool(true)) }
