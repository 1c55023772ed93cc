import HomelabCore
import Testing

@Suite("matchbox selection")
struct MatchboxSelectionTests {
    @Test(
        "MACs parse as Go's net.ParseMAC reads them, printed lower-case with colons",
        arguments: [
            ("52:54:00:AB:CD:EF", "52:54:00:ab:cd:ef"), ("52-54-00-ab-cd-ef", "52:54:00:ab:cd:ef"), ("5254.00ab.cdef", "52:54:00:ab:cd:ef"),
            ("02:00:5e:10:00:00:00:01", "02:00:5e:10:00:00:00:01"),
        ])
    func macForms(text: String, expected: String) {
        #expect(Matchbox.MAC(text)?.description == expected)
    }

    @Test("malformed MACs are refused", arguments: ["52:54:00:ab:cd", "52:54:00:ab:cd:eg", "52:54-00:ab:cd:ef", "5254.00ab.cdef.", "", "lorcha"])
    func badMACs(text: String) {
        #expect(Matchbox.MAC(text) == nil)
    }

    @Test("request labels: mac normalised, an unparseable mac dropped as matchbox drops it, first value wins")
    func labels() {
        #expect(Matchbox.labels([("mac", "52-54-00-AB-CD-EF"), ("os", "installed"), ("os", "other")]) == ["mac": "52:54:00:ab:cd:ef", "os": "installed"])
        #expect(Matchbox.labels([("mac", "nonsense"), ("uuid", "u")]) == ["uuid": "u"])
    }

    static let mac = "52:54:00:a1:00:21"
    static let groups = [
        Matchbox.Group(id: "default", profile: "install"),
        Matchbox.Group(id: "lorcha", profile: "debian", selector: ["mac": mac]),
        Matchbox.Group(id: "lorcha-installed", profile: "installed", selector: ["mac": mac, "os": "installed"]),
        Matchbox.Group(id: "region", profile: "other", selector: ["region": "a"]),
    ]

    @Test("the most specific group whose selectors all match wins")
    func mostSpecific() {
        let installed = Matchbox.Selection(groups: Self.groups, labels: ["mac": "52-54-00-A1-00-21", "os": "installed"])
        #expect(installed.chosen?.id == "lorcha-installed")
        #expect(installed.reason.contains("more specific than lorcha, default"))
        let plain = Matchbox.Selection(groups: Self.groups, labels: ["mac": Self.mac])
        #expect(plain.chosen?.id == "lorcha")
        let outcome = plain.candidates.first { $0.group.id == "lorcha-installed" }?.outcome
        #expect(outcome == .mismatch(key: "os", wanted: "installed", actual: nil))
    }

    @Test("a machine no selector group matches gets the default group; without one, nothing")
    func defaultGroup() {
        let other = Matchbox.Selection(groups: Self.groups, labels: ["mac": "52:54:00:00:00:99"])
        #expect(other.chosen?.id == "default")
        #expect(other.reason.contains("default group"))
        let none = Matchbox.Selection(groups: Self.groups.filter { !$0.selector.isEmpty }, labels: ["mac": "52:54:00:00:00:99"])
        #expect(none.chosen == nil)
        #expect(none.reason.contains("matchbox answers 404"))
    }

    @Test("equal selector counts are tried by their sorted k=v text, descending (matchbox's sort.Reverse(ByReqs))")
    func ties() {
        let groups = [
            Matchbox.Group(id: "by-mac", profile: "a", selector: ["mac": Self.mac]),
            Matchbox.Group(id: "by-region", profile: "b", selector: ["region": "a"]),
        ]
        let selection = Matchbox.Selection(groups: groups, labels: ["mac": Self.mac, "region": "a"])
        #expect(selection.candidates.map(\.group.id) == ["by-region", "by-mac"])
        #expect(selection.chosen?.id == "by-region")
        #expect(selection.reason.contains("ranks before by-mac"))
    }

    @Test("a group's mac selector is normalised when it is read")
    func groupNormalised() {
        let group = Matchbox.Group(id: "g", profile: "p", selector: ["MAC": "52-54-00-A1-00-21"])
        #expect(group.selector["MAC"] == Self.mac)
    }
}
