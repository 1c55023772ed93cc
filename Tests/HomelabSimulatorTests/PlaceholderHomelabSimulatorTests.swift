import Testing

@Test("the HomelabSimulatorTests target builds") func HomelabSimulatorTestsBuilds() { #expect(Bool(true)) }
