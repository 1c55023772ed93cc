import Foundation

/// matchbox's models (`Matchbox.Profile`, `Matchbox.Group`), named as its data directory and `storage.proto` name
/// them, and the pieces shared by the client, the data directory and the simulator: MAC normalisation, group
/// selection (``Matchbox/Selection``) and the template subset (``Matchbox/Template``).
///
/// Files are decoded leniently: keys this SDK does not know are kept (``Profile/extra``, ``Group/extra``) and written
/// back unchanged.
public enum Matchbox {
    /// The selector names matchbox itself treats specially (the bootstrap script sends `domain` and `arch` too).
    public static let reservedSelectors = ["uuid", "mac", "hostname", "serial"]

    /// The labels a machine asks with (`mac`, `uuid`, `hostname`, `os`, ...), as matchbox reads them from a query:
    /// keys as written, `mac` normalised to lower-case colon form (an unparseable MAC is dropped, as matchbox does).
    public static func labels(_ query: [(String, String)]) -> [String: String] {
        var labels: [String: String] = [:]
        for (key, value) in query where labels[key] == nil {
            if key.lowercased() == "mac" {
                if let mac = MAC(value) { labels[key] = mac.description }
            } else {
                labels[key] = value
            }
        }
        return labels
    }
}

extension Matchbox {
    /// A network boot: kernel, initrds and kernel arguments (`NetBoot` in `storage.proto`).
    public struct NetBoot: Sendable, Hashable, Codable {
        /// The kernel URL or `/assets/...` path.
        public var kernel: String
        /// Initrd URLs or paths, in order.
        public var initrd: [String]
        /// Kernel arguments, in order (iPXE variables such as `${mac:hexhyp}` are left to iPXE).
        public var args: [String]

        /// A boot entry.
        public init(kernel: String, initrd: [String] = [], args: [String] = []) {
            self.kernel = kernel
            self.initrd = initrd
            self.args = args
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            kernel = try container.decodeIfPresent(String.self, forKey: .kernel) ?? ""
            initrd = try container.decodeIfPresent([String].self, forKey: .initrd) ?? []
            args = try container.decodeIfPresent([String].self, forKey: .args) ?? []
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(kernel, forKey: .kernel)
            if !initrd.isEmpty { try container.encode(initrd, forKey: .initrd) }
            if !args.isEmpty { try container.encode(args, forKey: .args) }
        }

        private enum Key: String, CodingKey { case kernel, initrd, args }
    }

    /// A profile (`profiles/<id>.json`): what a machine boots and which templates configure it.
    public struct Profile: Sendable, Hashable, Codable {
        /// The profile ID (the file name without `.json` is the lookup key).
        public var id: String
        /// A name for people.
        public var name: String?
        /// The Ignition template (`ignition/<id>`): `.ign`/`.ignition` served as is, else a Butane template.
        public var ignitionID: String?
        /// The deprecated cloud-config template (`cloud/<id>`).
        public var cloudID: String?
        /// A generic template (`generic/<id>`): preseed, Talos machine config, anything text.
        public var genericID: String?
        /// The network boot.
        public var boot: NetBoot?
        /// Keys this SDK does not know, kept for writing back.
        public var extra: [String: JSONValue]

        /// A profile value.
        public init(
            id: String, name: String? = nil, boot: NetBoot? = nil, ignitionID: String? = nil, cloudID: String? = nil,
            genericID: String? = nil
        ) {
            self.id = id
            self.name = name
            self.boot = boot
            self.ignitionID = ignitionID
            self.cloudID = cloudID
            self.genericID = genericID
            self.extra = [:]
        }

        private static let known = ["id", "name", "ignition_id", "cloud_id", "generic_id", "boot"]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            id = try container.decodeIfPresent(String.self, forKey: AnyKey("id")) ?? ""
            name = try container.decodeIfPresent(String.self, forKey: AnyKey("name"))
            ignitionID = try container.decodeIfPresent(String.self, forKey: AnyKey("ignition_id"))
            cloudID = try container.decodeIfPresent(String.self, forKey: AnyKey("cloud_id"))
            genericID = try container.decodeIfPresent(String.self, forKey: AnyKey("generic_id"))
            boot = try container.decodeIfPresent(NetBoot.self, forKey: AnyKey("boot"))
            extra = try AnyKey.extra(container, known: Self.known)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in extra { try container.encode(value, forKey: AnyKey(key)) }
            try container.encode(id, forKey: AnyKey("id"))
            try container.encodeIfPresent(name, forKey: AnyKey("name"))
            try container.encodeIfPresent(ignitionID, forKey: AnyKey("ignition_id"))
            try container.encodeIfPresent(cloudID, forKey: AnyKey("cloud_id"))
            try container.encodeIfPresent(genericID, forKey: AnyKey("generic_id"))
            try container.encodeIfPresent(boot, forKey: AnyKey("boot"))
        }

        /// The templates the profile names, as `(directory, id)`: `("generic", "debian-preseed.cfg")`.
        public var templates: [(directory: String, id: String)] {
            [("ignition", ignitionID), ("cloud", cloudID), ("generic", genericID)].compactMap { directory, id in
                guard let id, !id.isEmpty else { return nil }
                return (directory, id)
            }
        }
    }

    /// A group (`groups/<id>.json`): machines matching every selector get the profile, with the metadata.
    public struct Group: Sendable, Hashable, Codable {
        /// The group ID.
        public var id: String
        /// A name for people.
        public var name: String?
        /// The profile ID it boots.
        public var profile: String
        /// Labels that must all be equal to the request's (`mac` normalised); none is the default group.
        public var selector: [String: String]
        /// Template variables (any JSON object).
        public var metadata: [String: JSONValue]
        /// Keys this SDK does not know, kept for writing back.
        public var extra: [String: JSONValue]

        /// A group value; a `mac` selector is normalised when it parses.
        public init(
            id: String, name: String? = nil, profile: String, selector: [String: String] = [:],
            metadata: [String: JSONValue] = [:]
        ) {
            self.id = id
            self.name = name
            self.profile = profile
            self.selector = selector
            self.metadata = metadata
            self.extra = [:]
            normalize()
        }

        private static let known = ["id", "name", "profile", "selector", "metadata"]

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            id = try container.decodeIfPresent(String.self, forKey: AnyKey("id")) ?? ""
            name = try container.decodeIfPresent(String.self, forKey: AnyKey("name"))
            profile = try container.decodeIfPresent(String.self, forKey: AnyKey("profile")) ?? ""
            selector = try container.decodeIfPresent([String: String].self, forKey: AnyKey("selector")) ?? [:]
            metadata = try container.decodeIfPresent([String: JSONValue].self, forKey: AnyKey("metadata")) ?? [:]
            extra = try AnyKey.extra(container, known: Self.known)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in extra { try container.encode(value, forKey: AnyKey(key)) }
            try container.encode(id, forKey: AnyKey("id"))
            try container.encodeIfPresent(name, forKey: AnyKey("name"))
            try container.encode(profile, forKey: AnyKey("profile"))
            if !selector.isEmpty { try container.encode(selector, forKey: AnyKey("selector")) }
            if !metadata.isEmpty { try container.encode(metadata, forKey: AnyKey("metadata")) }
        }

        /// Normalises a `mac` selector (any case of the key) as matchbox does when it loads a group; an unparseable
        /// MAC is left as written (validation reports it: matchbox refuses the group).
        public mutating func normalize() {
            for (key, value) in selector where key.lowercased() == "mac" {
                if let mac = MAC(value) { selector[key] = mac.description }
            }
        }

        /// Whether every selector equals the label of the same name (the default group matches everything).
        public func matches(_ labels: [String: String]) -> Bool {
            selector.allSatisfy { labels[$0.key] == $0.value }
        }

        /// The selectors as matchbox orders ties: sorted `k=v` joined by commas.
        public var selectorString: String {
            selector.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ",")
        }
    }
}

/// A coding key for any string, so models can keep the keys they do not know.
struct AnyKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    /// Every key of `container` outside `known`, decoded as JSON values.
    static func extra(_ container: KeyedDecodingContainer<AnyKey>, known: [String]) throws -> [String: JSONValue] {
        var extra: [String: JSONValue] = [:]
        for key in container.allKeys where !known.contains(key.stringValue) {
            extra[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        return extra
    }
}
