import Foundation
import Testing

@testable import HomelabREPL

/// `drift STACK` and `drift --stack STACK` complete the live stack names in the REPL.
@Suite("REPL completion of drift's stacks")
struct DriftCompletionTests {
    func complete(_ line: String) throws -> [String] {
        let names = ResourceNames()
        names.store(.stacks, ["media-core", "media-enrichment", "monitoring"])
        names.store(.services, ["media-core_plex"])
        return Completion(tree: try CommandTree.homelab()).complete(line, path: [], names: names.snapshot).candidates
    }

    @Test(
        "positional STACKs and --stack complete from the stack names, not the services",
        arguments: [
            ("drif", ["drift"]),
            ("drift mon", ["monitoring"]),
            ("drift media-core med", ["media-core", "media-enrichment"]),
            ("drift --stack med", ["media-core", "media-enrichment"]),
        ] as [(String, [String])])
    func completes(_ line: String, expected: [String]) throws {
        #expect(try complete(line) == expected)
    }
}
