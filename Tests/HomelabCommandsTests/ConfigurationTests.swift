import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

@testable import HomelabCommands

/// Which inventory a command reads, contexts, and errors that name the file and the rule.
@Suite("configuration: --config, contexts, $HOMELAB_CONFIG, ./homelab.yaml, $XDG_CONFIG_HOME")
struct ConfigurationTests {
    static let example = CommandHarness.exampleInventory

    @Test("the rules in order: --config, --context, $HOMELAB_CONTEXT, $HOMELAB_CONFIG, the current context, XDG")
    func order() throws {
        let folder = try TemporaryFolder()
        let xdg = folder.file("config")
        let environment = ["XDG_CONFIG_HOME": xdg, "HOME": folder.path]
        let store = ContextStore(environment: environment)
        try store.save(.init(name: "lab", config: Self.example, description: "the example"))
        try store.save(.init(name: "other", config: "/srv/other.yaml", description: nil))

        func source(_ config: String? = nil, _ context: String? = nil, _ extra: [String: String] = [:]) throws -> ConfigSource {
            try ConfigSource.resolve(config: config, context: context, environment: environment.merging(extra) { $1 })
        }
        #expect(try source("/a.yaml", "lab", ["HOMELAB_CONFIG": "/b.yaml"]) == ConfigSource(path: "/a.yaml", rule: .option))
        #expect(try source(nil, "lab", ["HOMELAB_CONFIG": "/b.yaml"]) == ConfigSource(path: Self.example, rule: .contextOption("lab")))
        #expect(
            try source(nil, nil, ["HOMELAB_CONTEXT": "other", "HOMELAB_CONFIG": "/b.yaml"])
                == ConfigSource(path: "/srv/other.yaml", rule: .contextEnvironment("other")))
        try store.use("lab")
        #expect(try source(nil, nil, ["HOMELAB_CONFIG": "/b.yaml"]) == ConfigSource(path: "/b.yaml", rule: .environment))
        #expect(try source() == ConfigSource(path: Self.example, rule: .currentContext("lab", file: store.currentFile)))
        try store.use(nil)
        #expect(throws: HomelabError.self) { try source() }
        try FileManager.default.copyItem(atPath: Self.example, toPath: xdg + "/homelab/homelab.yaml")
        #expect(try source() == ConfigSource(path: xdg + "/homelab/homelab.yaml", rule: .userConfig))
    }

    @Test("an unknown context names the contexts file and the known ones")
    func unknownContext() throws {
        let folder = try TemporaryFolder()
        let environment = ["XDG_CONFIG_HOME": folder.path]
        try ContextStore(environment: environment).save(.init(name: "lab", config: Self.example, description: nil))
        let error = #expect(throws: HomelabError.self) {
            try ConfigSource.resolve(config: nil, context: "nosuch", environment: environment)
        }
        #expect(error?.message.contains(folder.path + "/homelab/contexts.yaml") == true, "\(String(describing: error))")
        #expect(error?.message.contains("known: lab") == true)
    }

    @Test("a missing or broken inventory says which rule chose it")
    func errorsNameTheRule() throws {
        let missing = ConfigSource(path: "/nonexistent/homelab.yaml", rule: .environment)
        let error = #expect(throws: HomelabError.self) { try missing.load() }
        #expect(error?.description.contains("/nonexistent/homelab.yaml") == true)
        #expect(error?.description.contains("chosen by $HOMELAB_CONFIG") == true)
        let folder = try TemporaryFolder()
        let broken = folder.file("homelab.yaml")
        try Data("version: 1\nname: x\nnodes: 3\n".utf8).write(to: URL(fileURLWithPath: broken))
        let located = #expect(throws: HomelabError.self) { try ConfigSource(path: broken, rule: .option).load() }
        #expect(located?.inventoryIssues.isEmpty == false)
        let report = ErrorReport(try #require(located))
        #expect(report.lines.last?.contains("chosen by --config") == true, "\(report.lines)")
        #expect(report.lines.dropLast().allSatisfy { $0.contains(broken + ":") }, "each issue is located: \(report.lines)")
    }

    @Test("context ls|use|show through the CLI, and --context on a command")
    func contextCommands() async throws {
        let folder = try TemporaryFolder()
        let environment = ["XDG_CONFIG_HOME": folder.file("config"), "HOME": folder.path]
        func run(_ arguments: [String]) async -> CommandResult {
            let (terminal, captured) = Terminal.capturing(environment: environment)
            let status = await Terminal.$current.withValue(terminal) { await HomelabCommand.run(arguments: arguments) }
            return CommandResult(status: status, output: captured.output, error: captured.error)
        }
        #expect(await run(["context", "create", "lab", Self.example, "--description", "the example"]).status == 0)
        #expect(await run(["context", "use", "nosuch"]).status == 1)
        #expect(await run(["context", "use", "lab"]).status == 0)
        let list = await run(["context", "ls"])
        #expect(list.output.contains("lab *") && list.output.contains("the example"), "\(list)")
        let show = await run(["context", "show", "-o", "json"])
        let shown = try JSONSerialization.jsonObject(with: Data(show.output.utf8)) as? [String: String]
        #expect(shown?["context"] == "lab" && shown?["config"] == Self.example, "\(show)")
        #expect(shown?["chosen_by"]?.contains("current context") == true)
        let inventory = await run(["inventory", "show", "-q"])
        #expect(inventory.status == 0 && inventory.output.contains("ingress_caddy"), "\(inventory)")
        let byOption = await run(["inventory", "validate", "--context", "lab"])
        #expect(byOption.status == 0, "\(byOption)")
        #expect(await run(["context", "rm", "lab"]).status == 0)
        #expect(await run(["context", "show"]).status == 1)
    }
}

/// One-line errors with hints, never a secret or a type name.
@Suite("errors: one line, where, a hint")
struct ErrorReportTests {
    @Test("rejected credentials name the credential reference, never its value")
    func credentials() throws {
        let homelab = try InventoryLoader.load(path: CommandHarness.exampleInventory)
        let error = HomelabError(
            .unauthorized, "the server rejected the request", component: "forgejo",
            request: .init(method: "GET", redactedPath: "/api/v1/version"), status: 401)
        let report = ErrorReport(error, source: ConfigSource(path: "/etc/homelab.yaml", rule: .option), inventory: homelab)
        #expect(report.lines.count == 1)
        let line = try #require(report.lines.first)
        #expect(line.hasPrefix("error: forgejo: GET /api/v1/version: "), "\(line)")
        #expect(line.contains("components.forgejo.credentials.token (op://…)") && line.contains("/etc/homelab.yaml"), "\(line)")
        #expect(line.contains("[at https://git.home.arpa/api/v1]"), "\(line)")
        #expect(!line.contains("op://homelab"))
    }

    @Test("TLS failures point at the CA and pin options; host keys at how to check the new one")
    func hints() {
        let tls = ErrorReport(HomelabError(.tlsFailure, "certificate verify failed", component: "proxmox"))
        #expect(tls.lines[0].contains("components.proxmox.tls.ca_file") && tls.lines[0].contains("pinned_public_keys"))
        let hostKey = ErrorReport(HomelabError(.hostKeyMismatch, "host key of barbary does not match", component: "ssh"))
        #expect(hostKey.lines[0].contains("ssh-keygen -lf") && hostKey.lines[0].contains("ssh-keygen -R"))
    }

    @Test("an unexpected error shows no type name unless --verbose asks for the trace")
    func unexpected() {
        struct InternalThing: Error {}
        let report = ErrorReport(InternalThing())
        #expect(report.lines == ["error: unexpected failure (run again with --verbose for its details)"])
        #expect(report.trace.count == 1)
    }

    @Test("the trace (--verbose) has the redacted request, status and server message")
    func trace() {
        let secret = Secret("hl-trace-canary-0042")
        _ = secret
        let error = HomelabError(
            .httpStatus, "the server failed", component: "docker", request: .init(method: "POST", redactedPath: "/v1.47/services/x/update"),
            status: 500, serverMessage: "boom hl-trace-canary-0042")
        let report = ErrorReport(error)
        #expect(report.trace.contains("  request: POST /v1.47/services/x/update"))
        #expect(report.trace.contains("  status: 500"))
        #expect(!(report.lines + report.trace).joined().contains("hl-trace-canary"))
    }
}
