import Foundation
import Logging

/// matchbox's state as metric families: whether each bare-metal node (by its inventory `mac:`) would network-boot
/// a kernel (its `/ipxe` answers a script with one), and the number of profiles and groups when the data directory
/// is on this machine (over SSH a scrape would cost a session, so they are left out).
///
/// `homelab_up{component="matchbox"}` is the collector's own: 1 when `GET /` answered `matchbox` within the deadline.
public enum MatchboxMetrics {
    /// What one collection read.
    public struct Reading: Sendable, Hashable {
        /// Node name -> whether `/ipxe?mac=` answered a script with a kernel.
        public var bootable: [String: Bool]
        /// Profiles in the data directory, when read.
        public var profiles: Int?
        /// Groups in the data directory, when read.
        public var groups: Int?

        /// A reading.
        public init(bootable: [String: Bool], profiles: Int? = nil, groups: Int? = nil) {
            self.bootable = bootable
            self.profiles = profiles
            self.groups = groups
        }
    }

    /// Pings matchbox, asks `/ipxe` for every bare-metal node with a MAC, and counts a local data directory's files.
    /// - Throws: ``HomelabError/Code/decodingFailed`` when `/` does not answer `matchbox`; transport errors.
    public static func read(
        _ matchbox: MatchboxClient, homelab: Homelab, directory: MatchboxDataDirectory?, logger: Logger? = nil
    ) async throws -> Reading {
        guard try await matchbox.ping(logger: logger) else {
            throw HomelabError(.decodingFailed, "GET / did not answer 'matchbox'", component: "matchbox")
        }
        var bootable: [String: Bool] = [:]
        for node in homelab.nodes where node.platform == .bareMetal {
            guard let mac = node.mac else { continue }
            do {
                bootable[node.name] = try await matchbox.ipxe(MatchboxClient.Labels(mac: mac), logger: logger).kernel?.isEmpty == false
            } catch let error as HomelabError where error.code == .notFound {
                bootable[node.name] = false
            }
        }
        var reading = Reading(bootable: bootable)
        if let directory, directory.store is LocalPXEFileStore {
            let data = try await directory.load()
            reading.profiles = data.profileFiles.count
            reading.groups = data.groupFiles.count
        }
        return reading
    }

    /// The families for one reading.
    public static func families(_ reading: Reading) -> [MetricFamily] {
        var bootable = MetricFamily(
            "homelab_matchbox_node_bootable", help: "1 when matchbox's /ipxe answers the bare-metal node's MAC with a kernel, else 0.")
        for (node, value) in reading.bootable.sorted(by: { $0.key < $1.key }) { bootable.add(value ? 1 : 0, ["node": node]) }
        var families = [bootable]
        if let profiles = reading.profiles {
            var family = MetricFamily("homelab_matchbox_profiles", help: "Profiles in matchbox's data directory.")
            family.add(Double(profiles), [:])
            families.append(family)
        }
        if let groups = reading.groups {
            var family = MetricFamily("homelab_matchbox_groups", help: "Groups in matchbox's data directory.")
            family.add(Double(groups), [:])
            families.append(family)
        }
        return families
    }
}
