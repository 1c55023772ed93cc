extension Homelab {
    /// The `required_labels:` prefixes (`homepage`, `kuma`) that `labels` carry no label under (a key equal to the
    /// prefix or starting with `prefix.`), in inventory order. `homelab lint` asks it of a stack file's
    /// `deploy.labels`, `homelab check` of the live Swarm service's labels.
    public func missingLabelPrefixes(in labels: [String: String]) -> [String] {
        requiredLabels.filter { prefix in !labels.keys.contains { $0 == prefix || $0.hasPrefix(prefix + ".") } }
    }
}
