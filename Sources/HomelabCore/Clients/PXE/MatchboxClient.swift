import Foundation
import Logging

/// matchbox's read-only HTTP API (no authentication, no TLS: it serves boot firmware): the iPXE script, Ignition,
/// cloud-config, generic templates and metadata a machine gets for its labels.
///
/// matchbox answers a plain `404 page not found` when no group or profile matches or a template fails to render;
/// this client turns that into ``HomelabError/Code/notFound`` naming the labels asked with. What the data directory
/// holds (profiles, groups) is read with ``MatchboxDataDirectory``: the HTTP API has no listing.
public struct MatchboxClient: Sendable {
    /// The request core.
    public let rest: RESTClient

    /// A client over `http` (the component `matchbox`).
    public init(http: HTTPClient) {
        rest = RESTClient(http: http)
    }

    /// The labels a machine asks with.
    public struct Labels: Sendable, Hashable {
        /// `mac`, `uuid`, `hostname`, `os`, ..., in the order sent.
        public var query: [(String, String)]

        /// Labels from the usual selectors and any others (`extra`, sorted by name).
        public init(mac: String? = nil, uuid: String? = nil, hostname: String? = nil, os: String? = nil, extra: [String: String] = [:]) {
            var query: [(String, String)] = []
            if let uuid { query.append(("uuid", uuid)) }
            if let mac { query.append(("mac", mac)) }
            if let hostname { query.append(("hostname", hostname)) }
            if let os { query.append(("os", os)) }
            query += extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            self.query = query
        }

        public static func == (lhs: Labels, rhs: Labels) -> Bool {
            lhs.query.map { [$0.0, $0.1] } == rhs.query.map { [$0.0, $0.1] }
        }

        public func hash(into hasher: inout Hasher) {
            for (key, value) in query {
                hasher.combine(key)
                hasher.combine(value)
            }
        }

        /// `mac=52:54:00:..&os=installed`, for messages.
        public var description: String { query.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }
    }

    /// `GET /`: `true` when the server answers `matchbox`.
    /// - Throws: transport errors; the mapped error for a non-2xx answer.
    public func ping(logger: Logger? = nil) async throws -> Bool {
        let response = try await rest.call(.get, "/", versioned: false, logger: logger)
        return String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "matchbox"
    }

    /// `GET /boot.ipxe`: the static script that chains to `/ipxe` with the machine's labels.
    /// - Throws: transport and HTTP errors.
    public func bootScript(logger: Logger? = nil) async throws -> String {
        try await text("/boot.ipxe", Labels(), what: "the boot script", logger: logger)
    }

    /// `GET /ipxe`: the iPXE script for the profile of the machine's group.
    /// - Throws: ``HomelabError/Code/notFound`` when no group or profile matches; ``HomelabError/Code/decodingFailed``
    ///   when the answer is not an iPXE script; transport errors.
    public func ipxe(_ labels: Labels, logger: Logger? = nil) async throws -> Matchbox.IPXEScript {
        let text = try await text("/ipxe", labels, what: "an iPXE script", logger: logger)
        guard let script = Matchbox.IPXEScript(text) else {
            throw HomelabError(.decodingFailed, "matchbox's /ipxe answer for \(labels.description) is not an iPXE script", component: "matchbox")
        }
        return script
    }

    /// `GET /ignition`: the Ignition config (JSON text) of the machine's group.
    /// - Throws: ``HomelabError/Code/notFound`` when nothing matches or the template fails; transport errors.
    public func ignition(_ labels: Labels, logger: Logger? = nil) async throws -> String {
        try await text("/ignition", labels, what: "an Ignition config", logger: logger)
    }

    /// `GET /cloud`: the (deprecated) cloud-config of the machine's group.
    /// - Throws: as ``ignition(_:logger:)``.
    public func cloudConfig(_ labels: Labels, logger: Logger? = nil) async throws -> String {
        try await text("/cloud", labels, what: "a cloud-config", logger: logger)
    }

    /// `GET /generic`: the rendered generic template of the machine's group (a preseed, a Talos config, ...).
    /// - Throws: as ``ignition(_:logger:)``.
    public func generic(_ labels: Labels, logger: Logger? = nil) async throws -> String {
        try await text("/generic", labels, what: "a generic template", logger: logger)
    }

    /// `GET /metadata`: the group's metadata, selectors and request labels as `KEY=value` lines.
    /// - Throws: as ``ignition(_:logger:)``.
    public func metadata(_ labels: Labels, logger: Logger? = nil) async throws -> [String: String] {
        let text = try await text("/metadata", labels, what: "metadata", logger: logger)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }

    private func text(_ path: String, _ labels: Labels, what: String, logger: Logger?) async throws -> String {
        do {
            let response = try await rest.call(.get, path, query: labels.query, versioned: false, logger: logger)
            return String(decoding: response.body, as: UTF8.self)
        } catch var error as HomelabError where error.code == .notFound {
            let asked = labels.query.isEmpty ? "a request without labels" : labels.description
            error.message = "matchbox answered 404 to \(path) (\(what)) for \(asked): no group matches, its profile is missing, or a template failed to render"
            throw error
        }
    }
}

extension Matchbox {
    /// An iPXE script as matchbox's `/ipxe` answers it: `kernel URL ARGS...`, `initrd URL` lines, `boot`.
    public struct IPXEScript: Sendable, Hashable {
        /// The whole text.
        public var text: String
        /// The kernel (first word after `kernel`).
        public var kernel: String?
        /// The kernel arguments.
        public var args: [String]
        /// The initrds, in order.
        public var initrd: [String]
        /// `chain` targets (the bootstrap script's `ipxe?...`).
        public var chains: [String]

        /// Parses a script; `nil` unless it starts with `#!ipxe`.
        public init?(_ text: String) {
            guard text.hasPrefix("#!ipxe") else { return nil }
            self.text = text
            kernel = nil
            args = []
            initrd = []
            chains = []
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let command = words.first else { continue }
                switch command {
                case "kernel":
                    kernel = words.dropFirst().first
                    args = Array(words.dropFirst(2))
                case "initrd": initrd += words.dropFirst()
                case "chain": chains += words.dropFirst()
                default: break
                }
            }
        }
    }
}
