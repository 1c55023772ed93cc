/// A TrueNAS JSON-RPC API version (`v25.10.2`), or REST v2.0 for servers without one (24.04, 24.10).
///
/// Chosen from `GET /api/versions`: the highest version this SDK knows that the server lists. Method names and
/// login mechanisms follow it: `zfs.snapshot.*` up to 25.04 and `pool.snapshot.*` from 25.10; SCRAM from 26.
public struct TrueNASAPIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Major, minor and patch (`[25, 10, 2]`); `[2, 0]` for REST v2.0.
    public var parts: [Int]
    /// Whether this is the REST API v2.0 (no JSON-RPC).
    public var isREST: Bool
    /// The route's name as the server spells it (`v25.04.2`: the zero matters in the path).
    public var name: String

    /// The versions this SDK has models for, oldest first.
    public static let known: [TrueNASAPIVersion] = ["v25.04.2", "v25.10.2", "v26.0.0"].compactMap(TrueNASAPIVersion.init)
    /// REST v2.0 (`/api/v2.0`).
    public static let rest = TrueNASAPIVersion(parts: [2, 0], isREST: true)

    init(parts: [Int], isREST: Bool, name: String? = nil) {
        self.parts = parts
        self.isREST = isREST
        self.name = name ?? (isREST ? "v2.0" : "v" + parts.map(String.init).joined(separator: "."))
    }

    /// Parses `v25.10.2` (the leading `v` optional); nil for anything else.
    public init?(_ text: String) {
        let bare = text.hasPrefix("v") ? text.dropFirst() : Substring(text)
        let numbers = bare.split(separator: ".").map { Int($0) }
        guard numbers.count >= 2, numbers.allSatisfy({ $0 != nil }) else { return nil }
        self.init(parts: numbers.compactMap { $0 }, isREST: false, name: "v" + bare)
    }

    /// `v25.10.2`, or `REST v2.0`.
    public var description: String {
        isREST ? "REST v2.0" : name
    }

    /// Equal when the numbers are (`v25.04.2` is `v25.4.2`).
    public static func == (lhs: TrueNASAPIVersion, rhs: TrueNASAPIVersion) -> Bool {
        lhs.parts == rhs.parts && lhs.isREST == rhs.isREST
    }

    /// Hashes the numbers.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts)
        hasher.combine(isREST)
    }

    /// Orders by number.
    public static func < (lhs: TrueNASAPIVersion, rhs: TrueNASAPIVersion) -> Bool {
        if lhs.isREST != rhs.isREST { return lhs.isREST }
        return lhs.parts.lexicographicallyPrecedes(rhs.parts)
    }

    /// Whether the server offers SCRAM logins (26 and later).
    public var hasSCRAM: Bool { !isREST && parts[0] >= 26 }
    /// The snapshot namespace: `pool.snapshot` from 25.10, `zfs.snapshot` before.
    public var snapshotNamespace: String { !isREST && self >= TrueNASAPIVersion(parts: [25, 10], isREST: false) ? "pool.snapshot" : "zfs.snapshot" }

    /// The version to use given what the server lists: the highest listed one this SDK knows, else nil.
    public static func choose(from listed: [String]) -> TrueNASAPIVersion? {
        let offered = listed.compactMap(TrueNASAPIVersion.init)
        return offered.filter { known.contains($0) }.max()
    }
}
