import Foundation
import Logging

extension SwarmClient {
    /// Swarm services: list, inspect, create, update, modify (read-modify-write with retries), rollback, remove, logs.
    public struct Services: Sendable {
        let client: SwarmClient

        /// The services (`GET /services`). With `status` (the default) each carries ``ServiceStatus``
        /// (running and desired task counts), which costs the engine a scan of the tasks.
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func list(filters: Swarm.Filters = Swarm.Filters(), status: Bool = true, logger: Logger? = nil) async throws
            -> [Swarm.Service]
        {
            var query = filters.queryItems
            if status { query.append(("status", "true")) }
            return try await client.rest.get([Swarm.Service].self, "/services", query: query, logger: logger)
        }

        /// The services as a listing shows them (`GET /services`, the same request as ``list(filters:status:logger:)``):
        /// ID, version, times, name, labels, mode, image, published ports and the status counts, without the rest of
        /// each spec. The answer is still checked whole as JSON; only the summary's fields are read, which makes this
        /// several times cheaper than the full models for a large swarm (`Benchmarks/SwarmListing`).
        /// - Throws: ``HomelabError/Code/notSwarmManager`` on a worker or outside a swarm; other ``HomelabError``s.
        public func summaries(filters: Swarm.Filters = Swarm.Filters(), status: Bool = true, logger: Logger? = nil) async throws
            -> [Swarm.ServiceSummary]
        {
            var query = filters.queryItems
            if status { query.append(("status", "true")) }
            return try await client.rest.get([Swarm.ServiceSummary].self, "/services", query: query, logger: logger)
        }

        /// One service by ID or name (`GET /services/{id}`). `insertDefaults` fills in the engine's defaults.
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such service; other ``HomelabError``s.
        public func inspect(_ id: String, insertDefaults: Bool = false, logger: Logger? = nil) async throws -> Swarm.Service {
            try await inspectWithRaw(id, insertDefaults: insertDefaults, logger: logger).service
        }

        /// Creates a service (`POST /services/create`). The image is used as given: nothing resolves it against a
        /// registry. The answer has no version; inspect the service before updating it.
        /// - Throws: ``HomelabError/Code/conflict`` when the name is taken; other ``HomelabError``s.
        public func create(_ spec: Swarm.ServiceSpec, logger: Logger? = nil) async throws -> Swarm.ServiceCreateResponse {
            let response = try await client.rest.post("/services/create", json: spec, logger: logger)
            return try client.rest.decode(Swarm.ServiceCreateResponse.self, response.body, path: "/services/create")
        }

        /// Replaces a service's spec whole (`POST /services/{id}/update?version=`). It is not a merge: send the
        /// full spec. Prefer ``modify(_:maxAttempts:logger:_:)``, which reads, changes and retries for you.
        /// - Throws: ``HomelabError/Code/outOfSequence`` when `version` is stale; other ``HomelabError``s.
        @discardableResult
        public func update(
            _ id: String, version: Swarm.ObjectVersion, spec: Swarm.ServiceSpec, logger: Logger? = nil
        ) async throws -> Swarm.ServiceUpdateResponse {
            let path = "/services/\(try client.rest.pathComponent(id, what: "service"))/update"
            return try await submit(path, version: version, body: try client.rest.encode(spec, path: path), logger: logger)
        }

        /// Reads the service, lets `change` edit its spec, and submits it; when the engine answers "update out of
        /// sequence" (the service changed in between) it reads again and re-applies `change`, at most `maxAttempts`
        /// times in all. Spec fields this SDK does not model are kept as the engine sent them. When `change` leaves
        /// the spec as it was, nothing is submitted and the answer is empty.
        /// - Throws: ``HomelabError/Code/outOfSequence`` when every attempt conflicted; whatever `change` throws;
        ///   other ``HomelabError``s.
        @discardableResult
        public func modify(
            _ id: String, maxAttempts: Int = 5, logger: Logger? = nil,
            _ change: (inout Swarm.ServiceSpec) async throws -> Void
        ) async throws -> Swarm.ServiceUpdateResponse {
            let path = "/services/\(try client.rest.pathComponent(id, what: "service"))/update"
            return try await OptimisticUpdate.docker(maxAttempts: maxAttempts).run("service \(id)", component: "docker", logger: logger) {
                let (service, rawSpec) = try await inspectWithRaw(id, insertDefaults: false, logger: logger)
                guard let original = service.spec, let version = service.version else {
                    throw HomelabError(.decodingFailed, "service \(id) was returned without a spec or version", component: "docker")
                }
                var spec = original
                try await change(&spec)
                if spec == original { return Swarm.ServiceUpdateResponse(warnings: []) }
                let body = try UnknownFields.preserving(spec, raw: rawSpec, path: path, component: "docker")
                return try await submit(path, version: version, body: body, logger: logger)
            }
        }

        /// Rolls the service back to its previous spec (`POST /services/{id}/update?rollback=previous`); the
        /// rollback then runs under the restored spec's rollback config. Retries when the service changes meanwhile.
        /// - Throws: ``HomelabError/Code/invalidArgument`` when the service has no previous spec; other ``HomelabError``s.
        @discardableResult
        public func rollback(_ id: String, maxAttempts: Int = 5, logger: Logger? = nil) async throws -> Swarm.ServiceUpdateResponse {
            let path = "/services/\(try client.rest.pathComponent(id, what: "service"))/update"
            return try await OptimisticUpdate.docker(maxAttempts: maxAttempts).run("service \(id)", component: "docker", logger: logger) {
                let (service, rawSpec) = try await inspectWithRaw(id, insertDefaults: false, logger: logger)
                guard service.previousSpec != nil else {
                    throw HomelabError(
                        .invalidArgument, "service \(id) has no previous spec to roll back to", component: "docker")
                }
                guard let spec = service.spec, let version = service.version else {
                    throw HomelabError(.decodingFailed, "service \(id) was returned without a spec or version", component: "docker")
                }
                // The engine swaps in the previous spec and ignores the body, but it must still be a valid spec.
                let body = try UnknownFields.preserving(spec, raw: rawSpec, path: path, component: "docker")
                return try await submit(path, version: version, body: body, extraQuery: [("rollback", "previous")], logger: logger)
            }
        }

        /// Removes a service (`DELETE /services/{id}`); its tasks are stopped.
        /// - Throws: ``HomelabError/Code/notFound`` when there is no such service; other ``HomelabError``s.
        public func remove(_ id: String, logger: Logger? = nil) async throws {
            _ = try await client.rest.call(.delete, "/services/\(try client.rest.pathComponent(id, what: "service"))", logger: logger)
        }

        /// The service as decoded, plus its `Spec` as raw JSON (to keep fields the model does not know).
        func inspectWithRaw(_ id: String, insertDefaults: Bool, logger: Logger?) async throws -> (service: Swarm.Service, rawSpec: Any?) {
            let path = "/services/\(try client.rest.pathComponent(id, what: "service"))"
            let query = insertDefaults ? [("insertDefaults", "true")] : []
            let response = try await client.rest.call(.get, path, query: query, logger: logger)
            let service = try client.rest.decode(Swarm.Service.self, response.body, path: path)
            let raw = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
            return (service, raw?["Spec"])
        }

        private func submit(
            _ path: String, version: Swarm.ObjectVersion, body: [UInt8], extraQuery: [(String, String)] = [], logger: Logger?
        ) async throws -> Swarm.ServiceUpdateResponse {
            let response = try await client.rest.call(
                .post, path, query: [("version", String(version.index))] + extraQuery, body: body,
                headers: ["Content-Type": "application/json"], logger: logger)
            if response.body.isEmpty { return Swarm.ServiceUpdateResponse() }
            return try client.rest.decode(Swarm.ServiceUpdateResponse.self, response.body, path: path)
        }
    }

    /// Swarm services.
    public var services: Services { Services(client: self) }
}
