import Foundation
import HomelabCore
import Hummingbird

/// Routes for the objects services refer to: secrets, configs and networks.
struct DockerObjectRoutes: Sendable {
    let world: DockerWorld

    /// Adds the routes to `router`.
    func add(to router: Router<SimulatorRequestContext>) {
        router.get("secrets") { request, _ in
            DockerJSON.response(try await world.listSecrets(filters: DockerRoutes.query(request, "filters")))
        }
        router.post("secrets/create") { request, _ in
            let id = try await world.createSecret(try await DockerRoutes.body(Swarm.SecretSpec.self, request))
            return DockerJSON.response(Swarm.CreatedObjectID(id: id), status: .created)
        }
        router.get("secrets/:id") { _, context in
            DockerJSON.response(try await world.inspectSecret(try DockerRoutes.parameter(context, "id")))
        }
        router.post("secrets/:id/update") { request, context -> Response in
            let spec = try await DockerRoutes.body(Swarm.SecretSpec.self, request)
            try await world.updateSecret(try DockerRoutes.parameter(context, "id"), version: try DockerRoutes.version(request), spec: spec)
            return DockerRoutes.empty()
        }
        router.delete("secrets/:id") { _, context -> Response in
            try await world.removeSecretOrConfig(try DockerRoutes.parameter(context, "id"), isSecret: true)
            return Response(status: .noContent)
        }
        router.get("configs") { request, _ in
            DockerJSON.response(try await world.listConfigs(filters: DockerRoutes.query(request, "filters")))
        }
        router.post("configs/create") { request, _ in
            let id = try await world.createConfig(try await DockerRoutes.body(Swarm.ConfigSpec.self, request))
            return DockerJSON.response(Swarm.CreatedObjectID(id: id), status: .created)
        }
        router.get("configs/:id") { _, context in
            DockerJSON.response(try await world.inspectConfig(try DockerRoutes.parameter(context, "id")))
        }
        router.post("configs/:id/update") { request, context -> Response in
            let spec = try await DockerRoutes.body(Swarm.ConfigSpec.self, request)
            try await world.updateConfig(try DockerRoutes.parameter(context, "id"), version: try DockerRoutes.version(request), spec: spec)
            return DockerRoutes.empty()
        }
        router.delete("configs/:id") { _, context -> Response in
            try await world.removeSecretOrConfig(try DockerRoutes.parameter(context, "id"), isSecret: false)
            return Response(status: .noContent)
        }
        router.get("networks") { request, _ in
            DockerJSON.response(try await world.listNetworks(filters: DockerRoutes.query(request, "filters")))
        }
        router.get("networks/:id") { _, context in
            DockerJSON.response(try await world.network(try DockerRoutes.parameter(context, "id")))
        }
        router.post("networks/create") { request, _ in
            let id = try await world.createNetwork(try await DockerRoutes.body(Swarm.NetworkCreateRequest.self, request))
            return DockerJSON.response(Swarm.NetworkCreateResponse(id: id, warning: ""), status: .created)
        }
        router.delete("networks/:id") { _, context -> Response in
            try await world.removeNetwork(try DockerRoutes.parameter(context, "id"))
            return Response(status: .noContent)
        }
    }
}

extension DockerWorld {
    /// `GET /secrets?filters=` (never with data).
    /// - Throws: ``DockerAPIError`` 400 for bad filters.
    func listSecrets(filters text: String?) throws -> [Swarm.Secret] {
        let filters = try DockerFilters(text, accepted: ["id", "label", "name", "names"])
        return secrets.filter { matches(filters, id: $0.id, name: $0.spec?.name, labels: $0.spec?.labels) }
    }

    /// `GET /secrets/{id}`.
    /// - Throws: ``DockerAPIError`` 404 for an unknown secret.
    func inspectSecret(_ text: String) throws -> Swarm.Secret { secrets[try secretPosition(text)] }

    /// `GET /configs?filters=`.
    /// - Throws: ``DockerAPIError`` 400 for bad filters.
    func listConfigs(filters text: String?) throws -> [Swarm.Config] {
        let filters = try DockerFilters(text, accepted: ["id", "label", "name", "names"])
        return configs.filter { matches(filters, id: $0.id, name: $0.spec?.name, labels: $0.spec?.labels) }
    }

    /// `GET /configs/{id}`.
    /// - Throws: ``DockerAPIError`` 404 for an unknown config.
    func inspectConfig(_ text: String) throws -> Swarm.Config { configs[try configPosition(text)] }
}
