import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

@Suite("Each component's credentials become the headers its API wants")
struct ComponentCredentialsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var kind: ComponentKind
        var username: String?
        var credentials: [String: String]
        var expected: [String: String]
        var testDescription: String { "\(kind) \(credentials.keys.sorted())" }
    }

    static let environment = [
        "TOKEN": "tok-3f9a", "SECRET": "0b5e-uuid", "KEY": "K-abc", "KEY_SECRET": "S-def", "PASSWORD": "pw-77",
    ]

    static let cases: [Case] = [
        Case(kind: .authentik, credentials: ["token": "env:TOKEN"], expected: ["Authorization": "Bearer tok-3f9a"]),
        Case(kind: .onepassword, credentials: ["token": "env:TOKEN"], expected: ["Authorization": "Bearer tok-3f9a"]),
        Case(kind: .woodpecker, credentials: ["token": "env:TOKEN"], expected: ["Authorization": "Bearer tok-3f9a"]),
        Case(kind: .forgejo, credentials: ["token": "env:TOKEN"], expected: ["Authorization": "token tok-3f9a"]),
        Case(
            kind: .proxmox, username: "homelab@pve!sdk", credentials: ["token_secret": "env:SECRET"],
            expected: ["Authorization": "PVEAPIToken=homelab@pve!sdk=0b5e-uuid"]),
        Case(
            kind: .komodo, credentials: ["api_key": "env:KEY", "api_secret": "env:KEY_SECRET"],
            expected: ["X-Api-Key": "K-abc", "X-Api-Secret": "S-def"]),
        Case(kind: .truenas, credentials: ["api_key": "env:KEY"], expected: ["Authorization": "Bearer K-abc"]),
        Case(kind: .grafana, credentials: ["token": "env:TOKEN"], expected: ["Authorization": "Bearer tok-3f9a"]),
        Case(
            kind: .prometheus, username: "admin", credentials: ["password": "env:PASSWORD"],
            expected: ["Authorization": "Basic " + Data("admin:pw-77".utf8).base64EncodedString()]),
        Case(
            kind: .uptimeKuma, credentials: ["api_key": "env:KEY"],
            expected: ["Authorization": "Basic " + Data(":K-abc".utf8).base64EncodedString()]),
        Case(kind: .caddy, credentials: [:], expected: [:]),
        Case(kind: .cloudflared, credentials: ["tunnel_token": "env:TOKEN"], expected: [:]),
    ]

    /// The headers the middleware puts on a request.
    static func headers(for component: ComponentEndpoint) async throws -> HTTPHeaders {
        let resolver = CompositeSecretResolver(environment: environment)
        let middleware = try await ComponentCredentials.middleware(
            for: component, secrets: resolver, location: "homelab.yaml: components.\(component.kind.rawValue)")
        let seen = Locked<HTTPHeaders>([:])
        var next: @Sendable (HTTPRequest, HTTPRequestContext) async throws -> HTTPResponse = { request, _ in
            seen.withLock { $0 = request.headers }
            return HTTPResponse(status: 200)
        }
        for layer in middleware.reversed() {
            let inner = next
            next = { request, context in try await layer.intercept(request, context: context, next: inner) }
        }
        let context = HTTPRequestContext(endpoint: .url("http://127.0.0.1:9"), component: "test", logger: nil)
        _ = try await next(HTTPRequest(path: "/"), context)
        return seen.withLock { $0 }
    }

    static func component(_ test: Case) throws -> ComponentEndpoint {
        ComponentEndpoint(
            kind: test.kind, endpoint: .url("http://127.0.0.1:9"), username: test.username,
            credentials: try test.credentials.mapValues { try CredentialReference(parsing: $0) })
    }

    @Test("header formats per kind", arguments: cases)
    func headerFormats(_ test: Case) async throws {
        let headers = try await Self.headers(for: Self.component(test))
        for (name, value) in test.expected { #expect(headers[name] == value, "\(name)") }
        #expect(headers["Authorization"] == nil || test.expected["Authorization"] != nil)
    }

    @Test("a Proxmox token secret without its token ID is a located error")
    func proxmoxNeedsTokenID() async throws {
        let component = try Self.component(Case(kind: .proxmox, credentials: ["token_secret": "env:SECRET"], expected: [:]))
        let error = try await #require(throws: HomelabError.self) { try await Self.headers(for: component) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.hasPrefix("homelab.yaml: components.proxmox: credentials.token_secret needs username:"))
    }

    @Test("Komodo's key without its secret is refused")
    func komodoNeedsBoth() async throws {
        let component = try Self.component(Case(kind: .komodo, credentials: ["api_key": "env:KEY"], expected: [:]))
        let error = try await #require(throws: HomelabError.self) { try await Self.headers(for: component) }
        #expect(error.message.contains("api_secret"))
    }

    @Test("a missing secret names the component, the credential and its reference, never a value")
    func missingSecretIsLocated() async throws {
        let component = try Self.component(Case(kind: .forgejo, credentials: ["token": "env:NOT_SET"], expected: [:]))
        let error = try await #require(throws: HomelabError.self) { try await Self.headers(for: component) }
        #expect(error.code == .secretUnavailable)
        #expect(error.message.hasPrefix("homelab.yaml: components.forgejo.credentials.token (env:NOT_SET): "))
    }

    @Test("through HomelabConnections: the header reaches the server and no secret reaches the log or an error")
    func endToEndWithoutLeaks() async throws {
        try await TestHTTPServer.with { server in
            let capture = LogCapture()
            let token = "canary-\(UUID().uuidString.prefix(8))"
            let homelab = Homelab(
                name: "t", nodes: [], tiers: [], stacks: [],
                components: [
                    .forgejo: ComponentEndpoint(
                        kind: .forgejo, endpoint: .url(server.url() + "/echo"), credentials: ["token": .env("FORGEJO_TOKEN")]),
                    .woodpecker: ComponentEndpoint(
                        kind: .woodpecker, endpoint: .url(server.url()), credentials: ["token": .env("FORGEJO_TOKEN")]),
                    .authentik: ComponentEndpoint(
                        kind: .authentik, endpoint: .url(server.url() + "/status/401"),
                        credentials: ["token": .env("FORGEJO_TOKEN")]),
                ])
            let connections = HomelabConnections(
                homelab: homelab, transport: try CurlTransport(), secrets: CompositeSecretResolver(environment: ["FORGEJO_TOKEN": token]),
                sshLogin: nil, logger: capture.logger())
            let echo = try await connections.http(for: .forgejo).send(HTTPRequest(path: "/version"), logger: capture.logger())
            let body = try JSONSerialization.jsonObject(with: Data(echo.body)) as? [String: Any]
            let headers = body?["headers"] as? [String: String]
            #expect(headers?["Authorization"] == "token \(token)")
            let row = await ComponentProbe.probe(.authentik, connections: connections, logger: capture.logger())
            #expect(row.state == .credentialsRejected(status: 401))
            #expect(row.detail == "credentials rejected (HTTP 401)")
            // A server that repeats the token in its error.
            let client = try await connections.http(for: .woodpecker)
            let request = HTTPRequest(path: "/echo-secret")
            let response = try await client.send(request, logger: capture.logger())
            let error = try #require(throws: HomelabError.self) { try client.ensureSuccess(response, for: request) }
            #expect(!String(describing: error).contains(token))
            #expect(!capture.text.isEmpty)
            #expect(!capture.text.contains(token))
            await connections.close()
        }
    }
}
