
/// Resolves every kind of ``CredentialReference``, each one at most once per resolver.
///
/// `env:` and `file:` go to an ``EnvironmentSecretResolver``; `op://` goes to the 1Password resolver given at
/// creation (a 1Password Connect client), else fails saying that none is configured. A resolved secret is kept
/// for the resolver's life (one per process in the frontends), and callers asking for the same reference at the
/// same time share one resolution. Failures are not kept: the next call tries again.
///
/// A resolver made without a 1Password resolver gets one from ``HomelabConnections`` when the inventory has
/// `components.onepassword` (see ``useOnePasswordIfUnset(_:)``), so every `op://` credential of the inventory
/// resolves through Connect.
public actor CompositeSecretResolver: SecretResolver {
    private let local: EnvironmentSecretResolver
    private let onePasswordSlot: Locked<(any SecretResolver)?>
    private var resolved: [CredentialReference: Secret] = [:]
    private var pending: [CredentialReference: Task<Secret, any Error>] = [:]
    private var lookups = 0

    /// A resolver for `env:` and `file:` references over `environment`, and `op://` references through
    /// `onePassword` when given.
    public init(environment: [String: String], onePassword: (any SecretResolver)? = nil) {
        self.local = EnvironmentSecretResolver(environment: environment)
        self.onePasswordSlot = Locked(onePassword)
    }

    /// A resolver over explicit inner resolvers (tests count their calls).
    public init(local: EnvironmentSecretResolver, onePassword: (any SecretResolver)?) {
        self.local = local
        self.onePasswordSlot = Locked(onePassword)
    }

    /// Sets the resolver of `op://` references when none was given; returns whether it was set.
    @discardableResult
    public nonisolated func useOnePasswordIfUnset(_ resolver: any SecretResolver) -> Bool {
        onePasswordSlot.withLock { slot in
            guard slot == nil else { return false }
            slot = resolver
            return true
        }
    }

    /// How many references were actually looked up (cache misses that started a resolution).
    public var resolutions: Int { lookups }

    /// The secret `reference` points to, from the cache when it was resolved before.
    /// - Throws: ``HomelabError/Code/secretUnavailable`` from the inner resolver, or when an `op://` reference
    ///   has no 1Password resolver; `.cancelled` when the caller is cancelled while waiting.
    public func resolve(_ reference: CredentialReference) async throws -> Secret {
        if let secret = resolved[reference] { return secret }
        if let task = pending[reference] { return try await task.value }
        lookups += 1
        let local = self.local
        let onePassword = onePasswordSlot.withLock { $0 }
        let task = Task<Secret, any Error> {
            switch reference.kind {
            case .env, .file:
                return try await local.resolve(reference)
            case .onePassword:
                guard let onePassword else {
                    throw HomelabError(
                        .secretUnavailable,
                        "\(reference) needs 1Password Connect, and no 1Password resolver is configured "
                            + "(components.onepassword with its token, or use env:/file: references)",
                        component: "secrets")
                }
                return try await onePassword.resolve(reference)
            }
        }
        pending[reference] = task
        defer { pending[reference] = nil }
        let secret = try await task.value
        resolved[reference] = secret
        return secret
    }
}
