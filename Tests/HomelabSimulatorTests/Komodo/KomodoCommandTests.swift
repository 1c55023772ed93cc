import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

/// The `homelab komodo ...` commands against the simulated Core (the built binary), with their exit codes.
@Suite("homelab komodo commands")
struct KomodoCommandTests {
    static let binary = SimulatorHarness.repositoryRoot.appendingPathComponent(".build/debug/homelab").path

    @Test("servers, stacks, deploy (0 and 3), updates, sync diff (pending and --file), sync run, validate (0 and 1)")
    func commands() async throws {
        guard
            try RealServer.require(
                "the homelab binary", available: FileManager.default.isExecutableFile(atPath: Self.binary), hint: "swift build --build-tests")
        else { return }
        try await withKomodo { komodo in
            let folder = try TemporaryFolder()
            let config = folder.file("homelab.yaml")
            try komodo.sim.simulation.writeConfig(to: config)
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_STATE_HOME"] = folder.path
            environment["COLUMNS"] = "200"
            func homelab(_ arguments: [String]) async throws -> (Int32, String) {
                try await ChildProcess.run(Self.binary, arguments + ["--config", config], environment: environment, timeout: .seconds(120))
            }
            let good = folder.file("good.toml")
            try "[[stack]]\nname = \"ingress\"\nconfig = { swarm = \"homelab\", repo = \"homelab/stacks\", environment = \"TZ=UTC\" }\n"
                .write(toFile: good, atomically: true, encoding: .utf8)
            let bad = folder.file("bad.toml")
            try "[[stack]]\nname = \"x\"\n[stack.config]\nswarm = 3\n".write(toFile: bad, atomically: true, encoding: .utf8)
            let expectations: [([String], Int32, [String])] = [
                (["komodo", "servers"], 0, ["barbary", "Ok", "v2.3.2"]),
                (["komodo", "servers", "-o", "json"], 0, ["\"state\" : \"Ok\"", "\"name\" : \"dhow\""]),
                (["komodo", "stacks"], 0, ["media-core", "running", "(latest "]),
                (["komodo", "stacks", "-q"], 0, ["ingress\n"]),
                (["komodo", "deploy", "ingress"], 0, ["ingress: Clone Repo ok", "ingress: Deploy ok", "DeployStack ok"]),
                (["komodo", "deploy", "media-enrichment"], 3, ["Validate Files FAILED", "Missing compose files"]),
                (["komodo", "deploy", "ingress", "-o", "json"], 0, ["\"commit_hash\"", "\"logs\""]),
                (["komodo", "updates", "--limit", "5"], 0, ["DeployStack", "media-enrichment", "failed"]),
                (["komodo", "updates", "--stack", "ingress", "-o", "json"], 0, ["\"commit_hash\"", "\"target\" : \"ingress\""]),
                (["komodo", "sync", "diff"], 0, ["update", "media-core", "config.environment", "create", "nightly-pull"]),
                (["komodo", "sync", "diff", "--file", good], 0, ["update", "ingress", "config.environment"]),
                (["komodo", "sync", "diff", "--file", bad], 1, ["bad.toml:4: error: stack 'x': config.swarm: expected a string"]),
                (["komodo", "sync", "run"], 0, ["homelab: sync applied"]),
                (["komodo", "sync", "diff"], 0, ["no changes"]),
                (["komodo", "validate", good], 0, ["1 resources, 0 errors"]),
                (["komodo", "validate", bad], 1, ["bad.toml:4: error:"]),
                (["komodo", "validate", bad, "-o", "json"], 1, ["\"line\" : 4", "\"severity\" : \"error\""]),
            ]
            for (arguments, wantedStatus, wanted) in expectations {
                let (status, output) = try await homelab(arguments)
                #expect(status == wantedStatus, "\(arguments): exit \(status)\n\(output)")
                for text in wanted { #expect(output.contains(text), "\(arguments) lacks \(text): \(output)") }
                #expect(!output.contains(komodo.core.apiSecret), "the API secret leaked into \(arguments)")
            }
        }
    }
}
