extension OnePassword {
    /// A vault (`/v1/vaults`).
    public struct Vault: Codable, Sendable, Hashable {
        /// Its ID (26 lowercase base32 characters).
        public var id: String
        /// Its name.
        public var name: String
        /// Its description.
        public var description: String?
        /// Active items in it.
        public var items: Int?
        /// `USER_CREATED`, `PERSONAL`, `EVERYONE`, `TRANSFER` (or newer values).
        public var type: String?
        /// Its content's version.
        public var contentVersion: Int?
        /// When it last changed (ISO 8601).
        public var updatedAt: String?

        /// A vault value.
        public init(id: String, name: String, items: Int? = nil) {
            self.id = id
            self.name = name
            self.items = items
        }

        /// Reads a vault leniently (only `id` is required).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            name = c.lenient(String.self, .name) ?? id
            description = c.lenient(String.self, .description)
            items = c.lenient(Int.self, .items)
            type = c.lenient(String.self, .type)
            contentVersion = c.lenient(Int.self, .contentVersion)
            updatedAt = c.lenient(String.self, .updatedAt)
        }
    }

    /// A reference to a vault, as items name theirs.
    public struct VaultReference: Codable, Sendable, Hashable {
        /// The vault's ID.
        public var id: String
        /// A reference.
        public init(id: String) { self.id = id }
    }

    /// An item: the summary lists return (no fields), or the whole item (``fields``, ``sections``, ``files``) a get
    /// returns.
    public struct Item: Codable, Sendable, Hashable {
        /// Its ID (empty in a create request: the server makes one).
        public var id: String
        /// Its title; not unique within a vault.
        public var title: String
        /// Its vault.
        public var vault: VaultReference
        /// `LOGIN`, `PASSWORD`, `API_CREDENTIAL`, `SERVER`, ... (or newer values).
        public var category: String
        /// Its tags.
        public var tags: [String]?
        /// Its version.
        public var version: Int?
        /// When it last changed (ISO 8601).
        public var updatedAt: String?
        /// Its sections (whole items only).
        public var sections: [Section]?
        /// Its fields (whole items only).
        public var fields: [Field]?
        /// Its files (whole items only).
        public var files: [File]?

        /// An item value (for create requests).
        public init(id: String = "", title: String, vault: String, category: String = "API_CREDENTIAL", fields: [Field] = [], sections: [Section]? = nil) {
            self.id = id
            self.title = title
            self.vault = VaultReference(id: vault)
            self.category = category
            self.fields = fields
            self.sections = sections
        }

        private enum CodingKeys: String, CodingKey {
            case id, title, vault, category, tags, version, updatedAt, sections, fields, files
        }

        /// Reads an item leniently (`id` and `vault` are required).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            vault = try c.decode(VaultReference.self, forKey: .vault)
            title = c.lenient(String.self, .title) ?? ""
            category = c.lenient(String.self, .category) ?? ""
            tags = c.lenient([String].self, .tags)
            version = c.lenient(Int.self, .version)
            updatedAt = c.lenient(String.self, .updatedAt)
            sections = c.lenient([Section].self, .sections)
            fields = c.lenient([Field].self, .fields)
            files = c.lenient([File].self, .files)
        }

        /// Writes the item; an empty ``id`` is left out (create requests).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            if !id.isEmpty { try c.encode(id, forKey: .id) }
            try c.encode(title, forKey: .title)
            try c.encode(vault, forKey: .vault)
            try c.encode(category, forKey: .category)
            try c.encodeIfPresent(tags, forKey: .tags)
            try c.encodeIfPresent(sections, forKey: .sections)
            try c.encodeIfPresent(fields, forKey: .fields)
        }
    }

    /// A section of an item.
    public struct Section: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String
        /// Its label.
        public var label: String?
        /// A section.
        public init(id: String, label: String? = nil) {
            self.id = id
            self.label = label
        }
    }

    /// The section a field or file belongs to.
    public struct SectionReference: Codable, Sendable, Hashable {
        /// The section's ID.
        public var id: String
        /// A reference.
        public init(id: String) { self.id = id }
    }

    /// A field of an item. Its ``value`` is a ``Secret``: it never prints.
    public struct Field: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String
        /// Its label (what `op://` references name).
        public var label: String?
        /// `STRING`, `CONCEALED`, `EMAIL`, `URL`, `TOTP`, ... (or newer values).
        public var type: String
        /// `USERNAME`, `PASSWORD`, `NOTES` or empty.
        public var purpose: String?
        /// Its section, if any.
        public var section: SectionReference?
        /// Its value.
        public var value: Secret?
        /// Ask the server to generate the value (create and update requests).
        public var generate: Bool?

        /// A field value.
        public init(id: String, label: String?, type: String = "CONCEALED", value: Secret?, section: String? = nil, purpose: String? = nil) {
            self.id = id
            self.label = label
            self.type = type
            self.value = value
            self.section = section.map(SectionReference.init(id:))
            self.purpose = purpose
        }

        private enum CodingKeys: String, CodingKey { case id, label, type, purpose, section, value, generate }

        /// Reads a field leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = c.lenient(String.self, .id) ?? ""
            label = c.lenient(String.self, .label)
            type = c.lenient(String.self, .type) ?? "STRING"
            purpose = c.lenient(String.self, .purpose)
            section = c.lenient(SectionReference.self, .section)
            value = c.lenient(String.self, .value).map(Secret.init)
            generate = c.lenient(Bool.self, .generate)
        }

        /// Writes the field, its value included (only ever to the Connect server).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encodeIfPresent(label, forKey: .label)
            try c.encode(type, forKey: .type)
            try c.encodeIfPresent(purpose, forKey: .purpose)
            try c.encodeIfPresent(section, forKey: .section)
            try c.encodeIfPresent(value?.reveal(), forKey: .value)
            try c.encodeIfPresent(generate, forKey: .generate)
        }
    }

    /// A file attached to an item.
    public struct File: Codable, Sendable, Hashable {
        /// Its ID.
        public var id: String
        /// Its name (what `op://` references name as the field).
        public var name: String
        /// Its size in bytes.
        public var size: Int?
        /// The API path of its content.
        public var contentPath: String?
        /// Its section, if any.
        public var section: SectionReference?

        private enum CodingKeys: String, CodingKey {
            case id, name, size, section
            case contentPath = "content_path"
        }

        /// Reads a file leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            name = c.lenient(String.self, .name) ?? id
            size = c.lenient(Int.self, .size)
            contentPath = c.lenient(String.self, .contentPath)
            section = c.lenient(SectionReference.self, .section)
        }
    }

    /// The server's health (`GET /health`): its version and each dependency's state.
    public struct Health: Codable, Sendable, Hashable {
        /// The server's name (`1Password Connect API`).
        public var name: String?
        /// Its version.
        public var version: String?
        /// Its dependencies (`sync`, `sqlite`) and their states.
        public var dependencies: [Dependency]

        /// One dependency's state.
        public struct Dependency: Codable, Sendable, Hashable {
            /// The dependency (`sync`, `sqlite`).
            public var service: String
            /// Its state (`ACTIVE`, `TOKEN_NEEDED`, ...).
            public var status: String
            /// Why, in words.
            public var message: String?

            /// Reads a dependency leniently.
            public init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                service = c.lenient(String.self, .service) ?? ""
                status = c.lenient(String.self, .status) ?? ""
                message = c.lenient(String.self, .message)
            }
        }

        /// Reads health leniently.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = c.lenient(String.self, .name)
            version = c.lenient(String.self, .version)
            dependencies = c.lenient([Dependency].self, .dependencies) ?? []
        }

        /// Whether every dependency is `ACTIVE`.
        public var isHealthy: Bool { dependencies.allSatisfy { $0.status.uppercased() == "ACTIVE" } }
        /// The sync dependency's state, when the server reports one.
        public var syncStatus: String? { dependencies.first { $0.service.lowercased() == "sync" }?.status }
    }
}
