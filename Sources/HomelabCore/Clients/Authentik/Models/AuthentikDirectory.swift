extension Authentik {
    /// A user (`/core/users/`).
    public struct User: Codable, Sendable, Hashable {
        /// Its primary key.
        public var pk: Int
        /// The login name.
        public var username: String
        /// The display name.
        public var name: String
        /// Whether it may log in.
        public var isActive: Bool
        /// Its e-mail address.
        public var email: String?
        /// Whether it is a superuser (through a group).
        public var isSuperuser: Bool
        /// The UUIDs of its groups.
        public var groups: [String]
        /// `internal`, `external`, `service_account`, `internal_service_account` (or newer values).
        public var type: String?
        /// When it last logged in (ISO 8601).
        public var lastLogin: String?

        private enum CodingKeys: String, CodingKey {
            case pk, username, name, email, groups, type
            case isActive = "is_active"
            case isSuperuser = "is_superuser"
            case lastLogin = "last_login"
        }

        /// A user value.
        public init(pk: Int, username: String, name: String, isActive: Bool = true, groups: [String] = []) {
            self.pk = pk
            self.username = username
            self.name = name
            self.isActive = isActive
            self.isSuperuser = false
            self.groups = groups
        }

        /// Reads a user leniently (only `pk` is required).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pk = try c.decode(Int.self, forKey: .pk)
            username = c.lenient(String.self, .username) ?? ""
            name = c.lenient(String.self, .name) ?? ""
            isActive = c.lenient(Bool.self, .isActive) ?? true
            email = c.lenient(String.self, .email)
            isSuperuser = c.lenient(Bool.self, .isSuperuser) ?? false
            groups = c.lenient([String].self, .groups) ?? []
            type = c.lenient(String.self, .type)
            lastLogin = c.lenient(String.self, .lastLogin)
        }
    }

    /// The body that creates a user.
    public struct UserRequest: Codable, Sendable, Hashable {
        /// The login name.
        public var username: String
        /// The display name.
        public var name: String
        /// Its e-mail address.
        public var email: String?
        /// Whether it may log in.
        public var isActive: Bool
        /// The UUIDs of its groups.
        public var groups: [String]

        private enum CodingKeys: String, CodingKey {
            case username, name, email, groups
            case isActive = "is_active"
        }

        /// A request.
        public init(username: String, name: String, email: String? = nil, isActive: Bool = true, groups: [String] = []) {
            self.username = username
            self.name = name
            self.email = email
            self.isActive = isActive
            self.groups = groups
        }
    }

    /// A group (`/core/groups/`).
    public struct Group: Codable, Sendable, Hashable {
        /// Its UUID.
        public var pk: String
        /// Its name.
        public var name: String
        /// Whether members are superusers.
        public var isSuperuser: Bool
        /// The primary keys of its members.
        public var users: [Int]
        /// The UUIDs of its parents (several since 2026.x).
        public var parents: [String]

        private enum CodingKeys: String, CodingKey {
            case pk, name, users, parents, parent
            case isSuperuser = "is_superuser"
        }

        /// A group value.
        public init(pk: String, name: String, isSuperuser: Bool = false, users: [Int] = []) {
            self.pk = pk
            self.name = name
            self.isSuperuser = isSuperuser
            self.users = users
            self.parents = []
        }

        /// Reads a group leniently (only `pk` is required; a pre-2026 single `parent` becomes one parent).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pk = try c.decode(String.self, forKey: .pk)
            name = c.lenient(String.self, .name) ?? ""
            isSuperuser = c.lenient(Bool.self, .isSuperuser) ?? false
            users = c.lenient([Int].self, .users) ?? []
            parents = c.lenient([String].self, .parents) ?? c.lenient(String.self, .parent).map { [$0] } ?? []
        }

        /// Writes the fields a client sets.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(pk, forKey: .pk)
            try c.encode(name, forKey: .name)
            try c.encode(isSuperuser, forKey: .isSuperuser)
            try c.encode(users, forKey: .users)
            try c.encode(parents, forKey: .parents)
        }
    }

    /// A flow (`/flows/instances/`): providers name their authorisation and invalidation flows by UUID.
    public struct Flow: Codable, Sendable, Hashable {
        /// Its UUID.
        public var pk: String
        /// Its slug.
        public var slug: String
        /// Its name.
        public var name: String
        /// Its title.
        public var title: String?
        /// What it is for: `authentication`, `authorization`, `invalidation`, `enrollment`, ...
        public var designation: String?

        /// Reads a flow leniently (only `pk` and `slug` are required).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pk = try c.decode(String.self, forKey: .pk)
            slug = try c.decode(String.self, forKey: .slug)
            name = c.lenient(String.self, .name) ?? slug
            title = c.lenient(String.self, .title)
            designation = c.lenient(String.self, .designation)
        }

        /// A flow value.
        public init(pk: String, slug: String, name: String, designation: String? = nil) {
            self.pk = pk
            self.slug = slug
            self.name = name
            self.designation = designation
        }
    }
}
