import Logging

extension AuthentikClient {
    /// Providers (`/providers/all/`, `/providers/proxy/`).
    public var providers: Providers { Providers(client: self) }

    /// Providers of every type, and proxy providers in detail.
    public struct Providers: Sendable {
        let client: AuthentikClient

        /// Every provider, of any type; `unassigned: true` lists only those bound to no application.
        public func list(unassigned: Bool? = nil, logger: Logger? = nil) -> PagedSequence<Authentik.Provider> {
            let query = unassigned.map { [("application__isnull", $0 ? "true" : "false")] } ?? []
            return client.list(Authentik.Provider.self, "/providers/all/", query: query, logger: logger)
        }

        /// Every proxy provider (external host, mode, cookie domain, outposts).
        public func proxies(logger: Logger? = nil) -> PagedSequence<Authentik.ProxyProvider> {
            client.list(Authentik.ProxyProvider.self, "/providers/proxy/", logger: logger)
        }

        /// The proxy provider with primary key `pk`.
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func proxy(_ pk: Int, logger: Logger? = nil) async throws -> Authentik.ProxyProvider {
            try await client.rest.get(Authentik.ProxyProvider.self, "/providers/proxy/\(pk)/", logger: logger)
        }

        /// Creates a proxy provider (for Caddy's forward auth: mode `forward_single`, the application's URL).
        /// - Throws: ``HomelabError/Code/invalidArgument`` with the server's field errors (a missing flow, ...).
        public func createProxy(_ request: Authentik.ProxyProviderRequest, logger: Logger? = nil) async throws -> Authentik.ProxyProvider {
            try await client.rest.send(.post, "/providers/proxy/", json: request, decoding: Authentik.ProxyProvider.self, logger: logger)
        }
    }

    /// Outposts (`/outposts/instances/`).
    public var outposts: Outposts { Outposts(client: self) }

    /// Outposts, their providers and the health of their running instances.
    public struct Outposts: Sendable {
        let client: AuthentikClient

        /// Every outpost.
        public func list(logger: Logger? = nil) -> PagedSequence<Authentik.Outpost> {
            client.list(Authentik.Outpost.self, "/outposts/instances/", logger: logger)
        }

        /// The embedded outpost (managed `goauthentik.io/outposts/embedded`), if the server has one.
        /// - Throws: ``HomelabError``.
        public func embedded(logger: Logger? = nil) async throws -> Authentik.Outpost? {
            let listed = try await client.list(
                Authentik.Outpost.self, "/outposts/instances/", query: [("managed__iexact", Authentik.Outpost.embeddedManagedName)],
                logger: logger
            ).collect()
            return listed.first { $0.isEmbedded }
        }

        /// The state of each running instance of outpost `pk` (none when no instance has checked in).
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func health(_ pk: String, logger: Logger? = nil) async throws -> [Authentik.OutpostHealth] {
            let id = try client.segment(pk, what: "Authentik outpost UUID")
            return try await client.rest.get([Authentik.OutpostHealth].self, "/outposts/instances/\(id)/health/", logger: logger)
        }

        /// Binds provider `providerPK` to outpost `pk` (a PATCH of its provider list, read just before).
        /// - Throws: ``HomelabError/Code/notFound``; other ``HomelabError``s.
        public func bind(provider providerPK: Int, to pk: String, logger: Logger? = nil) async throws -> Authentik.Outpost {
            struct Patch: Encodable { let providers: [Int] }
            let id = try client.segment(pk, what: "Authentik outpost UUID")
            let outpost = try await client.rest.get(Authentik.Outpost.self, "/outposts/instances/\(id)/", logger: logger)
            guard !outpost.providers.contains(providerPK) else { return outpost }
            return try await client.rest.send(
                .patch, "/outposts/instances/\(id)/", json: Patch(providers: outpost.providers + [providerPK]),
                decoding: Authentik.Outpost.self, logger: logger)
        }
    }

    /// Flows (`/flows/instances/`).
    public var flows: Flows { Flows(client: self) }

    /// Flows, by designation.
    public struct Flows: Sendable {
        let client: AuthentikClient

        /// Every flow, optionally of one designation (`authorization`, `invalidation`, ...).
        public func list(designation: String? = nil, logger: Logger? = nil) -> PagedSequence<Authentik.Flow> {
            client.list(Authentik.Flow.self, "/flows/instances/", query: designation.map { [("designation", $0)] } ?? [], logger: logger)
        }
    }

    /// Events (`/events/events/`).
    public var events: Events { Events(client: self) }

    /// The audit log.
    public struct Events: Sendable {
        let client: AuthentikClient

        /// The most recent `limit` events, newest first, optionally only those with `action`.
        /// - Throws: ``HomelabError``.
        public func recent(action: Authentik.Event.Action? = nil, limit: Int = 50, logger: Logger? = nil) async throws -> [Authentik.Event] {
            var query = [("ordering", "-created")]
            if let action { query.append(("action", action.rawValue)) }
            var events: [Authentik.Event] = []
            for try await event in client.list(Authentik.Event.self, "/events/events/", query: query, logger: logger) {
                events.append(event)
                if events.count >= limit { break }
            }
            return events
        }
    }
}
