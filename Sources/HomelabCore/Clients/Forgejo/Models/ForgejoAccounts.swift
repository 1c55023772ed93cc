import Foundation

extension Forgejo {
    /// A user account (`User`): the token's owner, an admin listing's entry, a repository's owner.
    public struct User: Codable, Sendable, Hashable {
        public var id: Int64
        public var login: String
        public var fullName: String?
        public var email: String?
        public var isAdmin: Bool?
        public var active: Bool?
        public var restricted: Bool?
        public var prohibitLogin: Bool?
        public var visibility: String?
        /// RFC 3339.
        public var created: String?
        /// RFC 3339.
        public var lastLogin: String?

        enum CodingKeys: String, CodingKey {
            case id, login, email, active, restricted, visibility, created
            case fullName = "full_name"
            case isAdmin = "is_admin"
            case prohibitLogin = "prohibit_login"
            case lastLogin = "last_login"
        }

        /// A user.
        public init(id: Int64, login: String, fullName: String? = nil, email: String? = nil, isAdmin: Bool? = nil) {
            self.id = id
            self.login = login
            self.fullName = fullName
            self.email = email
            self.isAdmin = isAdmin
        }
    }

    /// An organisation (`Organization`); `name` is its login (Forgejo also sends it as `username`).
    public struct Organization: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var fullName: String?
        public var description: String?
        public var visibility: String?
        public var website: String?
        public var email: String?

        enum CodingKeys: String, CodingKey {
            case id, name, username, description, visibility, website, email
            case fullName = "full_name"
        }

        /// An organisation.
        public init(id: Int64, name: String, fullName: String? = nil, description: String? = nil, visibility: String? = nil) {
            self.id = id
            self.name = name
            self.fullName = fullName
            self.description = description
            self.visibility = visibility
        }

        /// Reads `name`, or `username` when a server sends only that.
        /// - Throws: `DecodingError` without an id or either name.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int64.self, forKey: .id)
            if let name = try container.decodeIfPresent(String.self, forKey: .name), !name.isEmpty {
                self.name = name
            } else {
                name = try container.decode(String.self, forKey: .username)
            }
            fullName = try container.decodeIfPresent(String.self, forKey: .fullName)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            visibility = try container.decodeIfPresent(String.self, forKey: .visibility)
            website = try container.decodeIfPresent(String.self, forKey: .website)
            email = try container.decodeIfPresent(String.self, forKey: .email)
        }

        /// Writes `name` and `username` both, as Forgejo does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(name, forKey: .username)
            try container.encodeIfPresent(fullName, forKey: .fullName)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodeIfPresent(visibility, forKey: .visibility)
            try container.encodeIfPresent(website, forKey: .website)
            try container.encodeIfPresent(email, forKey: .email)
        }
    }

    /// An OAuth2 application (`OAuth2Application`): how Woodpecker logs in to Forgejo. The client secret is only
    /// in the answer to its creation, and is kept as a ``Secret`` (never printed).
    public struct OAuth2Application: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var clientID: String
        /// Only in the answer to ``ForgejoClient/OAuth2Applications/create(name:redirectURIs:confidential:logger:)``.
        public var clientSecret: Secret?
        public var redirectURIs: [String]
        public var confidentialClient: Bool?
        /// RFC 3339.
        public var created: String?

        enum CodingKeys: String, CodingKey {
            case id, name, created
            case clientID = "client_id"
            case clientSecret = "client_secret"
            case redirectURIs = "redirect_uris"
            case confidentialClient = "confidential_client"
        }

        /// An application.
        public init(id: Int64, name: String, clientID: String, redirectURIs: [String], confidentialClient: Bool? = true) {
            self.id = id
            self.name = name
            self.clientID = clientID
            self.redirectURIs = redirectURIs
            self.confidentialClient = confidentialClient
        }

        /// Reads the application; an empty `client_secret` (every listing) is no secret.
        /// - Throws: `DecodingError` without id, name or client id.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(Int64.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            clientID = try container.decode(String.self, forKey: .clientID)
            let secret = try container.decodeIfPresent(String.self, forKey: .clientSecret) ?? ""
            clientSecret = secret.isEmpty ? nil : Secret(secret)
            redirectURIs = try container.decodeIfPresent([String].self, forKey: .redirectURIs) ?? []
            confidentialClient = try container.decodeIfPresent(Bool.self, forKey: .confidentialClient)
            created = try container.decodeIfPresent(String.self, forKey: .created)
        }

        /// Writes the application without its secret.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(clientID, forKey: .clientID)
            try container.encode(redirectURIs, forKey: .redirectURIs)
            try container.encodeIfPresent(confidentialClient, forKey: .confidentialClient)
            try container.encodeIfPresent(created, forKey: .created)
        }
    }

    /// `CreateUserOption` for `POST /admin/users`.
    public struct CreateUser: Encodable, Sendable, Hashable {
        public var username: String
        public var email: String
        public var fullName: String?
        public var mustChangePassword: Bool?
        public var visibility: String?

        enum CodingKeys: String, CodingKey {
            case username, email, visibility
            case fullName = "full_name"
            case mustChangePassword = "must_change_password"
        }

        /// A user to create (without a password: it logs in through SSO or gets one set later).
        public init(username: String, email: String, fullName: String? = nil, visibility: String? = nil) {
            self.username = username
            self.email = email
            self.fullName = fullName
            self.visibility = visibility
        }
    }
}
