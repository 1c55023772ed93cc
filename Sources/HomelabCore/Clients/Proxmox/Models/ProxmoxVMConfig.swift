extension Proxmox {
    /// A VM's configuration (`GET /nodes/{node}/qemu/{vmid}/config`): an open set of keys (`name`, `memory`,
    /// `cores`, `scsi0`, `net0`, `ciuser`, `sshkeys`, `ipconfig0`, ...) and the `digest` of the file it was read
    /// from, which a write passes back so that the server refuses it if the file changed meanwhile.
    public struct VMConfig: Codable, Sendable, Hashable {
        /// Every key as the server sent it, `digest` excluded.
        public var values: [String: JSONValue]
        /// The SHA-1 of the configuration file when it was read.
        public var digest: String?

        /// A configuration value.
        public init(values: [String: JSONValue] = [:], digest: String? = nil) {
            self.values = values
            self.digest = digest
        }

        /// Reads the whole object, keeping every key.
        public init(from decoder: any Decoder) throws {
            var all = try decoder.singleValueContainer().decode([String: JSONValue].self)
            if case .string(let digest)? = all.removeValue(forKey: "digest") { self.digest = digest }
            values = all
        }

        /// Writes every key, and the digest when there is one.
        public func encode(to encoder: any Encoder) throws {
            var all = values
            if let digest { all["digest"] = .string(digest) }
            var container = encoder.singleValueContainer()
            try container.encode(all)
        }

        /// A key's value as text (numbers written out), `nil` when absent.
        public subscript(text key: String) -> String? {
            get {
                switch values[key] {
                case .string(let text)?: return text
                case .integer(let number)?: return String(number)
                case .number(let number)?: return String(number)
                case .bool(let flag)?: return flag ? "1" : "0"
                default: return nil
                }
            }
            set { values[key] = newValue.map { .string($0) } }
        }

        /// The VM's name.
        public var name: String? { self[text: "name"] }
        /// Memory in MiB.
        public var memory: Int? { self[text: "memory"].flatMap { Int($0) } }
        /// Cores per socket.
        public var cores: Int? { self[text: "cores"].flatMap { Int($0) } }
        /// Whether it starts with its node.
        public var onboot: Bool { self[text: "onboot"] == "1" }
        /// Whether it is a template.
        public var template: Bool { self[text: "template"] == "1" }
    }

    /// Cloud-init settings of a VM (`ciuser`, `sshkeys`, `ipconfig0`, `nameserver`, ...), written with its config.
    public struct CloudInit: Sendable, Hashable {
        /// The default user's name.
        public var user: String?
        /// Public SSH keys (OpenSSH lines) for that user.
        public var sshKeys: [String]
        /// `ip=10.0.0.13/24,gw=10.0.0.1`, or `ip=dhcp`.
        public var ipConfig: String?
        /// DNS servers, space-separated.
        public var nameserver: String?
        /// The DNS search domain.
        public var searchDomain: String?

        /// Cloud-init settings.
        public init(
            user: String? = nil, sshKeys: [String] = [], ipConfig: String? = nil, nameserver: String? = nil,
            searchDomain: String? = nil
        ) {
            self.user = user
            self.sshKeys = sshKeys
            self.ipConfig = ipConfig
            self.nameserver = nameserver
            self.searchDomain = searchDomain
        }

        /// The configuration keys these settings write. `sshkeys` is URL-encoded, as the API wants it.
        public var configValues: [String: String] {
            var out: [String: String] = [:]
            if let user { out["ciuser"] = user }
            if !sshKeys.isEmpty { out["sshkeys"] = sshKeys.joined(separator: "\n").percentEncodedQueryComponent }
            if let ipConfig { out["ipconfig0"] = ipConfig }
            if let nameserver { out["nameserver"] = nameserver }
            if let searchDomain { out["searchdomain"] = searchDomain }
            return out
        }
    }
}
