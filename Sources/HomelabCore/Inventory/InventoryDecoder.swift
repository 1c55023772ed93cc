import Yams

/// The inventory as read, before cross-reference checks: every name keeps its location so later checks
/// can point at it. `built` values are present when their own fields were valid.
struct InventoryDraft {
    var name: String?
    var nodes: [DraftNode] = []
    var tiers: [Located<String>] = []
    var stacks: [DraftStack] = []
    var components: [DraftComponent] = []
    /// `protected_tiers:` (tiers whose routed services sit behind forward auth unless they say otherwise).
    var protectedTiers: [Located<String>] = []
    /// The `pxe:` block, when present and valid.
    var pxe: PXESettings?
    /// `required_labels:` (label prefixes every routed service's stack file must carry; `homelab lint`).
    var requiredLabels: [Located<String>] = []
    /// `secrets:` (each Swarm secret's 1Password reference; `homelab check`).
    var secrets: [String: CredentialReference] = [:]
    /// The top-level `provision:` block, when present and valid.
    var provision: ProvisionSettings?
    /// Whether every node, tier and service name could be read; when one could not, references to names
    /// are not checked (they would report the unreadable name again as "unknown").
    var nodeNamesComplete = false
    var tierNamesComplete = false
    var serviceNamesComplete = false
}

struct DraftNode {
    var name: Located<String>
    var address: Located<String>?
    var role: Homelab.Node.Role?
    var leader: Located<Bool>?
    var mac: Located<String>?
    /// The names in the node's `provision.skip` and `provision.steps`, for checks against the shared list.
    var provisionSkip: [Located<String>] = []
    var provisionStepNames: [Located<String>] = []
    var built: Homelab.Node?
}

struct DraftStack {
    var name: Located<String>
    var tier: Located<String>?
    var services: [DraftService] = []
    var servicesComplete = false
}

struct DraftService {
    var name: Located<String>
    var stack: String
    var tier: Located<String>?
    var hasOwnTier = false
    var dependsOn: [Located<String>] = []
    var stateful: Located<Bool>?
    var pinnedNode: Located<String>?
    var replicas: Located<Int>?
    var mode: Located<ModeName>?
    var built: Homelab.Service?
}

enum ModeName: String, CaseIterable {
    case replicated, global
}

struct DraftComponent {
    var kind: ComponentKind
    var nodeReferences: [Located<String>] = []
    var built: ComponentEndpoint?
}

/// Reads the composed YAML tree of an inventory into an ``InventoryDraft``, reporting every local problem
/// (types, enum values, unknown and missing keys, formats) to the reader.
struct InventoryDecoder {
    let reader: InventoryReader

    /// The inventory schema versions this SDK reads.
    static let supportedVersions = 1...1

    func document(_ root: YAMLValue) -> InventoryDraft {
        var draft = InventoryDraft()
        let keys = ["version", "name", "nodes", "tiers", "stacks", "components", "protected_tiers", "pxe", "required_labels", "secrets", "provision"]
        guard let fields = reader.fields(root, allowed: keys, required: ["name", "nodes", "tiers", "stacks"]) else {
            return draft
        }
        if let version = fields["version"] {
            if let number = reader.int(version, in: Int.min...Int.max, what: "a version"),
                !Self.supportedVersions.contains(number.value)
            {
                reader.report(
                    "unsupported inventory version \(number.value); this SDK reads version \(Self.supportedVersions.upperBound)",
                    at: number.mark, path: number.path)
            }
        }
        draft.name = reader.string(fields["name"])?.value
        if let items = reader.list(fields["nodes"]) {
            if items.isEmpty, let value = fields["nodes"] {
                reader.report("a homelab needs at least one node", at: value.mark, path: value.path)
            }
            draft.nodes = items.compactMap(node)
            draft.nodeNamesComplete = draft.nodes.count == items.count
        }
        if let items = reader.list(fields["tiers"]) {
            if items.isEmpty, let value = fields["tiers"] {
                reader.report("a homelab needs at least one tier", at: value.mark, path: value.path)
            }
            draft.tiers = items.compactMap { reader.name($0, of: "tier") }
            draft.tierNamesComplete = draft.tiers.count == items.count
        }
        if let items = reader.list(fields["stacks"]) {
            draft.stacks = items.compactMap(stack)
            draft.serviceNamesComplete =
                draft.stacks.count == items.count && draft.stacks.allSatisfy(\.servicesComplete)
        }
        if let value = fields["components"] {
            draft.components = components(value)
        }
        if let value = fields["protected_tiers"] {
            draft.protectedTiers = reader.stringList(value) ?? []
        }
        if let value = fields["pxe"] {
            draft.pxe = pxeSettings(value)
        }
        if let value = fields["required_labels"] {
            draft.requiredLabels = requiredLabels(value)
        }
        if let value = fields["secrets"] {
            draft.secrets = swarmSecrets(value)
        }
        if let value = fields["provision"] {
            draft.provision = provisionSettings(value)
        }
        checkNodeProvision(&draft, sharedGiven: fields["provision"] != nil)
        return draft
    }

    /// `required_labels: [homepage, kuma]`: label prefixes (a label key's first dotted part), each once.
    func requiredLabels(_ value: YAMLValue) -> [Located<String>] {
        var seen: Set<String> = []
        return (reader.stringList(value) ?? []).filter { prefix in
            let valid = !prefix.value.isEmpty && prefix.value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            guard valid else {
                reader.report(
                    "'\(reader.shortened(prefix.value))' is not a label prefix: use letters, digits, '_' and '-' (the part before the first '.', like homepage or kuma)",
                    at: prefix.mark, path: prefix.path)
                return false
            }
            guard seen.insert(prefix.value).inserted else {
                reader.report("label prefix '\(prefix.value)' is listed twice", at: prefix.mark, path: prefix.path)
                return false
            }
            return true
        }
    }

    // MARK: Nodes

    func node(_ value: YAMLValue) -> DraftNode? {
        let keys = ["name", "role", "platform", "address", "ssh", "labels", "leader", "proxmox", "mac", "provision"]
        guard let fields = reader.fields(value, allowed: keys, required: ["name", "role", "platform", "address"]) else {
            return nil
        }
        let role = reader.choice(fields["role"], Homelab.Node.Role.self)
        let platform = reader.choice(fields["platform"], Homelab.Node.Platform.self)
        let address = hostAddress(fields["address"])
        let leader = reader.bool(fields["leader"])
        let ssh = sshLogin(fields["ssh"])
        let labels = labels(fields["labels"])
        let placement = fields["proxmox"].flatMap(proxmoxPlacement)
        let mac = fields["mac"].flatMap { macAddress($0, platform: platform?.value) }
        if let block = fields["proxmox"], let platform, platform.value != .proxmoxVM {
            reader.report(
                "a proxmox block belongs on a proxmox-vm node, not a \(platform.value.rawValue) one",
                at: block.mark, path: block.path)
        }
        let provision = fields["provision"].map(nodeProvision)
        guard let name = reader.name(fields["name"], of: "node") else { return nil }
        var draft = DraftNode(name: name, address: address, role: role?.value, leader: leader, mac: mac)
        draft.provisionSkip = provision?.skip ?? []
        draft.provisionStepNames = provision?.stepNames ?? []
        if let role, let platform, let address, let ssh, let labels, fields["provision"] == nil || provision?.settings != nil,
            fields["leader"] == nil || leader != nil, fields["proxmox"] == nil || (placement != nil && platform.value == .proxmoxVM),
            fields["mac"] == nil || mac != nil
        {
            draft.built = Homelab.Node(
                name: name.value, role: role.value, platform: platform.value, address: address.value, ssh: ssh,
                labels: labels, isLeader: leader?.value ?? false, proxmox: placement, mac: mac?.value)
            draft.built?.provision = provision?.settings
        }
        return draft
    }

    /// A host name, IPv4 or IPv6 address.
    func hostAddress(_ value: YAMLValue?) -> Located<String>? {
        guard let address = reader.string(value) else { return nil }
        let text = address.value
        let bracketless = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        if AddressSyntax.isIPv4(text) || AddressSyntax.isHostName(text) || AddressSyntax.isIPv6(bracketless) {
            return address
        }
        let looksNumeric = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        reader.report(
            looksNumeric
                ? "'\(reader.shortened(text))' is not a valid IPv4 address"
                : "expected a host name or IP address, got '\(reader.shortened(text))'",
            at: address.mark, path: address.path)
        return nil
    }

    /// `ssh: {user, port, identity_file}`; absent means root on port 22. `nil` after a reported problem.
    func sshLogin(_ value: YAMLValue?) -> Homelab.Node.SSHLogin? {
        guard let value else { return Homelab.Node.SSHLogin() }
        guard let fields = reader.fields(value, allowed: ["user", "port", "identity_file"]) else { return nil }
        var login = Homelab.Node.SSHLogin()
        var valid = true
        if let user = fields["user"] {
            if let text = reader.string(user) {
                let allowed = text.value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
                if allowed { login.user = text.value } else {
                    reader.report("'\(reader.shortened(text.value))' is not a valid user name", at: text.mark, path: text.path)
                    valid = false
                }
            } else {
                valid = false
            }
        }
        if let port = fields["port"] {
            if let number = reader.int(port, in: 1...65535, what: "a port") { login.port = number.value } else { valid = false }
        }
        if let file = fields["identity_file"] {
            if let path = reader.absolutePath(file, allowHome: true) { login.identityFile = path.value } else { valid = false }
        }
        return valid ? login : nil
    }

    /// `labels: {key: value}`; scalar values are taken as written (`true`, `2`).
    func labels(_ value: YAMLValue?) -> [String: String]? {
        guard let value else { return [:] }
        guard case .mapping(let mapping) = value.node else {
            reader.report("expected a mapping of labels, got \(reader.describe(value.node))", at: value.mark, path: value.path)
            return nil
        }
        var labels: [String: String] = [:]
        var valid = true
        for (key, child) in mapping {
            guard case .scalar(let keyScalar) = key, !key.isNullValue, !keyScalar.string.isEmpty else {
                reader.report("label names must be non-empty strings", at: key.mark, path: value.path)
                valid = false
                continue
            }
            let path = joinKeyPath(value.path, keyScalar.string)
            guard case .scalar(let scalar) = child else {
                reader.report("expected a label value (a string), got \(reader.describe(child))", at: child.mark, path: path)
                valid = false
                continue
            }
            labels[keyScalar.string] = child.isNullValue ? "" : scalar.string
        }
        return valid ? labels : nil
    }
}
