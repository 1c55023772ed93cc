import Foundation

extension Swarm {
    /// A swarm secret as `GET /secrets` returns it. Docker never returns the data.
    public struct Secret: Codable, Sendable, Hashable {
        /// The secret ID.
        public var id: String?
        /// The version to send with `POST /secrets/{id}/update`.
        public var version: ObjectVersion?
        /// When it was created (RFC 3339).
        public var createdAt: String?
        /// When it last changed (RFC 3339).
        public var updatedAt: String?
        /// Name, labels and driver (without data).
        public var spec: SecretSpec?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            spec: SecretSpec? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.spec = spec
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
        }
    }
}

extension Swarm {
    /// A swarm config as `GET /configs` returns it, data included.
    public struct Config: Codable, Sendable, Hashable {
        /// The config ID.
        public var id: String?
        /// The version to send with `POST /configs/{id}/update`.
        public var version: ObjectVersion?
        /// When it was created (RFC 3339).
        public var createdAt: String?
        /// When it last changed (RFC 3339).
        public var updatedAt: String?
        /// Name, labels and data.
        public var spec: ConfigSpec?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            id: String? = nil,
            version: ObjectVersion? = nil,
            createdAt: String? = nil,
            updatedAt: String? = nil,
            spec: ConfigSpec? = nil
        ) {
            self.id = id
            self.version = version
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.spec = spec
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
            case version = "Version"
            case createdAt = "CreatedAt"
            case updatedAt = "UpdatedAt"
            case spec = "Spec"
        }
    }
}

extension Swarm {
    /// A swarm config: `POST /configs/create` takes it. Only labels can be updated.
    public struct ConfigSpec: Codable, Sendable, Hashable {
        /// The config name.
        public var name: String?
        /// Config labels.
        public var labels: [String: String]?
        /// The content, base64 (standard alphabet). See ``init(name:labels:content:)``.
        public var data: String?
        /// A templating driver, e.g. `golang`.
        public var templating: DriverConfig?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil,
            labels: [String: String]? = nil,
            data: String? = nil,
            templating: DriverConfig? = nil
        ) {
            self.name = name
            self.labels = labels
            self.data = data
            self.templating = templating
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case labels = "Labels"
            case data = "Data"
            case templating = "Templating"
        }
    }
}

extension Swarm {
    /// The answer of a create call (`POST /secrets/create`, `/configs/create`): the new ID.
    public struct CreatedObjectID: Codable, Sendable, Hashable {
        /// The new object's ID.
        public var id: String?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(id: String? = nil) {
            self.id = id
        }

        enum CodingKeys: String, CodingKey {
            case id = "ID"
        }
    }
}

extension Swarm.ConfigSpec {
    /// A config holding `content`, base64-encoded as the API wants it.
    public init(name: String, labels: [String: String]? = nil, content: [UInt8]) {
        self.init(name: name, labels: labels, data: Data(content).base64EncodedString())
    }

    /// The decoded content, or `nil` when there is no data or it is not valid base64.
    public var content: [UInt8]? {
        data.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
    }
}

extension Swarm {
    /// A swarm secret: `POST /secrets/create` takes it. Only labels can be updated; the data is a
    /// ``Secret`` (base64 of the content) and Docker never returns it.
    public struct SecretSpec: Codable, Sendable, Hashable {
        /// The secret name.
        public var name: String?
        /// Secret labels.
        public var labels: [String: String]?
        /// The content, base64 (standard alphabet), as a ``Secret``. See ``init(name:labels:content:)``.
        public var data: HomelabCore.Secret?
        /// An external secret store driver; the data then comes from it.
        public var driver: DriverConfig?
        /// A templating driver, e.g. `golang`.
        public var templating: DriverConfig?

        /// Creates a value; every field defaults to absent (omitted when encoded).
        public init(
            name: String? = nil, labels: [String: String]? = nil, data: HomelabCore.Secret? = nil, driver: DriverConfig? = nil,
            templating: DriverConfig? = nil
        ) {
            self.name = name
            self.labels = labels
            self.data = data
            self.driver = driver
            self.templating = templating
        }

        /// A secret holding `content`, base64-encoded as the API wants it. Both the plain and the
        /// encoded value are registered for redaction.
        public init(name: String, labels: [String: String]? = nil, content: HomelabCore.Secret) {
            let encoded = HomelabCore.Secret(Data(content.reveal().utf8).base64EncodedString())
            self.init(name: name, labels: labels, data: encoded)
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case labels = "Labels"
            case data = "Data"
            case driver = "Driver"
            case templating = "Templating"
        }

        /// Decodes the wire shape; the data (if any) becomes a ``Secret``.
        /// - Throws: `DecodingError` when a present field has the wrong type.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            labels = try container.decodeIfPresent([String: String].self, forKey: .labels)
            data = try container.decodeSecretIfPresent(forKey: .data)
            driver = try container.decodeIfPresent(DriverConfig.self, forKey: .driver)
            templating = try container.decodeIfPresent(DriverConfig.self, forKey: .templating)
        }

        /// Encodes the wire shape, omitting absent fields; reveals the data only into the JSON.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(labels, forKey: .labels)
            try container.encodeSecretIfPresent(data, forKey: .data)
            try container.encodeIfPresent(driver, forKey: .driver)
            try container.encodeIfPresent(templating, forKey: .templating)
        }
    }
}
