import Foundation
import NIOCore
import NIOSSL

/// ``TLSOptions`` turned into what NIOSSL needs: a context (client certificate, TLS versions) and a TLS handler whose
/// verification callback runs ``ServerCertificateCheck`` during the handshake, so a refused certificate or pin ends the
/// connection before the HTTP upgrade request (or anything else) is written.
struct WebSocketTLS: Sendable {
    let context: NIOSSLContext
    let check: ServerCertificateCheck
    /// The name sent as SNI (nil for IP literals, which SNI cannot carry).
    let serverName: String?
    /// Why the last handshake's certificate was refused, for the error the caller sees.
    let refusal: Refusal

    /// Where the verification callback leaves its reason (the callback runs on the event loop).
    final class Refusal: Sendable {
        private let reason = Locked<String?>(nil)
        func record(_ text: String) { reason.withLock { $0 = text } }
        var text: String? { reason.withLock { $0 } }
    }

    /// Builds the TLS setup for `options` when connecting to `host`. Does blocking file I/O (CA and key files).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for invalid options or unreadable certificate/key files.
    init(options: TLSOptions, host: String) throws {
        check = try ServerCertificateCheck(options: options, host: host)
        var configuration = TLSConfiguration.makeClientConfiguration()
        // The verification callback replaces BoringSSL's chain check and does the host name check itself (NIOSSL's own,
        // after the handshake, is off); without trust roots BoringSSL reads no CA bundle.
        configuration.trustRoots = .certificates([])
        configuration.certificateVerification = check.checksAnything ? .noHostnameVerification : .none
        if let client = options.clientCertificate {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(client.certificateFile).map { .certificate($0) }
            } catch {
                throw HomelabError(
                    .invalidConfiguration, "the client certificate '\(client.certificateFile)' could not be read", underlying: error)
            }
            do {
                let key: NIOSSLPrivateKey
                if let passphrase = client.keyPassphrase {
                    let bytes = Array(passphrase.reveal().utf8)
                    key = try NIOSSLPrivateKey(file: client.keyFile, format: .pem) { setter in setter(bytes) }
                } else {
                    key = try NIOSSLPrivateKey(file: client.keyFile, format: .pem)
                }
                configuration.privateKey = .privateKey(key)
            } catch {
                // NIOSSL's error says nothing secret, but the passphrase is never part of it either way.
                throw HomelabError(.invalidConfiguration, "the client key '\(client.keyFile)' could not be read or decrypted")
            }
        }
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw HomelabError(.invalidConfiguration, "the TLS settings could not be applied", underlying: error)
        }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        serverName = Self.isIPLiteral(bare) ? nil : bare
        refusal = Refusal()
    }

    /// A new handler for one connection.
    func makeHandler() throws -> NIOSSLClientHandler {
        guard check.checksAnything else {
            return try NIOSSLClientHandler(context: context, serverHostname: serverName)
        }
        let check = self.check
        let refusal = self.refusal
        return try NIOSSLClientHandler(context: context, serverHostname: serverName, customVerificationCallback: { certificates, promise in
            // Certificates are only read (DER bytes), never used to call back into BoringSSL. The check runs on the
            // handshake's event loop, so a busy global pool cannot hold the handshake up until the connect timeout.
            Task(executorPreference: EventLoopTaskExecutor(promise.futureResult.eventLoop)) {
                if let reason = await check.refusal(of: certificates) {
                    refusal.record(reason)
                    promise.succeed(.failed)
                } else {
                    promise.succeed(.certificateVerified)
                }
            }
        })
    }

    private static func isIPLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
