import Foundation

extension HomelabConnections {
    /// TrueNAS's client (`components.truenas`): one JSON-RPC session logged in with the inventory's credentials
    /// (`api_key` with `username:`, SCRAM on 26+, or `password`), or REST v2.0 on servers without JSON-RPC; opened
    /// on first use and shared, closed by ``close()``.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` (located) without a usable entry; the login's errors
    ///   (`.unauthorized`, `.authenticationFailed`); `.cancelled` after ``close()``.
    public func trueNAS() async throws -> TrueNASClient {
        let task: Task<TrueNASClient, any Error>
        if let running = trueNASClient {
            task = running
        } else {
            task = Task { try await self.openTrueNAS() }
            trueNASClient = task
        }
        let client = try await settle(task) { if self.trueNASClient == task { self.trueNASClient = nil } }
        if trueNASClient == task { trueNASOpen = client }
        return client
    }

    private func openTrueNAS() async throws -> TrueNASClient {
        let location = "\(source): components.truenas"
        guard let component = homelab.components[.truenas] else {
            throw HomelabError(.invalidConfiguration, "\(location) is not in the inventory", component: "truenas")
        }
        if component.sshTunnel != nil {
            throw HomelabError(
                .invalidConfiguration, "\(location).ssh_tunnel: TrueNAS's WebSocket cannot go through an SSH tunnel yet; give its https:// URL",
                component: "truenas")
        }
        let http = try await http(for: .truenas)
        let credentials = try await trueNASCredentials(component, location: location)
        return try await TrueNASClient.connect(http: http, credentials: credentials, logger: logger)
    }

    private func trueNASCredentials(_ component: ComponentEndpoint, location: String) async throws -> TrueNASCredentials? {
        func resolve(_ name: String) async throws -> Secret? {
            guard let reference = component.credentials[name] else { return nil }
            do {
                return try await resolveSecret(reference)
            } catch var error as HomelabError {
                error.message = "\(location).credentials.\(name) (\(reference)): " + error.message
                throw error
            }
        }
        if let key = try await resolve("api_key") {
            return .apiKey(Secret(key.reveal().trimmingCharacters(in: .whitespacesAndNewlines)), username: component.username)
        }
        if let password = try await resolve("password") {
            guard let user = component.username else {
                throw HomelabError(.invalidConfiguration, "\(location): credentials.password needs username:", component: "truenas")
            }
            return .password(password, username: user)
        }
        return nil
    }
}
