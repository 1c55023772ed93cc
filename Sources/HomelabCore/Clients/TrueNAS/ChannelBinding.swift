import Crypto
import SwiftASN1
import X509

/// RFC 5929 `tls-server-end-point` channel binding: the server's certificate hashed with the hash of its own
/// signature algorithm, MD5 and SHA-1 promoted to SHA-256 (what TrueNAS's SCRAM library computes).
public enum TLSServerEndPoint {
    /// The binding data for a DER certificate.
    /// - Throws: ``HomelabError/Code/tlsFailure`` for a certificate that cannot be read or an algorithm without one
    ///   hash (Ed25519).
    public static func bindingData(certificateDER der: [UInt8]) throws -> [UInt8] {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw HomelabError(.tlsFailure, "the server's certificate could not be read for channel binding", component: "truenas")
        }
        switch certificate.signatureAlgorithm {
        case .ecdsaWithSHA384, .sha384WithRSAEncryption: return Array(SHA384.hash(data: der))
        case .ecdsaWithSHA512, .sha512WithRSAEncryption: return Array(SHA512.hash(data: der))
        case .ecdsaWithSHA256, .sha256WithRSAEncryption, .sha1WithRSAEncryption: return Array(SHA256.hash(data: der))
        default:
            throw HomelabError(
                .tlsFailure, "tls-server-end-point is undefined for the certificate's signature algorithm \(certificate.signatureAlgorithm)",
                component: "truenas")
        }
    }
}
