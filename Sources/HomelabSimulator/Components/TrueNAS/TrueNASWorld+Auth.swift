import Foundation
import HomelabCore
import Logging

/// Logins: `auth.login_ex` (PASSWORD_PLAIN, API_KEY_PLAIN, and SCRAM-SHA-512 with optional `tls-server-end-point`
/// channel binding from 26), `auth.login_with_api_key`, `auth.mechanism_choices`; 20 failed logins in 60 s lock
/// every client out for 10 minutes.
extension TrueNASWorld {
    /// One session's SCRAM exchange in progress.
    struct SCRAMState: Sendable {
        var gs2Header: String
        var clientFirstBare: String
        var serverFirst: String
        var nonce: String
    }

    static let failedLoginLimit = 20
    static let failedLoginWindow: TimeInterval = 60
    static let lockout: TimeInterval = 600

    /// What `auth.mechanism_choices` lists.
    var mechanisms: [String] {
        ["PASSWORD_PLAIN", "API_KEY_PLAIN", "TOKEN_PLAIN", "OTP_TOKEN"] + (hasSCRAM ? ["SCRAM"] : [])
    }

    /// Throws the rate-limit error while clients are locked out.
    func checkLockout() throws {
        if let lockedUntil, lockedUntil > Date() { throw TrueNASFault.rateLimited }
    }

    private func refused() -> JSONValue {
        loginCounts.failed += 1
        let now = Date()
        failedLogins = failedLogins.filter { now.timeIntervalSince($0) < Self.failedLoginWindow } + [now]
        if failedLogins.count >= Self.failedLoginLimit {
            lockedUntil = now + Self.lockout
            logger.notice("simulated TrueNAS locks clients out", metadata: ["failed": "\(failedLogins.count)"])
        }
        return .object(["response_type": .string("AUTH_ERR")])
    }

    private func succeeded() -> JSONValue {
        loginCounts.succeeded += 1
        return .object([
            "response_type": .string("SUCCESS"), "authenticator": .string("LEVEL_1"),
            "user_info": .object(["pw_name": .string(apiUser), "pw_uid": .integer(3000), "privilege": .object(["web_shell": .bool(false)])]),
        ])
    }

    /// `auth.login_with_api_key(key)`.
    func loginWithAPIKey(_ params: [JSONValue]) throws -> (JSONValue, Bool) {
        try checkLockout()
        let key = try string(params, 0, "api_key")
        if key == apiKey {
            _ = succeeded()
            return (.bool(true), true)
        }
        _ = refused()
        return (.bool(false), false)
    }

    /// `auth.login_ex(data)`; `scram` is the session's exchange in progress; `binding` the channel-binding data of
    /// the session's TLS certificate. Returns the answer and whether the session is now logged in.
    func loginEx(_ params: [JSONValue], scram exchange: SCRAMState?, binding: [UInt8]?) async throws -> (JSONValue, Bool, SCRAMState?) {
        var scram = exchange
        let keys = exchange == nil ? nil : await scramKeys.value
        let (answer, ok) = try loginEx(params, scram: &scram, binding: binding, keys: keys)
        return (answer, ok, scram)
    }

    private func loginEx(
        _ params: [JSONValue], scram: inout SCRAMState?, binding: [UInt8]?, keys: SCRAMSHA512.Keys?
    ) throws -> (JSONValue, Bool) {
        try checkLockout()
        let body = try object(params, 0, "login_data")
        let mechanism = TrueNASQueryFilter.text(body["mechanism"] ?? .null)
        switch mechanism {
        case "PASSWORD_PLAIN":
            let ok = TrueNASQueryFilter.text(body["username"] ?? .null) == apiUser && TrueNASQueryFilter.text(body["password"] ?? .null) == password
            return ok ? (succeeded(), true) : (refused(), false)
        case "API_KEY_PLAIN":
            let ok = TrueNASQueryFilter.text(body["username"] ?? .null) == apiUser && TrueNASQueryFilter.text(body["api_key"] ?? .null) == apiKey
            return ok ? (succeeded(), true) : (refused(), false)
        case "SCRAM" where hasSCRAM:
            let text = TrueNASQueryFilter.text(body["rfc_str"] ?? .null)
            switch TrueNASQueryFilter.text(body["scram_type"] ?? .null) {
            case "CLIENT_FIRST_MESSAGE": return try scramFirst(text, scram: &scram)
            case "CLIENT_FINAL_MESSAGE":
                guard let state = scram else { throw TrueNASFault.invalid("login_data.scram_type", "no SCRAM exchange in progress") }
                scram = nil
                guard let keys else { throw TrueNASFault.failed("SCRAM keys are not ready") }
                return try scramFinal(text, state: state, binding: binding, keys: keys)
            default: throw TrueNASFault.invalid("login_data.scram_type", "unexpected SCRAM message type")
            }
        default:
            throw TrueNASFault.invalid("login_data.mechanism", "Input should be one of: \(mechanisms.joined(separator: ", "))")
        }
    }

    private func scramFirst(_ text: String, scram: inout SCRAMState?) throws -> (JSONValue, Bool) {
        let pieces = text.components(separatedBy: ",")
        guard pieces.count >= 4, ["n", "y", "p=tls-server-end-point"].contains(pieces[0]) else {
            throw TrueNASFault.invalid("login_data.rfc_str", "malformed SCRAM client-first message")
        }
        let bare = pieces.dropFirst(2).joined(separator: ",")
        guard pieces[2] == "n=\(apiUser):1", pieces[3].hasPrefix("r="), let clientNonce = Data(base64Encoded: String(pieces[3].dropFirst(2))),
            clientNonce.count == SCRAMSHA512.nonceSize
        else { return (refused(), false) }
        var generator = SystemRandomNumberGenerator()
        let serverNonce = (0..<SCRAMSHA512.nonceSize).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let nonce = Data(Array(clientNonce) + serverNonce).base64EncodedString()
        let serverFirst = "r=\(nonce),s=\(Data(scramSalt).base64EncodedString()),i=\(SCRAMSHA512.minimumIterations)"
        scram = SCRAMState(gs2Header: pieces[0] + ",,", clientFirstBare: bare, serverFirst: serverFirst, nonce: nonce)
        return (.object([
            "response_type": .string("SCRAM_RESPONSE"), "scram_type": .string("SERVER_FIRST_RESPONSE"), "rfc_str": .string(serverFirst),
        ]), false)
    }

    private func scramFinal(_ text: String, state: SCRAMState, binding: [UInt8]?, keys: SCRAMSHA512.Keys) throws -> (JSONValue, Bool) {
        guard let proofRange = text.range(of: ",p=") else { throw TrueNASFault.invalid("login_data.rfc_str", "no client proof") }
        let withoutProof = String(text[..<proofRange.lowerBound])
        guard let proof = Data(base64Encoded: String(text[proofRange.upperBound...])) else { return (refused(), false) }
        let bound = state.gs2Header.hasPrefix("p=") ? binding : nil
        if state.gs2Header.hasPrefix("p="), binding == nil { return (refused(), false) }
        let expectedChannel = SCRAMSHA512.channelBindingField(gs2Header: state.gs2Header, binding: bound)
        guard withoutProof == "c=\(expectedChannel),r=\(state.nonce)" else { return (refused(), false) }
        let authMessage = Array((state.clientFirstBare + "," + state.serverFirst + "," + withoutProof).utf8)
        let signature = SCRAMSHA512.hmac(keys.storedKey, authMessage)
        let clientKey = SCRAMSHA512.xor(Array(proof), signature)
        guard clientKey.count == 64, SCRAMSHA512.equal(SCRAMSHA512.hash(clientKey), keys.storedKey) else { return (refused(), false) }
        _ = succeeded()
        let serverSignature = SCRAMSHA512.hmac(keys.serverKey, authMessage)
        return (.object([
            "response_type": .string("SCRAM_RESPONSE"), "scram_type": .string("SERVER_FINAL_RESPONSE"),
            "rfc_str": .string("v=" + Data(serverSignature).base64EncodedString()),
        ]), true)
    }
}
