import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A certificate's SHA-256 fingerprint as appliances show it (`pvenode cert info`, the `ssl_fingerprint` of
/// Proxmox's `GET /nodes`, proxmoxer's and pvesh's `--fingerprint`): 32 bytes, written `AB:CD:...`.
///
/// It pins the exact certificate. libcurl can only pin a public key, so the transport first looks at the
/// certificate in a TLS handshake of its own that carries no request (``CertificateFingerprint/pin(for:)``): a
/// mismatch ends there, before any request or credential is sent; a match yields the certificate's public-key
/// pin, which every later connection must then present (checked by libcurl inside each handshake).
public struct CertificateFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// Parses `AB:CD:...` (64 hex digits, colons optional, any case, an optional `sha256:` prefix).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` saying what is wrong.
    public init(_ text: String) throws {
        var body = text.trimmingCharacters(in: .whitespaces)
        for prefix in ["sha256:", "SHA256:", "sha256//"] where body.hasPrefix(prefix) { body = String(body.dropFirst(prefix.count)) }
        let hex = body.filter { $0 != ":" }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16), hex.distance(from: index, to: next) == 2 else {
                bytes = []
                break
            }
            bytes.append(byte)
            index = next
        }
        guard bytes.count == 32 else {
            throw HomelabError(
                .invalidConfiguration,
                "'\(text.prefix(120))' is not a SHA-256 certificate fingerprint (expected 32 hex bytes, as AB:CD:...:EF)")
        }
        self.bytes = bytes
    }

    /// The fingerprint of a DER certificate.
    public init(der: [UInt8]) {
        bytes = Array(SHA256.hash(data: der))
    }

    /// `AB:CD:...:EF`, upper case, as Proxmox shows it.
    public var description: String {
        bytes.map { byte in
            let text = String(byte, radix: 16, uppercase: true)
            return text.count == 1 ? "0" + text : text
        }.joined(separator: ":")
    }
}

extension CertificateFingerprint {
    /// What the look at a server's certificate found.
    struct Presented: Sendable {
        var fingerprint: CertificateFingerprint
        /// Base64 SHA-256 of its SubjectPublicKeyInfo (curl's `sha256//` pin without the prefix).
        var publicKeyPin: String
    }

    /// Connects to `endpoint` (its URL's host and port, or its ``Endpoint/connectionSocket``), reads the
    /// certificate in the TLS handshake and ends the handshake there: no request, no credential is ever sent.
    /// - Throws: ``HomelabError/Code/tlsFailure`` when the certificate's fingerprint is not `self` (both named);
    ///   `.connectionFailed` or `.timedOut` when the server cannot be reached.
    func publicKeyPin(of endpoint: Endpoint, timeout: Duration = .seconds(10)) async throws -> String {
        let presented = try await Self.look(at: endpoint, timeout: timeout)
        guard presented.fingerprint == self else {
            throw HomelabError(
                .tlsFailure,
                "the certificate of \(endpoint.description) has the SHA-256 fingerprint \(presented.fingerprint), not the pinned \(self); "
                    + "nothing was sent. If the certificate was renewed on purpose, take the new fingerprint from `pvenode cert info`")
        }
        return presented.publicKeyPin
    }

    /// Reads the leaf certificate a TLS server presents, refusing the handshake right after.
    static func look(at endpoint: Endpoint, timeout: Duration) async throws -> Presented {
        guard case .url(let url) = endpoint.address, let (host, port) = HomelabConnections.hostAndPort(of: url) else {
            throw HomelabError(.invalidConfiguration, "a certificate fingerprint needs an https:// URL, not \(endpoint.description)")
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([])
        configuration.certificateVerification = .noHostnameVerification
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw HomelabError(.invalidConfiguration, "the TLS settings could not be applied", underlying: error)
        }
        let group = MultiThreadedEventLoopGroup.singleton
        let found = group.any().makePromise(of: Presented.self)
        let isIP = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.milliseconds(Int64(timeout.seconds * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: isIP ? nil : host,
                        customVerificationCallback: { certificates, verdict in
                            // Only DER bytes are read; the handshake is refused either way, so nothing is sent.
                            if let leaf = certificates.first, let der = try? leaf.toDERBytes(),
                                let spki = try? leaf.extractPublicKey().toSPKIBytes()
                            {
                                let pin = Data(SHA256.hash(data: spki)).base64EncodedString()
                                found.succeed(Presented(fingerprint: CertificateFingerprint(der: der), publicKeyPin: pin))
                            } else {
                                found.fail(HomelabError(.tlsFailure, "\(endpoint.description) presented no readable certificate"))
                            }
                            verdict.succeed(.failed)
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel: any Channel
        do {
            if let socket = endpoint.connectionSocket {
                channel = try await bootstrap.connect(unixDomainSocketPath: socket).get()
            } else {
                channel = try await bootstrap.connect(host: host, port: port).get()
            }
        } catch {
            found.fail(error)
            throw HomelabError(.connectionFailed, "could not connect to \(endpoint.description) to check its certificate", underlying: error)
        }
        channel.closeFuture.whenComplete { _ in
            found.fail(HomelabError(.tlsFailure, "\(endpoint.description) closed the connection before presenting a certificate"))
        }
        let timer = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout.seconds * 1000))) {
            found.fail(HomelabError(.timedOut, "\(endpoint.description) presented no certificate within \(timeout.spoken)"))
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        return try await found.futureResult.get()
    }
}

/// The public-key pins fingerprints resolved to, per transport: each endpoint's certificate is looked at once.
final class FingerprintPins: Sendable {
    private struct Key: Hashable {
        var url: String
        var socket: String?
        var fingerprint: CertificateFingerprint
    }
    private let pins = Locked<[Key: Task<String, any Error>]>([:])

    /// `endpoint` with its fingerprint turned into a public-key pin (the endpoint as is when it has none).
    /// - Throws: what ``CertificateFingerprint/publicKeyPin(of:timeout:)`` throws; a failed look is retried next time.
    func resolve(_ endpoint: Endpoint) async throws -> Endpoint {
        guard let text = endpoint.tls.certificateFingerprint, endpoint.usesTLS, case .url(let url) = endpoint.address else {
            return endpoint
        }
        let fingerprint = try CertificateFingerprint(text)
        let key = Key(url: url, socket: endpoint.connectionSocket, fingerprint: fingerprint)
        let task = pins.withLock { pins in
            if let running = pins[key] { return running }
            let task = Task { try await fingerprint.publicKeyPin(of: endpoint) }
            pins[key] = task
            return task
        }
        let pin: String
        do {
            pin = try await task.value
        } catch {
            pins.withLock { if $0[key] == task { $0[key] = nil } }
            throw error
        }
        var resolved = endpoint
        resolved.tls = endpoint.tls.pinning(publicKey: pin)
        return resolved
    }
}

extension TLSOptions {
    /// These options with the certificate fingerprint replaced by the public-key pin of the certificate it named:
    /// without a CA the chain and host name are not checked (as pvesh and proxmoxer do with a fingerprint).
    func pinning(publicKey pin: String) -> TLSOptions {
        var options = self
        options.certificateFingerprint = nil
        options.pinnedPublicKeys = ["sha256//" + pin]
        if options.trust == .system {
            options.trust = .pinnedKeyOnly
            options.verifyHostname = false
        }
        return options
    }
}
