import Logging

extension HomelabConnections {
    /// Joins `components.onepassword` to a ``CompositeSecretResolver`` given without a 1Password resolver: its
    /// `op://` references then resolve through these connections' Connect client (opened on the first one, its own
    /// token an `env:`/`file:` reference, as the inventory requires). One ``OnePasswordSecretResolver`` per
    /// connections: each item is fetched once per run.
    static func joinOnePassword(homelab: Homelab, secrets: any SecretResolver, connections: WeakConnections, logger: Logger?) {
        guard homelab.components[.onepassword] != nil, let composite = secrets as? CompositeSecretResolver else { return }
        composite.useOnePasswordIfUnset(
            OnePasswordSecretResolver(logger: logger) {
                guard let open = connections.value else {
                    throw HomelabError(.cancelled, "the homelab's connections were closed", component: "onepassword")
                }
                return try await open.onePassword()
            })
    }
}

/// A weak reference to the connections, so that the resolver they own does not keep them alive.
final class WeakConnections: Sendable {
    private let reference: Locked<Weak>

    private struct Weak: Sendable {
        weak var value: HomelabConnections?
    }

    init(_ connections: HomelabConnections) { reference = Locked(Weak(value: connections)) }

    var value: HomelabConnections? { reference.withLock { $0.value } }
}
