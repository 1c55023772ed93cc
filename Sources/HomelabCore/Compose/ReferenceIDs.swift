extension Swarm.ServiceSpec {
    /// The spec with the ID of every secret and config reference filled in from `name → ID` maps, as Docker
    /// requires before it creates or updates a service (``ComposeConverter`` knows names only). IDs already
    /// present are kept.
    /// - Throws: ``HomelabError/Code/notFound`` naming every secret or config that is missing from the maps
    ///   (create them first; external ones must already exist).
    public func resolvingReferences(secretIDs: [String: String], configIDs: [String: String]) throws -> Swarm.ServiceSpec {
        var spec = self
        var missing: [String] = []
        var container = taskTemplate?.containerSpec
        let secrets = container?.secrets?.map { reference -> Swarm.SecretReference in
            var reference = reference
            if reference.secretID == nil, let name = reference.secretName {
                if let id = secretIDs[name] { reference.secretID = id } else { missing.append("secret '\(name)'") }
            }
            return reference
        }
        let configs = container?.configs?.map { reference -> Swarm.ConfigReference in
            var reference = reference
            if reference.configID == nil, let name = reference.configName {
                if let id = configIDs[name] { reference.configID = id } else { missing.append("config '\(name)'") }
            }
            return reference
        }
        container?.secrets = secrets
        container?.configs = configs
        spec.taskTemplate?.containerSpec = container
        guard missing.isEmpty else {
            throw HomelabError(
                .notFound, "service '\(name ?? "?")' refers to \(missing.joined(separator: ", ")), which do not exist",
                component: "compose")
        }
        return spec
    }
}
