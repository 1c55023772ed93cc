import Foundation

/// Caddy's admin API (`/config/`, `/id/`, `/load`, `/adapt`, `/reverse_proxy/upstreams`) and the routes that
/// caddy-docker-proxy builds from Swarm service labels: the models live in this namespace.
///
/// Caddy's configuration is open-ended (every module has its own fields), so the typed models cover the parts
/// the SDK reads and writes (HTTP servers, routes, host and path matchers, `reverse_proxy`, `subroute`,
/// `static_response`, and the shape `forward_auth` adapts to) and keep every other field verbatim in `other`,
/// so a read-modify-write never loses what the SDK does not know.
public enum Caddy {
    /// The admin API's default address (`localhost:2019`, loopback only).
    public static let defaultAdminURL = "http://localhost:2019"

    /// A path into the configuration tree, as the admin API spells it below `/config/`: `apps/http/servers/srv0`.
    /// Segments are object keys or array indexes.
    public struct ConfigPath: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The segments, outermost first.
        public var segments: [String]

        /// A path from segments.
        public init(_ segments: [String]) { self.segments = segments }

        /// A path from `a/b/c` (leading and trailing slashes ignored).
        public init(_ text: String) { segments = text.split(separator: "/").map(String.init) }

        public init(stringLiteral value: String) { self.init(value) }

        /// The root of the configuration.
        public static let root = ConfigPath([String]())

        /// This path with more segments.
        public func appending(_ more: String...) -> ConfigPath { ConfigPath(segments + more) }

        /// `apps/http/servers/srv0`.
        public var description: String { segments.joined(separator: "/") }
    }

    /// Where an operation addresses the configuration: a path from the root (`/config/...`) or an object's
    /// `@id` with an optional path inside it (`/id/<id>/...`).
    public enum Address: Sendable, Hashable, CustomStringConvertible {
        /// `/config/<path>`.
        case path(ConfigPath)
        /// `/id/<id>/<path>`.
        case id(String, ConfigPath = .root)

        /// The admin API path, percent-encoding each segment.
        /// - Throws: ``HomelabError/Code/invalidArgument`` for an empty `@id` or one containing a slash.
        func apiPath() throws -> String {
            func encoded(_ path: ConfigPath) -> String {
                path.segments.map(\.percentEncodedPathSegment).joined(separator: "/")
            }
            switch self {
            case .path(let path):
                return "/config/" + encoded(path)
            case .id(let id, let path):
                guard !id.isEmpty, !id.contains("/") else {
                    throw HomelabError(.invalidArgument, "'\(id)' is not a usable @id (empty or with a slash)", component: "caddy")
                }
                let tail = path.segments.isEmpty ? "" : "/" + encoded(path)
                return "/id/" + id.percentEncodedPathSegment + tail
            }
        }

        public var description: String {
            switch self {
            case .path(let path): return "/config/\(path)"
            case .id(let id, let path): return path.segments.isEmpty ? "/id/\(id)" : "/id/\(id)/\(path)"
            }
        }
    }
}

extension String {
    /// Percent-encodes everything outside RFC 3986's unreserved set and `@:+`, for one path segment.
    var percentEncodedPathSegment: String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.isASCII, let ascii = Character(scalar).asciiValue,
                (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A)
                    || "-._~@:+".utf8.contains(ascii)
            {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 {
                    let hex = String(byte, radix: 16, uppercase: true)
                    out += "%" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
        }
        return out
    }
}

extension Caddy {
    /// `value` as compact JSON with sorted keys (`[]` if it cannot be encoded, never the case for these models).
    static func jsonBytes(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? [UInt8](encoder.encode(value))) ?? []
    }
}
