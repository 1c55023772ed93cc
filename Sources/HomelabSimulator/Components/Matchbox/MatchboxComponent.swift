import Foundation
import HomelabCore
import Hummingbird

/// The simulated matchbox on barbary: its read-only HTTP API (`/`, `/boot.ipxe`, `/ipxe`, `/ignition`, `/cloud`,
/// `/generic`, `/metadata`, `/assets/`) over a real data directory in the simulation's directory, re-read on every
/// request as matchbox does, with the same group selection as ``Matchbox/Selection`` and templates rendered by
/// ``Matchbox/Template``. The written inventory names its URL and the data directory as `config_path` (no node:
/// the files are on this machine), so `homelab pxe` and `homelab provision bare-metal` work against it.
///
/// Seeded for the inventory's bare-metal nodes with a `mac:`: the first installs Debian, the others Talos, through
/// the same files `homelab provision bare-metal` writes; the first also gets a more specific `os=installed` group.
struct MatchboxComponent: SimulatedComponent {
    /// The data directory.
    let root: String

    var kind: ComponentKind { .matchbox }

    /// Whether the inventory has matchbox.
    static func isWanted(by homelab: Homelab) -> Bool { homelab.components[.matchbox] != nil }

    /// Creates and seeds the data directory.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the files cannot be written.
    static func make(_ setup: ComponentSetup) async throws -> MatchboxComponent {
        let root = (setup.directory as NSString).appendingPathComponent("matchbox")
        try await MatchboxSeed.write(homelab: setup.homelab, to: root)
        return MatchboxComponent(root: root)
    }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        MatchboxRoutes(directory: MatchboxDataDirectory(store: LocalPXEFileStore(), root: root)).add(to: router)
    }

    /// matchbox answers errors as Go's `http.NotFound` and friends: plain text.
    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        MatchboxRoutes.text(message + "\n", status: status)
    }

    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        ComponentEndpoint(kind: .matchbox, endpoint: listening.urlEndpoint, configPath: root)
    }

    func shutdown() async {}
}

extension HomelabSimulation {
    /// The simulated matchbox's data directory, if the simulation has one.
    public var matchboxDataPath: String? { component(MatchboxComponent.self)?.root }
}
