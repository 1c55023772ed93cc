import HomelabCore

/// Where the exporter opens the homelab's components: the one place to switch to the homelab's connection layer
/// (credentials, SSH tunnels) when it is there.
enum ExporterSource {
    /// The source for `homelab`, on the shared `transport`.
    static func open(homelab: Homelab, transport: CurlTransport, journal: RolloutJournal?) -> any MetricsSource {
        InventoryMetricsSource(homelab: homelab, transport: transport, journal: journal)
    }
}
