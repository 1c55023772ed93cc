import Foundation
import HomelabCore

extension DemoCommand {
    /// The demo's `homelab check` part: one line per rule and each finding in a line (the simulated homelab ships
    /// with one deliberate finding of each kind).
    func checkPart(homelab: Homelab, transport: any HTTPTransport) async {
        let title = "Coverage: homelab check across every component"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        let report = await HomelabCheck.run(connections: connections, timeout: .seconds(20))
        await connections.close()
        print("  " + report.results.map { "\($0.rule.rawValue) \($0.state == "ok" ? "ok" : $0.state == "unknown" ? "unknown" : String($0.findings.count))" }
            .joined(separator: ", "))
        for finding in report.findings {
            print("    \(finding.rule.rawValue) \(finding.service): \(finding.found)")
        }
        print("  See them with hints: homelab check --config /tmp/homelab-sim.yaml -o wide  (exit 5 while findings remain)")
    }
}
