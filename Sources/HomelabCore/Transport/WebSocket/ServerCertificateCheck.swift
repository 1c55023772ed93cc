import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The server-certificate check that ``TLSOptions`` means, done by us instead of BoringSSL so that public-key pins
/// are checked inside the handshake (before any application data, and so any credential, is sent).
///
/// The meaning is the curl transport's (`CurlRequestSetup.configureTLS`): `.system`, `.caFile` and `.caPEM` verify the
/// chain against those roots (a CA file replaces the system store, as `CURLOPT_CAINFO` does) and the host name unless
/// `verifyHostname` is off; `.pinnedKeyOnly` and `.insecure` skip both; pins, when given, must match in every mode.
struct ServerCertificateCheck: Sendable {
    enum Roots: Sendable {
        /// No chain verification.
        case unchecked
        /// The system trust store (`/etc/ssl/certs/ca-certificates.crt` on Debian).
        case system
        /// Exactly these CA certificates.
        case certificates([Certificate])
    }

    let roots: Roots
    /// The host the certificate must name, or nil for no name check.
    let hostname: String?
    /// Base64 SHA-256 digests of the accepted SubjectPublicKeyInfo; empty for no pin check.
    let pins: Set<String>
    /// The exact certificate's SHA-256 fingerprint, when one is pinned.
    let fingerprint: CertificateFingerprint?

    /// Builds the check for `options` when connecting to `host`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the options are invalid or a CA cannot be read.
    init(options: TLSOptions, host: String) throws {
        try options.validate()
        fingerprint = try options.certificateFingerprint.map(CertificateFingerprint.init)
        switch options.trust {
        case .system: roots = fingerprint == nil ? .system : .unchecked
        case .caFile(let path): roots = .certificates(try Self.load(path: path))
        case .caPEM(let pem): roots = .certificates(try Self.load(pem: pem))
        case .pinnedKeyOnly, .insecure: roots = .unchecked
        }
        if case .unchecked = roots {
            hostname = nil
        } else {
            hostname = options.verifyHostname ? host : nil
        }
        pins = Set(options.pinnedPublicKeys.map { $0.hasPrefix("sha256//") ? String($0.dropFirst(8)) : $0 })
    }

    /// Whether the check does anything (`.insecure` without pins does not).
    var checksAnything: Bool {
        if case .unchecked = roots { return !pins.isEmpty || fingerprint != nil }
        return true
    }

    /// Checks the chain the server presented (leaf first). Returns nil when it is accepted, else why it is refused.
    func refusal(of presented: [NIOSSLCertificate]) async -> String? {
        guard let leaf = presented.first else { return "the server presented no certificate" }
        if let fingerprint {
            guard let der = try? leaf.toDERBytes() else { return "the server's certificate could not be read" }
            let actual = CertificateFingerprint(der: der)
            guard actual == fingerprint else {
                return "the server's certificate has the SHA-256 fingerprint \(actual), not the pinned \(fingerprint)"
            }
        }
        if !pins.isEmpty {
            let pin: String
            do {
                pin = try Self.pin(of: leaf)
            } catch {
                return "the server's public key could not be read: \(error)"
            }
            guard pins.contains(pin) else {
                return "the server's public key sha256//\(pin) matches none of the \(pins.count) pinned key(s)"
            }
        }
        let store: CertificateStore
        switch roots {
        case .unchecked: return nil
        case .system: store = CertificateStore.systemTrustRoots
        case .certificates(let certificates): store = CertificateStore(certificates)
        }
        let chain: [Certificate]
        do {
            chain = try presented.map { try Certificate(derEncoded: $0.toDERBytes()) }
        } catch {
            return "the server's certificate could not be parsed: \(error)"
        }
        let isIP = hostname.map(Self.isIPAddress) ?? false
        let hostname = self.hostname
        var verifier = Verifier(rootCertificates: store) {
            RFC5280Policy()
            if let hostname {
                ServerIdentityPolicy(serverHostname: isIP ? nil : hostname, serverIP: isIP ? hostname : nil)
            }
        }
        let result = await verifier.validate(leaf: chain[0], intermediates: CertificateStore(chain.dropFirst()))
        switch result {
        case .validCertificate: return nil
        case .couldNotValidate(let failures):
            let reasons = failures.map { String(describing: $0.policyFailureReason) }
            let why = reasons.isEmpty ? "no trusted CA issued \(chain[0].issuer)" : Set(reasons).sorted().joined(separator: "; ")
            return "the server's certificate (\(chain[0].subject)) is not trusted" + (hostname.map { " for \($0)" } ?? "") + ": " + why
        }
    }

    /// The base64 SHA-256 digest of a certificate's DER SubjectPublicKeyInfo (curl's `sha256//` pin without the prefix).
    static func pin(of certificate: NIOSSLCertificate) throws -> String {
        let spki = try certificate.extractPublicKey().toSPKIBytes()
        return Data(SHA256.hash(data: spki)).base64EncodedString()
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return inet_pton(AF_INET, bare, &v4) == 1 || inet_pton(AF_INET6, bare, &v6) == 1
    }

    private static func load(path: String) throws -> [Certificate] {
        do {
            return try NIOSSLCertificate.fromPEMFile(path).map { try Certificate(derEncoded: $0.toDERBytes()) }
        } catch {
            throw HomelabError(.invalidConfiguration, "the CA file '\(path)' could not be read as PEM certificates", underlying: error)
        }
    }

    private static func load(pem: String) throws -> [Certificate] {
        do {
            return try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)).map { try Certificate(derEncoded: $0.toDERBytes()) }
        } catch {
            throw HomelabError(.invalidConfiguration, "the inline CA PEM could not be read as certificates", underlying: error)
        }
    }
}
