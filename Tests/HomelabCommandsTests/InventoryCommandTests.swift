import ArgumentParser
import Foundation
import HomelabCommands
import HomelabCore
import Testing

@Suite("homelab inventory")
struct InventoryCommandTests {
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // HomelabCommandsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Examples/homelab.yaml").path

    /// A malformed inventory in a temporary file; removed by the caller.
    static func malformedFile() throws -> URL {
        let yaml = """
            name: test
            nodes:
              - name: alpha
                role: leader
                platform: truenas
                address: 10.0.0.10
            tiers: [infrastructure]
            stacks:
              - name: core
                tier: infrastructure
                services:
                  - name: web
                    depends_on: [dbx]
            components:
              authentik:
                url: https://auth.example.lab/api/v3
                credentials:
                  token: hunter2-pasted-token

            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("inventory-\(UUID().uuidString).yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func parse<Command: ParsableCommand>(_ arguments: [String], as type: Command.Type) throws -> Command {
        let command = try HomelabCommand.parseAsRoot(arguments)
        return try #require(command as? Command)
    }

    @Test("validate accepts the example and exits 0")
    func validateExample() throws {
        let command = try parse(["inventory", "validate", Self.example], as: InventoryCommand.Validate.self)
        let outcome = command.outcome()
        #expect(outcome.isValid)
        #expect(outcome.text == "\(Self.example): valid (5 nodes, 36 services)")
        try command.run()
    }

    @Test("validate prints every located problem and exits 1")
    func validateMalformed() throws {
        let file = try Self.malformedFile()
        defer { try? FileManager.default.removeItem(at: file) }
        let command = try parse(["inventory", "validate", file.path], as: InventoryCommand.Validate.self)
        let outcome = command.outcome()
        #expect(!outcome.isValid)
        let lines = outcome.text.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(file.path):4:11 nodes[0].role: expected manager or worker, got 'leader'",
            "\(file.path):13:22 stacks[0].services[0].depends_on[0]: depends on unknown service 'dbx'",
            "\(file.path):18:14 components.authentik.credentials.token: "
                + "a literal secret is not allowed; use env:NAME, file:PATH or op://vault/item/field",
            "\(file.path): invalid (3 problems)",
        ])
        #expect(!outcome.text.contains("hunter2"))
        #expect(throws: ExitCode(1)) { try command.run() }
    }

    @Test("validate of a missing file exits 1 naming the file")
    func validateMissing() throws {
        let command = try parse(["inventory", "validate", "/nonexistent/homelab.yaml"], as: InventoryCommand.Validate.self)
        #expect(command.outcome().text.contains("/nonexistent/homelab.yaml"))
        #expect(throws: ExitCode(1)) { try command.run() }
    }

    @Test("show draws nodes, the tiers in order and components without credential names")
    func showText() throws {
        let command = try parse(["inventory", "show", Self.example], as: InventoryCommand.Show.self)
        let text = try command.output()
        #expect(text.hasPrefix("fleet: 5 nodes, 3 tiers, 15 stacks, 36 services, 16 components"))
        #expect(text.contains("barbary  manager (leader)  truenas"))
        let tiers = ["1. infrastructure", "2. platform", "3. application"].compactMap { text.range(of: $0)?.lowerBound }
        #expect(tiers.count == 3 && tiers == tiers.sorted())
        #expect(text.contains("komodo-periphery"))
        #expect(text.range(of: #"plex\s+×1\s+on barbary, stateful"#, options: .regularExpression) != nil)
        #expect(text.range(of: #"sonarr\s+×1\s+on barbary, stateful\s+after prowlarr, sabnzbd, authentik-server"#, options: .regularExpression) != nil)
        #expect(text.contains("api_key op://…"))
        #expect(!text.contains("op://homelab"))
        #expect(!text.contains("OP_CONNECT_TOKEN"))
    }

    @Test("show -o json gives the same topology as data")
    func showJSON() throws {
        let command = try parse(["inventory", "show", Self.example, "-o", "json"], as: InventoryCommand.Show.self)
        let object = try JSONSerialization.jsonObject(with: Data(try command.output().utf8)) as? [String: Any]
        let json = try #require(object)
        #expect(json["name"] as? String == "fleet")
        #expect((json["nodes"] as? [[String: Any]])?.map { $0["name"] as? String } == ["barbary", "ching", "angre", "lorcha", "dhow"])
        let tiers = try #require(json["tiers"] as? [[String: Any]])
        #expect(tiers.map { $0["name"] as? String } == ["infrastructure", "platform", "application"])
        let components = try #require(json["components"] as? [String: [String: Any]])
        #expect((components["onepassword"]?["credentials"] as? [String: String])?["token"] == "env:…")
        #expect((components["truenas"]?["tls"] as? [String: Any])?["trust"] as? String == "pins_only")
    }

    @Test("show of a malformed file fails with the located problems and exits 1")
    func showMalformed() throws {
        let file = try Self.malformedFile()
        defer { try? FileManager.default.removeItem(at: file) }
        let command = try parse(["inventory", "show", file.path], as: InventoryCommand.Show.self)
        let error = #expect(throws: HomelabError.self) { try command.output() }
        #expect(error?.inventoryIssues.count == 3)
        #expect(throws: HomelabError.self) { try command.run() }
    }

    @Test("an unknown format is a usage error")
    func unknownFormat() {
        #expect(throws: (any Error).self) {
            try HomelabCommand.parseAsRoot(["inventory", "show", Self.example, "-o", "xml"])
        }
    }
}
