import Foundation
import Logging

/// Logs one fresh JSON-RPC link in (the ``JSONRPCClient`` authenticate hook), as TrueNAS's own client does.
///
/// A refusal throws ``HomelabError/Code/unauthorized``, which stops the JSON-RPC client instead of retrying, so a
/// wrong key costs one failed attempt, never the 20 in 60 s that lock the client out for 10 minutes; a server that
/// has already locked us out is recognised and said so.
struct TrueNASLogin: Sendable {
    let credentials: TrueNASCredentials
    /// The negotiated API version (`v26.0.0`).
    let apiVersion: TrueNASAPIVersion
    let logger: Logger?

    /// Logs in on `session`; `certificate` is the server's TLS certificate (nil without TLS: loopback or unix socket).
    func run(_ session: JSONRPCSession, certificate: [UInt8]?) async throws {
        switch credentials.secret {
        case .password(let password):
            guard let user = credentials.username else { throw invalid("a password login needs a username") }
            let answer = try await guarded {
                try await session.call(
                    "auth.login_ex",
                    .array([.object(["mechanism": .string("PASSWORD_PLAIN"), "username": .string(user), "password": .string(password.reveal())])]))
            }
            try check(answer, what: "the password")
        case .apiKey(let key):
            switch resolvedMechanism {
            case .scram: try await scram(session, key: key, certificate: certificate)
            case .plain, .automatic: try await plain(session, key: key)
            case .legacy: try await legacy(session, key: key)
            }
        }
        do {
            _ = try await session.call("core.set_options", .array([.object(["legacy_jobs": .bool(true)])]))
        } catch let error as HomelabError where error.underlying is JSONRPCError {
            logger?.debug("core.set_options refused; jobs answer as the server's default", metadata: ["error": "\(error)"])
        }
    }

    /// The mechanism for an API key on this server.
    var resolvedMechanism: TrueNASCredentials.Mechanism {
        if credentials.mechanism == .automatic { return apiVersion.hasSCRAM ? .scram : .plain }
        return credentials.mechanism
    }

    private func scram(_ session: JSONRPCSession, key: Secret, certificate: [UInt8]?) async throws {
        guard let user = credentials.username, !user.isEmpty else {
            throw invalid("SCRAM needs the username the API key belongs to (username: in the inventory)")
        }
        let raw = key.reveal()
        guard let dash = raw.firstIndex(of: "-"), let keyID = Int(raw[..<dash]) else {
            throw invalid("the API key is not a raw TrueNAS key of the form ID-KEY")
        }
        let offered = try await guarded { try await session.call("auth.mechanism_choices") }
        guard case .array(let choices) = offered, choices.contains(.string("SCRAM")) else {
            throw HomelabError(
                .authenticationFailed,
                "the server (API \(apiVersion)) does not offer SCRAM; the key is not sent in the clear instead. "
                    + "If this server really has no SCRAM, set mechanism: plain explicitly",
                component: "truenas")
        }
        let binding = try certificate.map { try TLSServerEndPoint.bindingData(certificateDER: $0) }
        var exchange = SCRAMClientExchange(user: user, keyID: keyID, password: Array(raw[raw.index(after: dash)...].utf8), binding: binding)
        let first = try exchange.clientFirst()
        let serverFirst = try await guarded {
            try await session.call(
                "auth.login_ex",
                .array([.object(["mechanism": .string("SCRAM"), "scram_type": .string("CLIENT_FIRST_MESSAGE"), "rfc_str": .string(first)])]))
        }
        let firstText = try scramText(serverFirst, expecting: "SERVER_FIRST_RESPONSE")
        let final = try await exchange.clientFinal(serverFirst: firstText)
        let serverFinal = try await guarded {
            try await session.call(
                "auth.login_ex",
                .array([.object(["mechanism": .string("SCRAM"), "scram_type": .string("CLIENT_FINAL_MESSAGE"), "rfc_str": .string(final)])]))
        }
        do {
            try exchange.verify(serverFinal: try scramText(serverFinal, expecting: "SERVER_FINAL_RESPONSE"))
        } catch {
            _ = try? await session.call("auth.logout")
            throw error
        }
        logger?.debug("logged in with SCRAM-SHA-512", metadata: ["channel_binding": "\(binding != nil)"])
    }

    private func plain(_ session: JSONRPCSession, key: Secret) async throws {
        guard let user = credentials.username, !user.isEmpty else {
            try await legacy(session, key: key)
            return
        }
        logger?.notice("logging in with API_KEY_PLAIN: the key crosses the connection, protected by TLS only")
        do {
            let answer = try await guarded {
                try await session.call(
                    "auth.login_ex",
                    .array([.object(["mechanism": .string("API_KEY_PLAIN"), "username": .string(user), "api_key": .string(key.reveal())])]))
            }
            try check(answer, what: "the API key")
        } catch let error as HomelabError where (error.underlying as? JSONRPCError)?.code == -32601 {
            try await legacy(session, key: key)
        }
    }

    private func legacy(_ session: JSONRPCSession, key: Secret) async throws {
        let answer = try await guarded { try await session.call("auth.login_with_api_key", .array([.string(key.reveal())])) }
        guard answer == .bool(true) else {
            throw HomelabError(.unauthorized, "the server refused the API key (auth.login_with_api_key answered false)", component: "truenas")
        }
    }

    /// Reads `auth.login_ex`'s `response_type`.
    private func check(_ answer: JSONValue, what: String) throws {
        let type = TrueNASJSON.string(TrueNASJSON.field(answer, "response_type")) ?? "?"
        switch type {
        case "SUCCESS": return
        case "AUTH_ERR": throw HomelabError(.unauthorized, "the server refused \(what) (AUTH_ERR)", component: "truenas")
        case "EXPIRED":
            throw HomelabError(
                .unauthorized,
                "the server says \(what) has expired or was revoked (EXPIRED; TrueNAS revokes an API key sent over plain ws://)",
                component: "truenas")
        case "DENIED": throw HomelabError(.unauthorized, "the account has no API access (DENIED)", component: "truenas")
        case "OTP_REQUIRED":
            throw HomelabError(.unauthorized, "the account needs a one-time password, which this SDK does not send; use an API key", component: "truenas")
        case "REDIRECT":
            throw HomelabError(.unavailable, "log in on the active controller instead (REDIRECT)", component: "truenas")
        default: throw HomelabError(.authenticationFailed, "auth.login_ex answered \(type)", component: "truenas")
        }
    }

    private func scramText(_ answer: JSONValue, expecting step: String) throws -> String {
        try check(answer, scram: true)
        guard TrueNASJSON.string(TrueNASJSON.field(answer, "scram_type")) == step,
            let text = TrueNASJSON.string(TrueNASJSON.field(answer, "rfc_str"))
        else { throw HomelabError(.authenticationFailed, "SCRAM login: the server did not send its \(step)", component: "truenas") }
        return text
    }

    private func check(_ answer: JSONValue, scram: Bool) throws {
        let type = TrueNASJSON.string(TrueNASJSON.field(answer, "response_type"))
        if type == "SCRAM_RESPONSE" { return }
        try check(answer, what: "the API key")
    }

    /// Runs a login call, turning the server's lock-out answer into an error that says so.
    private func guarded(_ call: () async throws -> JSONValue) async throws -> JSONValue {
        do {
            return try await call()
        } catch let error as HomelabError {
            if let rpc = error.underlying as? JSONRPCError, TrueNASLogin.isLockout(rpc) {
                throw HomelabError(
                    .unauthorized,
                    "TrueNAS has locked this client out after too many failed logins (20 in 60 s); wait 10 minutes, "
                        + "fix the credentials, then try again",
                    component: "truenas", underlying: rpc)
            }
            throw error
        }
    }

    /// Whether an error is the middleware's rate limit on unauthenticated calls.
    static func isLockout(_ error: JSONRPCError) -> Bool {
        error.message.localizedCaseInsensitiveContains("rate limit") || error.errorName == "EBUSY"
    }

    private func invalid(_ message: String) -> HomelabError {
        HomelabError(.invalidConfiguration, message, component: "truenas")
    }
}
