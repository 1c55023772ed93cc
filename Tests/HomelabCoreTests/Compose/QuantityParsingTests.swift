import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Durations, sizes and CPU counts")
struct QuantityParsingTests {
    @Test(
        "Go durations become nanoseconds",
        arguments: [
            ("10s", 10_000_000_000), ("1m30s", 90_000_000_000), ("500ms", 500_000_000), ("0", 0), ("1h", 3_600_000_000_000),
            ("1.5h", 5_400_000_000_000), ("0.3s", 300_000_000), ("250us", 250_000), ("250µs", 250_000), ("42ns", 42),
            ("2h45m", 9_900_000_000_000), ("+5s", 5_000_000_000), (".5s", 500_000_000),
        ] as [(String, Int64)])
    func durations(_ text: String, _ nanoseconds: Int64) {
        #expect(Swarm.Nanoseconds(parsing: text)?.nanoseconds == nanoseconds)
    }

    @Test("malformed durations are refused", arguments: ["", "10", "s", "10 s", "-5s", "1d", "1.s.", "10seconds", "9999999999h", "5s5"])
    func badDurations(_ text: String) {
        #expect(Swarm.Nanoseconds(parsing: text) == nil)
    }

    @Test(
        "memory sizes use binary multiples",
        arguments: [
            ("512M", 536_870_912), ("512m", 536_870_912), ("512mb", 536_870_912), ("512MiB", 536_870_912), ("1g", 1_073_741_824),
            ("1.5g", 1_610_612_736), ("100", 100), ("2k", 2048), ("1 GB", 1_073_741_824), ("8G", 8_589_934_592), ("1t", 1_099_511_627_776),
        ] as [(String, Int64)])
    func sizes(_ text: String, _ bytes: Int64) {
        #expect(ResourceQuantity.bytes(text) == bytes)
    }

    @Test("malformed sizes are refused", arguments: ["", "M", "512X", "-1m", "1.m", "1e3", "12 34", "99999999999999p"])
    func badSizes(_ text: String) {
        #expect(ResourceQuantity.bytes(text) == nil)
    }

    @Test(
        "CPU counts become nano-CPUs",
        arguments: [("0.5", 500_000_000), ("2", 2_000_000_000), ("0.000000001", 1), ("1.250", 1_250_000_000), (".5", 500_000_000)]
            as [(String, Int64)])
    func cpus(_ text: String, _ nano: Int64) {
        #expect(ResourceQuantity.nanoCPUs(text) == nano)
    }

    @Test("malformed or too precise CPU counts are refused", arguments: ["", "abc", "-1", "0.0000000001", "1.", "1/2", "1e3"])
    func badCPUs(_ text: String) {
        #expect(ResourceQuantity.nanoCPUs(text) == nil)
    }

    @Test(
        "command strings split like a shell",
        arguments: [
            ("a b  c", ["a", "b", "c"]), (#"sh -c 'echo "x y"'"#, ["sh", "-c", #"echo "x y""#]),
            (#"say "a \"quoted\" word""#, ["say", #"a "quoted" word"#]), (#"a\ b"#, ["a b"]), (#"''"#, [""]),
            (#""\d""#, [#"\d"#]),
        ] as [(String, [String])])
    func shellWords(_ text: String, _ words: [String]) {
        #expect(ShellWords.split(text) == words)
    }

    @Test("unclosed quotes do not split", arguments: ["'open", "\"open", "trailing\\"])
    func badShellWords(_ text: String) {
        #expect(ShellWords.split(text) == nil)
    }
}
