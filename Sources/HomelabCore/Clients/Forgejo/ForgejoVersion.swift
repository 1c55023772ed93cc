import Foundation

/// A Forgejo (or Gitea) version as `GET /version` reports it, read without insisting on strict semver.
///
/// Real answers include `11.0.1+gitea-1.22.0` (Forgejo appends the Gitea version it is compatible with),
/// `12.0.0-dev+abc1234` and `12.0.0-dev-123-abc1234+gitea-1.22.0` (development builds), `v1.21.4` and bare commit
/// hashes (`b5757a6`). The Gitea Go SDK refuses such strings and broke Woodpecker's login against Forgejo dev
/// builds; this type never refuses: a string without numbers keeps its text in ``raw`` with `major == nil`.
public struct ForgejoVersion: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The string as the server sent it.
    public var raw: String
    /// The release numbers; `nil` when the string names no release (a commit hash).
    public var major: Int?
    /// Minor release (0 when absent).
    public var minor: Int
    /// Patch release (0 when absent).
    public var patch: Int
    /// Pre-release identifiers after `-` (`["dev", "123", "abc1234"]`); empty for a release.
    public var prerelease: [String]
    /// Build metadata after `+` (`["gitea-1", "22", "0"]` is not split: `["gitea-1.22.0"]`).
    public var build: [String]

    /// Reads `text`; never fails.
    public init(_ text: String) {
        raw = text
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if rest.first == "v" || rest.first == "V" { rest = rest.dropFirst() }
        var buildPart: Substring = ""
        if let plus = rest.firstIndex(of: "+") {
            buildPart = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        var prePart: Substring = ""
        if let dash = rest.firstIndex(of: "-") {
            prePart = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
        let parsed = numbers.map { Int($0) }
        if let first = parsed.first ?? nil, numbers.count <= 4, parsed.allSatisfy({ $0 != nil }) {
            major = first
            minor = parsed.count > 1 ? parsed[1] ?? 0 : 0
            patch = parsed.count > 2 ? parsed[2] ?? 0 : 0
            prerelease = prePart.isEmpty ? [] : prePart.split(separator: "-").map(String.init)
            build = buildPart.isEmpty ? [] : buildPart.split(separator: "+").map(String.init)
        } else {
            major = nil
            minor = 0
            patch = 0
            prerelease = []
            build = []
        }
    }

    /// Whether the string named a release number.
    public var isKnown: Bool { major != nil }

    /// Whether this is a development or pre-release build (`-dev`, `-rc1`).
    public var isPrerelease: Bool { !prerelease.isEmpty }

    /// The Gitea version Forgejo says it is compatible with (`1.22.0` from `+gitea-1.22.0`), if given.
    public var giteaCompatibility: String? {
        build.lazy.compactMap { $0.hasPrefix("gitea-") ? String($0.dropFirst("gitea-".count)) : nil }.first
    }

    /// `major.minor.patch` (`?` when unknown).
    public var release: String { major.map { "\($0).\(minor).\(patch)" } ?? "?" }

    public var description: String { raw }

    /// Orders by release numbers, a pre-release before its release; unknown versions sort first. Build metadata
    /// does not order (as semver says).
    public static func < (lhs: ForgejoVersion, rhs: ForgejoVersion) -> Bool {
        switch (lhs.major, rhs.major) {
        case (nil, nil): return lhs.raw < rhs.raw
        case (nil, _): return true
        case (_, nil): return false
        case (let left?, let right?):
            if left != right { return left < right }
        }
        if lhs.minor != rhs.minor { return lhs.minor < rhs.minor }
        if lhs.patch != rhs.patch { return lhs.patch < rhs.patch }
        if lhs.prerelease.isEmpty != rhs.prerelease.isEmpty { return !lhs.prerelease.isEmpty }
        return lhs.prerelease.joined(separator: ".") < rhs.prerelease.joined(separator: ".")
    }

    /// Whether it is at least `major.minor` (false for an unknown version).
    public func isAtLeast(_ major: Int, _ minor: Int = 0) -> Bool {
        guard let own = self.major else { return false }
        return own != major ? own > major : self.minor >= minor
    }

    /// Decodes the version string.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the version string as received.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(raw)
    }
}
