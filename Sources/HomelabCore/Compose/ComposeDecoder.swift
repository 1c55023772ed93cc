import Yams

/// A service as read, with the located names it refers to, for the cross-reference checks.
struct DraftComposeService {
    var service: ComposeService
    var keyMark: Mark?
    var path: String
    var dependsOn: [(name: Located<String>, condition: ServiceDependency.Condition)] = []
    var labelDependencies: [Located<String>] = []
}

/// Reads a prepared compose tree into a ``ComposeFile``, reporting every problem to the reader with its location.
/// Lives for one load.
final class ComposeDecoder {
    let reader: InventoryReader
    let environment: [String: String]
    let workingDirectory: String?
    var warnings: [InventoryIssue] = []

    /// Top-level names, known before services are read (for "undefined network" and the like).
    var networkNames: Set<String> = []
    var volumeNames: Set<String> = []
    var secretNames: Set<String> = []
    var configNames: Set<String> = []

    init(reader: InventoryReader, environment: [String: String], workingDirectory: String?) {
        self.reader = reader
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    func document(_ root: YAMLValue) -> (ComposeFile, [DraftComposeService]) {
        var file = ComposeFile(file: reader.file)
        let keys = ["version", "name", "services", "networks", "volumes", "secrets", "configs"]
        guard let fields = fields(root, allowed: keys, required: ["services"]) else { return (file, []) }
        file.networks = namedEntries(fields["networks"], read: network)
        file.volumes = namedEntries(fields["volumes"], read: volume)
        file.secrets = namedEntries(fields["secrets"], read: { self.fileObject($0, secret: true) })
        file.configs = namedEntries(fields["configs"], read: { self.fileObject($0, secret: false) })
        networkNames = Set(file.networks.keys).union(["default"])
        volumeNames = Set(file.volumes.keys)
        secretNames = Set(file.secrets.keys)
        configNames = Set(file.configs.keys)
        var drafts: [DraftComposeService] = []
        if let services = fields["services"] {
            if case .mapping(let mapping) = services.node {
                for (key, value) in mapping {
                    guard let name = serviceName(key, path: services.path) else { continue }
                    let item = YAMLValue(node: value, path: joinKeyPath(services.path, name))
                    if let draft = service(item, name: name, keyMark: key.mark) { drafts.append(draft) }
                }
                if mapping.count == 0 {
                    reader.report("a compose file needs at least one service", at: services.mark, path: services.path)
                }
            } else {
                reader.report("expected a mapping of services, got \(reader.describe(services.node))", at: services.mark, path: services.path)
            }
        }
        file.services = drafts.map(\.service)
        return (file, drafts)
    }

    // MARK: Top-level objects

    private func namedEntries<Entry>(_ value: YAMLValue?, read: (YAMLValue) -> Entry?) -> [String: Entry] {
        guard let value else { return [:] }
        if value.node.isNullValue { return [:] }
        guard case .mapping(let mapping) = value.node else {
            reader.report("expected a mapping, got \(reader.describe(value.node))", at: value.mark, path: value.path)
            return [:]
        }
        var entries: [String: Entry] = [:]
        for (key, node) in mapping {
            guard let name = key.scalar?.string, !name.isEmpty, !key.isNullValue else {
                reader.report("names must be non-empty strings", at: key.mark, path: value.path)
                continue
            }
            if name.hasPrefix("x-") { continue }
            if let entry = read(YAMLValue(node: node, path: joinKeyPath(value.path, name))) { entries[name] = entry }
        }
        return entries
    }

    private func network(_ value: YAMLValue) -> ComposeNetwork? {
        let keys = ["name", "external", "driver", "driver_opts", "attachable", "internal", "labels", "ipam", "enable_ipv6"]
        if value.node.isNullValue { return ComposeNetwork() }
        guard let fields = fields(value, allowed: keys) else { return nil }
        var network = ComposeNetwork()
        (network.external, network.name) = externalAndName(fields, path: value.path)
        network.driver = reader.string(fields["driver"])?.value
        network.driverOptions = stringMap(fields["driver_opts"])
        network.labels = stringMap(fields["labels"])
        network.attachable = reader.bool(fields["attachable"])?.value
        network.internal = reader.bool(fields["internal"])?.value
        return network
    }

    private func volume(_ value: YAMLValue) -> ComposeVolume? {
        if value.node.isNullValue { return ComposeVolume() }
        guard let fields = fields(value, allowed: ["name", "external", "driver", "driver_opts", "labels"]) else { return nil }
        var volume = ComposeVolume()
        (volume.external, volume.name) = externalAndName(fields, path: value.path)
        volume.driver = reader.string(fields["driver"])?.value
        volume.driverOptions = stringMap(fields["driver_opts"])
        volume.labels = stringMap(fields["labels"])
        return volume
    }

    private func fileObject(_ value: YAMLValue, secret: Bool) -> ComposeFileObject? {
        var keys = ["name", "external", "file", "labels", "template_driver"]
        keys += secret ? ["driver", "driver_opts", "environment"] : ["content", "environment"]
        guard let fields = fields(value, allowed: keys) else { return nil }
        var object = ComposeFileObject()
        (object.external, object.name) = externalAndName(fields, path: value.path)
        object.file = reader.string(fields["file"])?.value
        object.labels = stringMap(fields["labels"])
        return object
    }

    /// Whether the object is external, and its name: `name:`, else the legacy `external: {name: x}`, else (for an
    /// external object) its key.
    private func externalAndName(_ fields: YAMLFields, path: String) -> (Bool, String?) {
        let external = self.external(fields)
        let name = reader.string(fields["name"])?.value ?? external.name
        return (external.external, name ?? (external.external ? lastKey(path) : nil))
    }

    /// `external: true`, or the legacy `external: {name: x}`.
    private func external(_ fields: YAMLFields) -> (external: Bool, name: String?) {
        guard let value = fields["external"] else { return (false, nil) }
        if case .mapping = value.node {
            guard let external = self.fields(value, allowed: ["name"]) else { return (true, nil) }
            return (true, reader.string(external["name"])?.value)
        }
        return (reader.bool(value)?.value ?? false, nil)
    }

    private func lastKey(_ path: String) -> String {
        String(path.split(separator: ".", omittingEmptySubsequences: false).last ?? Substring(path))
    }

    // MARK: Shared readers

    /// The keys of a schema mapping, with `x-` extension keys left out.
    func fields(_ value: YAMLValue, allowed: [String], required: [String] = []) -> YAMLFields? {
        guard case .mapping(let mapping) = value.node,
            mapping.contains(where: { $0.key.scalar?.string.hasPrefix("x-") == true })
        else { return reader.fields(value, allowed: allowed, required: required) }
        let kept = mapping.filter { $0.key.scalar?.string.hasPrefix("x-") != true }.map { ($0.key, $0.value) }
        let filtered = Yams.Node.mapping(Node.Mapping(kept, mapping.tag, mapping.style, mapping.mark))
        return reader.fields(YAMLValue(node: filtered, path: value.path), allowed: allowed, required: required)
    }

    /// Records that a key was read but `docker stack deploy` ignores it.
    func warnIgnored(_ fields: YAMLFields, _ keys: [String], reason: String = "ignored by docker stack deploy") {
        for key in keys where fields.has(key) {
            let mark = fields.keyMark(key)
            warnings.append(
                InventoryIssue(
                    file: reader.file, line: mark?.line ?? 1, column: mark?.column ?? 1,
                    keyPath: joinKeyPath(fields.path, key), message: "'\(key)' is \(reason)"))
        }
    }

    /// Any scalar as written, including the empty string.
    func scalarText(_ value: YAMLValue?) -> Located<String>? {
        guard let value else { return nil }
        guard case .scalar(let scalar) = value.node, !value.node.isNullValue else {
            reader.report("expected a string, got \(reader.describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
        return Located(value: scalar.string, mark: value.mark, path: value.path)
    }

    /// Entries of a mapping (`KEY: value`) or list (`KEY=value`, or `KEY` alone for a `nil` value), in order.
    func keyValues(_ value: YAMLValue?, what: String) -> [(key: String, value: Located<String>?, mark: Mark?)]? {
        guard let value else { return nil }
        switch value.node {
        case .mapping(let mapping):
            var entries: [(key: String, value: Located<String>?, mark: Mark?)] = []
            for (key, node) in mapping {
                guard case .scalar(let name) = key, !name.string.isEmpty else {
                    reader.report("\(what) names must be non-empty strings", at: key.mark, path: value.path)
                    continue
                }
                let item = YAMLValue(node: node, path: joinKeyPath(value.path, name.string))
                if node.isNullValue {
                    entries.append((name.string, nil, key.mark))
                } else if let text = scalarText(item) {
                    entries.append((name.string, text, key.mark))
                }
            }
            return entries
        case .sequence:
            var entries: [(key: String, value: Located<String>?, mark: Mark?)] = []
            for item in reader.list(value) ?? [] {
                guard let text = reader.string(item) else { continue }
                let parts = text.value.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = parts.first, !name.isEmpty else {
                    // The text is not quoted: the part after '=' may be a secret.
                    reader.report("expected NAME=value with a non-empty name", at: item.mark, path: item.path)
                    continue
                }
                let entryValue = parts.count == 2 ? Located(value: String(parts[1]), mark: item.mark, path: item.path) : nil
                entries.append((String(name), entryValue, item.mark))
            }
            return entries
        default:
            if value.node.isNullValue { return [] }
            reader.report(
                "expected a mapping or a list of NAME=value, got \(reader.describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
    }

    /// A string map from a mapping or a `NAME=value` list (a missing value is the empty string).
    func stringMap(_ value: YAMLValue?) -> [String: String]? {
        guard let entries = keyValues(value, what: "label") else { return nil }
        var map: [String: String] = [:]
        for entry in entries { map[entry.key] = entry.value?.value ?? "" }
        return map
    }

    /// A string or a list of strings.
    func stringOrList(_ value: YAMLValue?) -> [String]? {
        guard let value else { return nil }
        if case .scalar = value.node { return reader.string(value).map { [$0.value] } }
        return reader.stringList(value)?.map(\.value)
    }

    /// A Go duration (`10s`, `1m30s`).
    func duration(_ value: YAMLValue?) -> Swarm.Nanoseconds? {
        guard let text = reader.string(value) else { return nil }
        guard let duration = Swarm.Nanoseconds(parsing: text.value) else {
            reader.report(
                "expected a duration such as 10s, 1m30s or 500ms, got '\(reader.shortened(text.value))'",
                at: text.mark, path: text.path)
            return nil
        }
        return duration
    }

    /// A memory size (`512M`, `1.5g`, or a byte count).
    func bytes(_ value: YAMLValue?) -> Int64? {
        guard let text = reader.string(value) else { return nil }
        guard let bytes = ResourceQuantity.bytes(text.value) else {
            reader.report(
                "expected a size such as 512M, 1.5g or a number of bytes, got '\(reader.shortened(text.value))'",
                at: text.mark, path: text.path)
            return nil
        }
        return bytes
    }

    /// A file mode: octal with a leading `0` or `0o` (`0440`, `0o440`), else decimal as YAML reads it;
    /// always octal when `octal` (`1777` for a tmpfs, as chmod reads it).
    func fileMode(_ value: YAMLValue?, octal: Bool = false) -> UInt32? {
        guard let text = reader.string(value) else { return nil }
        var digits = Substring(text.value)
        var radix = octal ? 8 : 10
        if digits.hasPrefix("0o") || digits.hasPrefix("0O") {
            digits = digits.dropFirst(2)
            radix = 8
        } else if digits.count > 1, digits.hasPrefix("0") {
            radix = 8
        }
        guard let mode = UInt32(digits, radix: radix), mode <= 0o7777 else {
            reader.report("expected a file mode such as 0440, got '\(reader.shortened(text.value))'", at: text.mark, path: text.path)
            return nil
        }
        return mode
    }

    /// A non-negative integer as `UInt64`.
    func count(_ value: YAMLValue?, what: String) -> UInt64? {
        reader.int(value, in: 0...Int.max, what: what).map { UInt64($0.value) }
    }

    /// A decimal number in `range`.
    func number(_ value: YAMLValue?, in range: ClosedRange<Double>, what: String) -> Double? {
        guard let text = reader.string(value) else { return nil }
        guard let number = Double(text.value), range.contains(number) else {
            reader.report(
                "expected \(what) between \(range.lowerBound) and \(range.upperBound), got '\(reader.shortened(text.value))'",
                at: text.mark, path: text.path)
            return nil
        }
        return number
    }

    private func serviceName(_ key: Yams.Node, path: String) -> String? {
        guard case .scalar(let scalar) = key, !key.isNullValue else {
            reader.report("service names must be strings, got \(reader.describe(key))", at: key.mark, path: path)
            return nil
        }
        let name = scalar.string
        let characters = name.unicodeScalars
        let valid =
            !name.isEmpty && name.count <= 63
            && characters.allSatisfy { $0.isASCII && (isASCIIAlphanumeric($0) || "-_.".unicodeScalars.contains($0)) }
            && characters.first.map { isASCIIAlphanumeric($0) } == true
        guard valid else {
            reader.report(
                "'\(reader.shortened(name))' is not a valid service name: use letters, digits, '-', '_' and '.', "
                    + "starting with a letter or digit (at most 63 characters)",
                at: key.mark, path: joinKeyPath(path, name))
            return nil
        }
        return name
    }
}

/// Whether a scalar is an ASCII letter or digit.
func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
}
