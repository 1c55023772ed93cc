import HomelabCore

extension HomelabSimulation {
    /// The simulated swarm (update journals, counts), found through the component registry; `nil` when the
    /// simulation has no Docker component.
    public var dockerWorld: DockerWorld? { component(DockerComponent.self)?.world }
}

extension SimulatedEndpoints {
    /// The Docker Engine API's unix socket path (`DOCKER_HOST=unix://<path>`); empty without Docker.
    public var dockerSocket: String { listening[.docker]?.socketPath ?? "" }

    /// The Docker Engine API on 127.0.0.1: `http://127.0.0.1:<port>` (`https://` over TLS); empty without Docker.
    public var dockerTCP: String { listening[.docker]?.url ?? "" }
}
