import Foundation
import Testing

@testable import HomelabREPL

/// `provision NODE` completes the inventory's node names (a node to provision is not in the swarm yet), also
/// through the group's default subcommand.
@Suite("REPL completion of provision's node names")
struct ProvisionCompletionTests {
    func complete(_ line: String) throws -> [String] {
        let names = ResourceNames()
        names.store(.nodes, ["barbary", "ching"])
        names.store(.inventoryNodes, ["barbary", "ching", "dhow"])
        return Completion(tree: try CommandTree.homelab()).complete(line, path: [], names: names.snapshot).candidates
    }

    @Test("provision offers its subcommands and the inventory's nodes; node and vm take node names")
    func nodes() throws {
        #expect(try complete("provision d") == ["dhow"], "not in the swarm, yet offered: the inventory's names")
        let all = try complete("provision ")
        #expect(["bare-metal", "barbary", "ching", "dhow", "node", "vm"].allSatisfy(all.contains), "\(all)")
        #expect(all.filter { $0 == "dhow" }.count == 1 && all == all.sorted(), "\(all)")
        #expect(try complete("provision node dh") == ["dhow"])
        #expect(try complete("provision dhow --dry") == ["--dry-run"])
        #expect(try complete("provision vm ch") == ["ching"])
        #expect(try complete("provision x") == [], "no node starts with x")
    }
}
