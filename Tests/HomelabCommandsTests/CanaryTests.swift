import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// A credential whose value is a canary is resolved and sent (forgejo's token), and no command prints it: not in
/// tables, JSON, errors, or the `--verbose` request trace of the real binary.
@Suite("a canary secret is absent from every output", .serialized)
struct CanaryTests {
    static let binary = CommandHarness.repositoryRoot.appendingPathComponent(".build/debug/homelab").path

    static let commands: [[String]] = CommandGoldenTests.readOnly.map(\.arguments) + [
        ["swarm", "scale", "grafana=1"], ["swarm", "update", "grafana", "--image", "12.1.0", "--detach"],
    ]

    @Test("in-process: every command, as a table, as JSON and as YAML, with the token accepted and rejected")
    func inProcess() async throws {
        for faults in [[:], [ComponentKind.docker: FaultPlan(rejectCredentials: true)]] {
            try await withCommandHarness(faults: faults, canaryComponent: true) { harness in
                for command in Self.commands {
                    for format in [[], ["-o", "json"], ["-o", "yaml"]] {
                        let result = await harness.run(command + format, width: 100)
                        #expect(!(result.output + result.error).contains(CommandHarness.canary), "\(command + format): \(result)")
                    }
                }
                let status = await harness.run(["status", "-o", "json"])
                #expect(status.output.contains("\"kind\" : \"forgejo\""), "the canary's component is probed: \(status)")
            }
        }
    }

    @Test("the homelab binary with --verbose (the redacted request trace) never prints the canary")
    func binaryVerbose() async throws {
        guard
            try RealServer.require(
                "the homelab binary", available: FileManager.default.isExecutableFile(atPath: Self.binary),
                hint: "swift build --build-tests")
        else { return }
        try await withCommandHarness(faults: [.docker: FaultPlan(rejectCredentials: true)], canaryComponent: true) { harness in
            for command in [["status"], ["swarm", "services"], ["inventory", "show", "-o", "json"], ["swarm", "ps", "caddy"]] {
                let (status, output) = try await ChildProcess.run(
                    Self.binary, command + ["--config", harness.config, "--verbose"], environment: harness.environment,
                    timeout: .seconds(60))
                #expect(status != 64, "\(command): exit \(status)\n\(output)")
                #expect(command == ["inventory", "show", "-o", "json"] || output.contains("401"), "the token was refused: \(output)")
                #expect(!output.contains(CommandHarness.canary), "\(command): \(output)")
                #expect(!output.contains("Swift.") && !output.contains("HomelabCore."), "no type names: \(output)")
            }
        }
    }

    @Test("the homelab binary: one-line errors, exit codes and NO_COLOR as a user sees them")
    func binaryBasics() async throws {
        guard
            try RealServer.require(
                "the homelab binary", available: FileManager.default.isExecutableFile(atPath: Self.binary),
                hint: "swift build --build-tests")
        else { return }
        try await withCommandHarness { harness in
            var environment = harness.environment
            environment["NO_COLOR"] = "1"
            let ok = try await ChildProcess.run(Self.binary, ["swarm", "services", "--config", harness.config], environment: environment)
            #expect(ok.status == 0 && ok.output.contains("ingress_caddy") && !ok.output.contains("\u{1B}["), "\(ok.output)")
            let missing = try await ChildProcess.run(Self.binary, ["swarm", "services"], environment: environment)
            #expect(missing.status == 1, "\(missing.output)")
            #expect(missing.output.split(separator: "\n").count == 1 && missing.output.hasPrefix("error: inventory: no inventory"), "\(missing.output)")
            let usage = try await ChildProcess.run(Self.binary, ["swarm", "scale", "caddy"], environment: environment)
            #expect(usage.status == 64, "\(usage.output)")
            let help = try await ChildProcess.run(Self.binary, ["swarm", "--help"], environment: environment)
            #expect(help.status == 0 && help.output.contains("services"), "\(help.output)")
        }
    }
}
