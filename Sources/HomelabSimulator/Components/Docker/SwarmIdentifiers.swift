/// Deterministic identifiers in Docker's shapes: 25-character swarm object IDs (`9mnpnzenvg8p8tdbtq4wvbkcz`),
/// 64-hex container IDs and image digests. Seeded, so the same inventory always gives the same world.
struct SwarmIdentifiers: Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// The next 64 pseudo-random bits (SplitMix64).
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random number in `0..<bound`.
    mutating func next(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return Int(next() % UInt64(bound))
    }

    /// A swarm object ID: 25 characters of `[0-9a-z]`, as swarmkit's `identity.NewID()` makes.
    mutating func objectID() -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        var bits = next()
        for index in 0..<25 {
            if index % 12 == 11 { bits = next() }
            bytes.append(alphabet[Int(bits % 36)])
            bits /= 36
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// 64 lowercase hex digits (a container ID, a sha256 digest).
    mutating func hex64() -> String {
        (0..<4).map { _ in Self.hex16(next()) }.joined()
    }

    /// A join token in swarmkit's `SWMTKN-1-<50 chars>-<25 chars>` shape.
    mutating func joinToken() -> String {
        "SWMTKN-1-" + objectID() + objectID() + "-" + objectID()
    }

    /// A stable sha256-shaped digest for `text` (not a real SHA-256: the simulator only needs the shape and stability).
    static func digest(of text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        var generator = SwarmIdentifiers(seed: hash)
        return "sha256:" + generator.hex64()
    }

    private static func hex16(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
