import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `--config PATH`: the inventory every command that talks to the homelab reads.
public struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Inventory file (homelab.yaml); defaults to $HOMELAB_CONFIG, then ./homelab.yaml.")
    public var config: String?

    @Flag(name: .long, help: "Log requests (redacted) to standard error.")
    public var verbose = false

    public init() {}

    /// The inventory path in force.
    public var path: String {
        config ?? ProcessInfo.processInfo.environment["HOMELAB_CONFIG"] ?? "homelab.yaml"
    }
}

/// What a command needs to talk to the homelab: the inventory, the shared transport, the swarm client.
public struct HomelabContext: Sendable {
    public let homelab: Homelab
    public let transport: CurlTransport
    public let swarm: SwarmClient
    public let logger: Logger?

    /// Loads the inventory and connects (lazily) to its Docker endpoint.
    /// - Throws: the inventory's located errors; `.invalidConfiguration` without a usable docker endpoint.
    public static func load(_ options: ConfigOptions) throws -> HomelabContext {
        let homelab = try InventoryLoader.load(path: options.path)
        var logger: Logger?
        if options.verbose {
            var l = Logger(label: "homelab")
            l.logLevel = .debug
            logger = l
        }
        guard let docker = homelab.components[.docker], let endpoint = docker.endpoint, docker.sshTunnel == nil else {
            throw HomelabError(
                .invalidConfiguration,
                "\(options.path): components.docker needs a url or socket (an ssh tunnel is not supported by this command yet)")
        }
        let transport = try CurlTransport()
        return HomelabContext(
            homelab: homelab, transport: transport, swarm: SwarmClient(transport: transport, endpoint: endpoint), logger: logger)
    }
}
