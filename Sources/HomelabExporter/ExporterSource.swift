import HomelabCommands
import HomelabCore

/// Where the exporter opens the homelab's components: through ``HomelabConnections``, as the CLI does (credentials
/// from the environment and `file:` references, SSH tunnels checked against `$HOMELAB_KNOWN_HOSTS`, else
/// `~/.ssh/known_hosts`).
enum ExporterSource {
    /// The connections for the inventory at `options`, opening nothing yet.
    /// - Throws: the inventory's located errors.
    static func open(_ options: ConfigOptions, environment: [String: String], journal: RolloutJournal?) throws -> ConnectionsMetricsSource {
        ConnectionsMetricsSource(connections: try HomelabContext.connect(options, environment: environment), journal: journal)
    }
}
