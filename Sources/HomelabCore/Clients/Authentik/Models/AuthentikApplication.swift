extension Authentik {
    /// A core application (`/core/applications/`): what users launch, bound to one provider.
    public struct Application: Codable, Sendable, Hashable {
        /// Its UUID.
        public var pk: String
        /// The display name.
        public var name: String
        /// The slug, its ID in paths (`grafana`).
        public var slug: String
        /// The primary key of its provider, when it has one.
        public var provider: Int?
        /// Its provider, summarised by the server.
        public var providerObject: Provider?
        /// Where the launch button goes.
        public var launchURL: String?
        /// The group it is listed under.
        public var group: String?
        /// The description shown to users.
        public var metaDescription: String?
        /// `any` or `all`: how its policies combine.
        public var policyEngineMode: String?

        private enum CodingKeys: String, CodingKey {
            case pk, name, slug, provider, group
            case providerObject = "provider_obj"
            case launchURL = "launch_url"
            case metaDescription = "meta_description"
            case policyEngineMode = "policy_engine_mode"
        }

        /// An application value.
        public init(pk: String = "", name: String, slug: String, provider: Int? = nil) {
            self.pk = pk
            self.name = name
            self.slug = slug
            self.provider = provider
        }

        /// Reads an application leniently (only `slug` is required).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            slug = try c.decode(String.self, forKey: .slug)
            pk = c.lenient(String.self, .pk) ?? ""
            name = c.lenient(String.self, .name) ?? slug
            provider = c.lenient(Int.self, .provider)
            providerObject = c.lenient(Provider.self, .providerObject)
            launchURL = c.lenient(String.self, .launchURL)
            group = c.lenient(String.self, .group)
            metaDescription = c.lenient(String.self, .metaDescription)
            policyEngineMode = c.lenient(String.self, .policyEngineMode)
        }
    }

    /// The body that creates an application.
    public struct ApplicationRequest: Codable, Sendable, Hashable {
        /// The display name.
        public var name: String
        /// The slug (letters, digits, `-` and `_`).
        public var slug: String
        /// The provider's primary key.
        public var provider: Int?
        /// Where the launch button goes.
        public var metaLaunchURL: String?

        private enum CodingKeys: String, CodingKey {
            case name, slug, provider
            case metaLaunchURL = "meta_launch_url"
        }

        /// A request.
        public init(name: String, slug: String, provider: Int? = nil, metaLaunchURL: String? = nil) {
            self.name = name
            self.slug = slug
            self.provider = provider
            self.metaLaunchURL = metaLaunchURL
        }
    }

    /// Any provider (`/providers/all/`), as the server summarises it.
    public struct Provider: Codable, Sendable, Hashable {
        /// Its primary key.
        public var pk: Int
        /// Its name.
        public var name: String
        /// The UI component naming its type (`ak-provider-proxy-form`).
        public var component: String?
        /// Its type in words (`Proxy Provider`).
        public var verboseName: String?
        /// The model (`authentik_providers_proxy.proxyprovider`).
        public var metaModelName: String?
        /// The slug of the application it is bound to, if any.
        public var assignedApplicationSlug: String?
        /// The flow that authorises users.
        public var authorizationFlow: String?

        private enum CodingKeys: String, CodingKey {
            case pk, name, component
            case verboseName = "verbose_name"
            case metaModelName = "meta_model_name"
            case assignedApplicationSlug = "assigned_application_slug"
            case authorizationFlow = "authorization_flow"
        }

        /// A provider value.
        public init(pk: Int, name: String) {
            self.pk = pk
            self.name = name
        }

        /// Reads a provider leniently (only `pk` is required).
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            pk = try c.decode(Int.self, forKey: .pk)
            name = c.lenient(String.self, .name) ?? ""
            component = c.lenient(String.self, .component)
            verboseName = c.lenient(String.self, .verboseName)
            metaModelName = c.lenient(String.self, .metaModelName)
            assignedApplicationSlug = c.lenient(String.self, .assignedApplicationSlug)
            authorizationFlow = c.lenient(String.self, .authorizationFlow)
        }
    }
}
