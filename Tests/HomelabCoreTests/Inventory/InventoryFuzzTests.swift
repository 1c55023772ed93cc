import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Damaged inventories never crash the loader", .cpuBound)
struct InventoryFuzzTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Loads `yaml`; it must either load or fail with located issues inside the document.
    func check(_ yaml: String, _ label: String) {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
        do {
            _ = try InventoryLoader.load(yaml: yaml, file: "homelab.yaml")
        } catch let error as HomelabError {
            let issues = error.inventoryIssues
            #expect(!issues.isEmpty, "\(label): no issues")
            for issue in issues {
                #expect(issue.line >= 1 && issue.line <= lines + 1, "\(label): \(issue)")
                #expect(issue.column >= 1, "\(label): \(issue)")
                #expect(!issue.message.isEmpty, "\(label)")
            }
        } catch {
            Issue.record("\(label): unexpected error type \(type(of: error))")
        }
    }

    @Test("every truncation of the example")
    func truncations() throws {
        let text = try ExampleInventory.text()
        let characters = Array(text)
        for length in stride(from: 0, to: characters.count, by: 41) {
            check(String(characters[..<length]), "truncated at \(length)")
        }
    }

    @Test("the example without each of its lines")
    func deletions() throws {
        let lines = try ExampleInventory.text().split(separator: "\n", omittingEmptySubsequences: false)
        for index in lines.indices {
            var copy = lines
            copy.remove(at: index)
            check(copy.joined(separator: "\n"), "without line \(index + 1)")
        }
    }

    @Test("random character mutations of the example")
    func mutations() throws {
        var characters = Array(try ExampleInventory.text())
        let alphabet = Array(":-[]{}#&*!|>'\"\t\n ?,%@`0123456789abcxyz\u{0}\u{FEFF}é")
        var random = SplitMix(state: 0x5EED)
        let original = characters
        for round in 0..<400 {
            characters = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<characters.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: characters[position] = alphabet.randomElement(using: &random) ?? " "
                case 1: characters.remove(at: position)
                default: characters.insert(alphabet.randomElement(using: &random) ?? " ", at: position)
                }
            }
            check(String(characters), "mutation round \(round)")
        }
    }
}
