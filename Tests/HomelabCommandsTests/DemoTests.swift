import Foundation
import HomelabTestSupport
import Testing

/// `homelab demo` is the README's main job: the built binary runs it to the end against the example homelab.
@Suite("homelab demo (the README's main job)", .serialized)
struct DemoTests {
    static let binary = CommandHarness.repositoryRoot.appendingPathComponent(".build/debug/homelab").path

    @Test("the demo runs every part, in order, and exits 0")
    func demoRunsToTheEnd() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary),
            "\(Self.binary) is missing: `swift build` builds it before the tests")
        let (status, output) = try await ChildProcess.run(
            Self.binary, ["demo", "--time-scale", "0.005"],
            environment: ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": NSTemporaryDirectory()],
            timeout: .seconds(300))
        #expect(status == 0, "homelab demo exited \(status): \(output.suffix(1500))")

        // Sections are "N. Title" lines underlined with dashes; they must be numbered 1, 2, 3... with none skipped
        // (a part that throws ends the demo early), and the last one is the invitation to try it yourself.
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var numbers: [Int] = []
        var titles: [String] = []
        for (index, line) in lines.enumerated() where index + 1 < lines.count {
            let underline = lines[index + 1]
            guard !underline.isEmpty, underline.allSatisfy({ $0 == "-" }), underline.count == line.count,
                let dot = line.firstIndex(of: "."), let number = Int(line[..<dot])
            else { continue }
            numbers.append(number)
            titles.append(line)
        }
        #expect(numbers.count >= 6, "demo sections: \(titles)")
        #expect(numbers == Array(1...max(1, numbers.count)), "demo sections: \(titles)")
        #expect(titles.last?.hasSuffix("Your turn") == true, "demo sections: \(titles)")
        // Every component's part ran (each prints its own underlined title).
        for part in [
            "Storage: TrueNAS", "Deployment: Komodo", "Ingress: Caddy", "Network boot: matchbox", "Provisioning a node:", "Secrets and SSO:", "Git and CI: Forgejo",
        ] {
            #expect(output.contains(part), "the demo has no part \"\(part)\"")
        }
        #expect(output.contains("monitoring loki: http://tasks.loki:3100/metrics is down"), "the check part shows Prometheus' down target")
        #expect(output.contains("run again: 8 of 8 steps skipped (done in the journal)"), "the provisioning part resumes from its journal")
        #expect(!output.contains("error:"), "the demo reported an error: \(output.suffix(1500))")
    }
}
