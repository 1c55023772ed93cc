import Yams

extension InventoryDecoder {
    func stack(_ value: YAMLValue) -> DraftStack? {
        guard let fields = reader.fields(value, allowed: ["name", "tier", "services"], required: ["name", "tier", "services"])
        else { return nil }
        let tier = reader.name(fields["tier"], of: "tier")
        let items = reader.list(fields["services"])
        guard let name = reader.name(fields["name"], of: "stack") else { return nil }
        var draft = DraftStack(name: name, tier: tier)
        if let items {
            if items.isEmpty, let services = fields["services"] {
                reader.report("a stack needs at least one service", at: services.mark, path: services.path)
            }
            draft.services = items.compactMap { service($0, stack: name.value, stackTier: tier) }
            draft.servicesComplete = draft.services.count == items.count
        }
        return draft
    }

    func service(_ value: YAMLValue, stack: String, stackTier: Located<String>?) -> DraftService? {
        let keys = [
            "name", "image", "tier", "mode", "replicas", "depends_on", "stateful", "pinned_node", "health_url", "labels", "protected",
        ]
        guard let fields = reader.fields(value, allowed: keys, required: ["name"]) else { return nil }
        let image = imageReference(fields["image"])
        let ownTier = reader.name(fields["tier"], of: "tier")
        let mode = reader.choice(fields["mode"], ModeName.self)
        let replicas = reader.int(fields["replicas"], in: 0...Int.max, what: "a replica count")
        let dependsOn = reader.stringList(fields["depends_on"])
        let stateful = reader.bool(fields["stateful"])
        let pinned = reader.name(fields["pinned_node"], of: "node")
        let health = healthURL(fields["health_url"])
        let serviceLabels = self.labels(fields["labels"])
        let protected = reader.bool(fields["protected"])
        if mode?.value == .global, let replicas {
            reader.report(
                "replicas applies only to replicated services; a global service runs one task per node",
                at: fields.keyMark("replicas"), path: replicas.path)
        }
        guard let name = reader.name(fields["name"], of: "service") else { return nil }

        var draft = DraftService(name: name, stack: stack)
        draft.tier = fields["tier"] == nil ? stackTier : ownTier
        draft.hasOwnTier = fields["tier"] != nil
        draft.dependsOn = dependsOn ?? []
        draft.stateful = stateful
        draft.pinnedNode = pinned
        draft.replicas = replicas
        draft.mode = mode

        let allPresentValid =
            (fields["image"] == nil || image != nil) && (fields["tier"] == nil || ownTier != nil)
            && (fields["mode"] == nil || mode != nil) && (fields["replicas"] == nil || replicas != nil)
            && (fields["depends_on"] == nil || dependsOn?.count == fields["depends_on"].flatMap(reader.listCount))
            && (fields["stateful"] == nil || stateful != nil) && (fields["pinned_node"] == nil || pinned != nil)
            && (fields["health_url"] == nil || health != nil)
            && (fields["labels"] == nil || serviceLabels != nil) && (fields["protected"] == nil || protected != nil)
        if allPresentValid, let tier = draft.tier {
            let resolvedMode: Homelab.Service.Mode =
                mode?.value == .global ? .global : .replicated(replicas?.value ?? 1)
            draft.built = Homelab.Service(
                name: name.value, stack: stack, tier: tier.value, image: image?.value, mode: resolvedMode,
                dependsOn: draft.dependsOn.map(\.value), isStateful: stateful?.value ?? false,
                pinnedNode: pinned?.value, healthURL: health?.value, labels: serviceLabels ?? [:], protected: protected?.value)
        }
        return draft
    }

    /// An image reference: no spaces, no uppercase repository (as Docker requires), not empty.
    func imageReference(_ value: YAMLValue?) -> Located<String>? {
        guard let image = reader.string(value) else { return nil }
        let repository = image.value.split(separator: "@").first.map { part -> Substring in
            // Strip a tag, but not a registry port ("registry:5000/app:1.2").
            if let colon = part.lastIndex(of: ":"), !part[colon...].contains("/") { return part[..<colon] }
            return part
        } ?? ""
        let valid =
            !image.value.contains(where: { $0.isWhitespace }) && !repository.isEmpty
            && !repository.contains(where: { $0.isUppercase })
        guard valid else {
            reader.report(
                "'\(reader.shortened(image.value))' is not a valid image reference (repository[:tag][@digest], lowercase)",
                at: image.mark, path: image.path)
            return nil
        }
        return image
    }

    /// An http(s) URL for health checks.
    func healthURL(_ value: YAMLValue?) -> Located<String>? {
        guard let url = reader.string(value) else { return nil }
        switch AddressSyntax.parseURL(url.value, schemes: ["http", "https"]) {
        case .success: return url
        case .failure(let problem):
            reader.report(problem.message, at: url.mark, path: url.path)
            return nil
        }
    }
}

extension InventoryReader {
    /// The number of items when `value` is a list (for "were all items valid" checks).
    func listCount(_ value: YAMLValue) -> Int? {
        if case .sequence(let sequence) = value.node { return sequence.count }
        return nil
    }
}
