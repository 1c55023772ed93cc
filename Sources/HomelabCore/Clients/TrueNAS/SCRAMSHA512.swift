import Crypto
import _CryptoExtras
import Foundation

/// SCRAM-SHA-512 (RFC 5802, RFC 7677's construction with SHA-512) as TrueNAS 26 speaks it in `auth.login_ex`:
/// nonces are 32 random bytes sent in base64, the user name carries the API key's id (`n=USER:KEYID`), the key
/// material is the part of the raw key after `ID-`, and the iteration count must be 50,000 to 5,000,000.
///
/// The primitives are public so that a server (the simulator) and a client derive the same keys.
public enum SCRAMSHA512 {
    /// The fewest PBKDF2 iterations a server may ask for (TrueNAS's limit; fewer are refused).
    public static let minimumIterations = 50_000
    /// The most PBKDF2 iterations a server may ask for.
    public static let maximumIterations = 5_000_000
    /// Nonce length in bytes.
    public static let nonceSize = 32

    /// The keys derived from a password and salt: what a server stores and a client proves.
    public struct Keys: Sendable, Hashable {
        /// `HMAC(SaltedPassword, "Client Key")`.
        public var clientKey: [UInt8]
        /// `H(ClientKey)`.
        public var storedKey: [UInt8]
        /// `HMAC(SaltedPassword, "Server Key")`.
        public var serverKey: [UInt8]
    }

    /// Derives the keys (PBKDF2-HMAC-SHA512 with `iterations`).
    public static func keys(password: [UInt8], salt: [UInt8], iterations: Int) -> Keys {
        let salted = pbkdf2(password: password, salt: salt, iterations: iterations)
        let clientKey = hmac(salted, Array("Client Key".utf8))
        return Keys(
            clientKey: clientKey, storedKey: Array(SHA512.hash(data: clientKey)), serverKey: hmac(salted, Array("Server Key".utf8)))
    }

    /// ``keys(password:salt:iterations:)`` on a Dispatch thread: PBKDF2 with 50,000 or more iterations takes long
    /// enough that it must not hold one of the few threads Swift concurrency runs every task on.
    /// Keys already derived in this process are reused (TrueNAS's own client takes precomputed keys for the same
    /// reason); the cache holds keys, never the password, keyed by a hash of password, salt and iterations.
    public static func deriveKeys(password: [UInt8], salt: [UInt8], iterations: Int) async -> Keys {
        let key = hash(hash(password) + salt + Array(String(iterations).utf8))
        if let known = derived.withLock({ $0[key] }) { return known }
        let derivedKeys = await withCheckedContinuation { (continuation: CheckedContinuation<Keys, Never>) in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: Self.keys(password: password, salt: salt, iterations: iterations))
            }
        }
        derived.withLock { cache in
            if cache.count >= 16 { cache.removeAll() }
            cache[key] = derivedKeys
        }
        return derivedKeys
    }

    private static let derived = Locked<[[UInt8]: Keys]>([:])

    /// HMAC-SHA512.
    public static func hmac(_ key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA512>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// SHA-512.
    public static func hash(_ data: [UInt8]) -> [UInt8] { Array(SHA512.hash(data: data)) }

    /// Byte-wise XOR of two equally long values.
    public static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        zip(a, b).map { $0 ^ $1 }
    }

    /// PBKDF2-HMAC-SHA512 with one 64-byte block (what SCRAM-SHA-512 needs), through BoringSSL's PBKDF2: a loop of
    /// Swift HMACs took 1-2 s for 50,000 iterations in a debug build, long enough to starve whatever else ran.
    /// `unsafeUncheckedRounds`: the count is the server's, already bounded by ``minimumIterations`` and
    /// ``maximumIterations`` (swift-crypto's checked variant insists on 210,000 or more).
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        if let key = try? KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: salt, using: .sha512, outputByteCount: 64, unsafeUncheckedRounds: max(1, iterations))
        {
            return key.withUnsafeBytes { Array($0) }
        }
        return pbkdf2InSwift(password: password, salt: salt, iterations: iterations)
    }

    /// The same derivation in Swift: the fallback should BoringSSL refuse, and the reference the tests compare with.
    static func pbkdf2InSwift(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        let base = HMAC<SHA512>(key: key)
        var first = base
        first.update(data: salt + [0, 0, 0, 1])
        var u = Array(first.finalize())
        var result = u
        for _ in 1..<max(1, iterations) {
            var next = base
            next.update(data: u)
            u = Array(next.finalize())
            for index in result.indices { result[index] ^= u[index] }
        }
        return result
    }

    /// Constant-time comparison.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The GS2 header: `p=tls-server-end-point,,` with channel binding, `n,,` without.
    public static func gs2Header(channelBinding: Bool) -> String {
        channelBinding ? "p=tls-server-end-point,," : "n,,"
    }

    /// The `c=` value of the client-final message: base64 of the GS2 header and the binding data.
    public static func channelBindingField(gs2Header: String, binding: [UInt8]?) -> String {
        Data(Array(gs2Header.utf8) + (binding ?? [])).base64EncodedString()
    }
}

/// One client side of a SCRAM-SHA-512 exchange, as a value: messages in, messages out, no I/O.
struct SCRAMClientExchange: Sendable {
    let user: String
    let keyID: Int
    let password: [UInt8]
    let binding: [UInt8]?
    let clientNonce: [UInt8]
    private(set) var clientFirstBare = ""
    private(set) var authMessage = ""
    private(set) var keys: SCRAMSHA512.Keys?

    /// - Parameter binding: the `tls-server-end-point` data of the connection, nil for an unbound exchange.
    init(user: String, keyID: Int, password: [UInt8], binding: [UInt8]?, nonce: [UInt8]? = nil) {
        self.user = user
        self.keyID = keyID
        self.password = password
        self.binding = binding
        var random = SystemRandomNumberGenerator()
        clientNonce = nonce ?? (0..<SCRAMSHA512.nonceSize).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    var gs2Header: String { SCRAMSHA512.gs2Header(channelBinding: binding != nil) }

    /// `p=tls-server-end-point,,n=USER:KEYID,r=NONCE`.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for a user name with `,` or `=`.
    mutating func clientFirst() throws -> String {
        guard !user.isEmpty, !user.contains(","), !user.contains("=") else {
            throw HomelabError(.invalidArgument, "a SCRAM user name must be non-empty and hold no ',' or '='", component: "truenas")
        }
        clientFirstBare = "n=\(user)\(keyID != 0 ? ":\(keyID)" : ""),r=\(Data(clientNonce).base64EncodedString())"
        return gs2Header + clientFirstBare
    }

    /// Reads `r=NONCE,s=SALT,i=ITERATIONS` and answers `c=...,r=...,p=PROOF`.
    /// - Throws: ``HomelabError/Code/authenticationFailed`` when the server's message is malformed, its nonce does not
    ///   extend ours, or its iteration count is outside TrueNAS's limits.
    mutating func clientFinal(serverFirst: String) async throws -> String {
        var fields: [String: String] = [:]
        for part in serverFirst.split(separator: ",") {
            guard let equals = part.firstIndex(of: "=") else { throw refused("a malformed server-first message") }
            fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        guard let nonceText = fields["r"], let nonce = Data(base64Encoded: nonceText), let saltText = fields["s"],
            let salt = Data(base64Encoded: saltText), let iterations = fields["i"].flatMap(Int.init)
        else { throw refused("a server-first message without nonce, salt or iteration count") }
        guard nonce.count == 2 * SCRAMSHA512.nonceSize, Array(nonce.prefix(clientNonce.count)) == clientNonce else {
            throw refused("a server nonce that does not extend the client's")
        }
        guard (SCRAMSHA512.minimumIterations...SCRAMSHA512.maximumIterations).contains(iterations) else {
            throw refused("\(iterations) iterations, outside \(SCRAMSHA512.minimumIterations)-\(SCRAMSHA512.maximumIterations)")
        }
        let keys = await SCRAMSHA512.deriveKeys(password: password, salt: Array(salt), iterations: iterations)
        self.keys = keys
        let withoutProof = "c=\(SCRAMSHA512.channelBindingField(gs2Header: gs2Header, binding: binding)),r=\(nonceText)"
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof
        let signature = SCRAMSHA512.hmac(keys.storedKey, Array(authMessage.utf8))
        let proof = SCRAMSHA512.xor(keys.clientKey, signature)
        return withoutProof + ",p=" + Data(proof).base64EncodedString()
    }

    /// Checks the server's `v=SIGNATURE`: the server knows the key too (mutual authentication).
    /// - Throws: ``HomelabError/Code/authenticationFailed`` when the signature is missing or wrong.
    func verify(serverFinal: String) throws {
        guard serverFinal.hasPrefix("v="), let signature = Data(base64Encoded: String(serverFinal.dropFirst(2))), let keys else {
            throw refused("a server-final message without a signature")
        }
        let expected = SCRAMSHA512.hmac(keys.serverKey, Array(authMessage.utf8))
        guard SCRAMSHA512.equal(Array(signature), expected) else {
            throw refused("a server signature that does not match: the server does not know the key (or the connection is intercepted)")
        }
    }

    private func refused(_ what: String) -> HomelabError {
        HomelabError(.authenticationFailed, "SCRAM login: the server sent \(what)", component: "truenas")
    }
}
