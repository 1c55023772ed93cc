import Foundation
import HomelabCore

extension DemoCommand {
    /// The demo's Authentik and 1Password part: every credential of the simulated homelab resolved through Connect,
    /// a template rendered `op inject`-style, and the forward-auth check finding its two deliberate problems.
    func platformPart(homelab: Homelab, transport: any HTTPTransport) async throws {
        guard homelab.components[.authentik] != nil, homelab.components[.onepassword] != nil else { return }
        let title = "Secrets and SSO: 1Password Connect and Authentik"
        print("\n" + title + "\n" + String(repeating: "-", count: title.count))
        let connections = HomelabConnections(
            homelab: homelab, transport: transport, secrets: CompositeSecretResolver(environment: [:]), sshLogin: nil)
        do {
            let references = homelab.components.sorted { $0.key < $1.key }.flatMap { kind, component in
                component.credentials.sorted { $0.key < $1.key }.map { "\(kind.rawValue).\($0.key) \($0.value)" }
            }
            print("  the inventory holds references, never values:")
            for line in references { print("    " + line) }
            let connect = try await connections.onePassword()
            let vaults = try await connect.vaults.list()
            print("  Connect \(try await connect.health().version ?? "?"): vaults \(vaults.map(\.name).joined(separator: ", "))")
            let version = try await connections.authentik().version()
            print("  Authentik \(version.versionCurrent) opened with its token read from op://homelab/authentik/api-token")

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-demo-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: folder) }
            let template = try SecretTemplate(parsing: "GF_AUTH_TOKEN={{ op://homelab/grafana/service-account-token }}\nPGHOST=op://homelab/postgres/host\n")
            let output = folder.appendingPathComponent("grafana.env").path
            let rendered = try await template.render(with: OnePasswordSecretResolver(client: connect))
            try AtomicFile.write(Array(rendered.reveal().utf8), to: output)
            print("  secrets inject: \(template.references.count) references rendered into grafana.env (mode 0600, written atomically)")

            let state = try await AuthentikForwardAuthState.read(from: try await connections.authentik())
            let routes = try await AuthCheckRoutes.routes(connections: connections, given: [])
            print("  \(state.applications.count) applications, \(state.proxyProviders.count) forward-auth providers, \(state.outposts.count) outpost")
            let findings = ForwardAuthCheck.findings(routes: routes, state: state)
            print("  auth check over Caddy's \(routes.count) routes, \(routes.filter(\.isProtected).count) behind forward auth: \(findings.count) findings")
            for finding in findings { print("    \(finding.host): \(finding.kind.rawValue): \(finding.detail)") }
        } catch {
            print("  Authentik and 1Password could not be shown: \(error)")
        }
        await connections.close()
    }
}
