import Crypto
import Foundation
import HomelabCore
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// The TLS material of one simulation run, made in process when a component listens over TLS: a CA and a
/// server certificate for 127.0.0.1 and localhost (P-256, valid from an hour ago for thirty days), written as
/// PEM files into the simulation's private directory. Clients trust the run by its CA file.
struct SimulationCertificates: Sendable {
    /// The CA certificate (PEM), for clients' `tls: ca_file:`.
    let caFile: String
    /// The server certificate followed by the CA (PEM).
    let certificateFile: String
    /// The server's private key (PKCS#8 PEM), readable by its owner only.
    let keyFile: String
    /// The listeners' TLS configuration.
    let serverConfiguration: TLSConfiguration

    /// Makes a CA and a server certificate and writes them into `directory`.
    /// - Throws: ``HomelabError/Code/internalFailure`` when a certificate cannot be made or the files written.
    static func make(in directory: String) throws -> SimulationCertificates {
        let caFile = (directory as NSString).appendingPathComponent("ca.pem")
        let certificateFile = (directory as NSString).appendingPathComponent("server.pem")
        let keyFile = (directory as NSString).appendingPathComponent("server-key.pem")
        do {
            let caKey = P256.Signing.PrivateKey()
            let serverKey = P256.Signing.PrivateKey()
            let ca = try authority(key: caKey)
            let server = try serverCertificate(key: serverKey, issuer: ca, issuerKey: caKey)
            let caPEM = try ca.serializeAsPEM().pemString
            let chainPEM = try server.serializeAsPEM().pemString + "\n" + caPEM
            try write(caPEM, to: caFile, permissions: 0o644)
            try write(chainPEM, to: certificateFile, permissions: 0o644)
            try write(serverKey.pemRepresentation, to: keyFile, permissions: 0o600)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(chainPEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKey.pemRepresentation.utf8), format: .pem)))
            // An idle keep-alive client (curl) never answers close_notify: don't hold shutdown for NIOSSL's 5 s.
            configuration.shutdownTimeout = .milliseconds(100)
            return SimulationCertificates(
                caFile: caFile, certificateFile: certificateFile, keyFile: keyFile, serverConfiguration: configuration)
        } catch let error as HomelabError {
            throw error
        } catch {
            throw HomelabError(.internalFailure, "cannot make the simulation's TLS certificates: \(error)", component: "simulator")
        }
    }

    /// A self-signed CA that may sign server certificates only (path length 0).
    private static func authority(key: P256.Signing.PrivateKey) throws -> Certificate {
        let name = try DistinguishedName {
            OrganizationName("Homelab Simulator")
            CommonName("homelab-sim CA \(UUID().uuidString.prefix(8))")
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let now = Date()
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3_600), notValidAfter: now.addingTimeInterval(30 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
    }

    /// A server certificate for `127.0.0.1`, `::1` and `localhost`, signed by `issuer`.
    private static func serverCertificate(
        key: P256.Signing.PrivateKey, issuer: Certificate, issuerKey: P256.Signing.PrivateKey
    ) throws -> Certificate {
        let name = try DistinguishedName {
            OrganizationName("Homelab Simulator")
            CommonName("localhost")
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let issuerIdentifier = SubjectKeyIdentifier(hash: issuer.publicKey).keyIdentifier
        let now = Date()
        return try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3_600), notValidAfter: now.addingTimeInterval(30 * 86_400),
            issuer: issuer.subject, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: issuerIdentifier)
                SubjectAlternativeNames([
                    .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                    .ipAddress(ASN1OctetString(contentBytes: ArraySlice([UInt8](repeating: 0, count: 15) + [1]))),
                ])
            },
            issuerPrivateKey: Certificate.PrivateKey(issuerKey))
    }

    private static func write(_ text: String, to path: String, permissions: Int) throws {
        try SimulatorFiles.write(text, to: path, permissions: permissions)
    }
}
