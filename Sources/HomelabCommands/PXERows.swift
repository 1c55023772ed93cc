import Foundation
import HomelabCore

/// One profile in `homelab pxe profiles -o json`.
struct PXEProfileRow: Encodable, Sendable {
    var id: String
    var name: String?
    var kernel: String?
    var initrd: [String]
    var args: [String]
    var ignition_id: String?
    var cloud_id: String?
    var generic_id: String?
    /// The groups that boot it.
    var groups: [String]

    init(key: String, profile: Matchbox.Profile, data: MatchboxData) {
        id = key
        name = profile.name
        kernel = profile.boot?.kernel
        initrd = profile.boot?.initrd ?? []
        args = profile.boot?.args ?? []
        ignition_id = profile.ignitionID
        cloud_id = profile.cloudID
        generic_id = profile.genericID
        groups = data.groupFiles.filter { $0.value.profile == key }.keys.sorted()
    }

    static let table = Table<PXEProfileRow>([
        .init("PROFILE") { .text($0.id) },
        .init("KERNEL") { .text($0.kernel ?? "-") },
        .init("TEMPLATES") {
            .text([$0.ignition_id.map { "ignition/" + $0 }, $0.cloud_id.map { "cloud/" + $0 }, $0.generic_id.map { "generic/" + $0 }]
                .compactMap { $0 }.joined(separator: ",").nonEmpty ?? "-")
        },
        .init("GROUPS") { .text($0.groups.joined(separator: ",").nonEmpty ?? "-") },
        .init("NAME", wide: true) { .text($0.name ?? "-") },
        .init("INITRD", wide: true) { .text($0.initrd.joined(separator: ",").nonEmpty ?? "-") },
        .init("ARGS", wide: true) { .text($0.args.joined(separator: " ")) },
    ])
}

/// One group in `homelab pxe groups -o json`.
struct PXEGroupRow: Encodable, Sendable {
    var id: String
    var name: String?
    var profile: String
    var selector: [String: String]
    /// The inventory node whose `mac` the group selects, if any.
    var node: String?
    var metadata_keys: [String]
    /// Whether its profile exists.
    var profile_exists: Bool

    init(key: String, group: Matchbox.Group, data: MatchboxData, homelab: Homelab) {
        id = key
        name = group.name
        profile = group.profile
        selector = group.selector
        let mac = group.selector.first { $0.key.lowercased() == "mac" }?.value
        node = mac.flatMap { mac in homelab.nodes.first { $0.mac == mac }?.name }
        metadata_keys = group.metadata.keys.sorted()
        profile_exists = data.profile(group.profile) != nil
    }

    static let table = Table<PXEGroupRow>([
        .init("GROUP") { .text($0.id) },
        .init("PROFILE") { .state($0.profile, $0.profile_exists ? .good : .bad) },
        .init("SELECTORS") { .text(Matchbox.Group(id: $0.id, profile: $0.profile, selector: $0.selector).selectorString.nonEmpty ?? "(default)") },
        .init("NODE") { .text($0.node ?? "-") },
        .init("NAME", wide: true) { .text($0.name ?? "-") },
        .init("METADATA", wide: true) { .text($0.metadata_keys.joined(separator: ",").nonEmpty ?? "-") },
    ])
}

/// One problem in `homelab pxe validate -o json`.
struct PXEIssueRow: Encodable, Sendable {
    /// `matchbox`, `dnsmasq` or `inventory`.
    var component: String
    var file: String
    var line: Int?
    var column: Int?
    var key_path: String?
    var severity: String
    var message: String

    init(_ issue: MatchboxIssue) {
        component = "matchbox"
        file = issue.file
        line = issue.line
        column = issue.column
        severity = issue.severity.rawValue
        message = issue.message
    }

    init(_ issue: InventoryIssue, component: String) {
        self.component = component
        file = issue.file
        line = issue.line
        column = issue.column
        key_path = issue.keyPath
        severity = "error"
        message = issue.message
    }

    var place: String {
        [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":") + (key_path.map { " " + $0 } ?? "")
    }

    static let table = Table<PXEIssueRow>([
        .init("SEVERITY") { .state($0.severity, $0.severity == "error" ? .bad : .warning) },
        .init("WHERE") { .text($0.place) },
        .init("PROBLEM") { .text($0.message) },
        .init("COMPONENT", wide: true) { .text($0.component) },
    ])
}

/// `homelab pxe which -o json`: the group a machine gets and why.
struct PXEWhichDocument: Encodable, Sendable {
    /// One group as matchbox tried it.
    struct Candidate: Encodable, Sendable {
        var group: String
        var selector: [String: String]
        /// `chosen`, `outranked` or `mismatch`.
        var outcome: String
        var detail: String
    }

    /// What matchbox's HTTP API answered, when asked.
    struct Served: Encodable, Sendable {
        var url: String
        var kernel: String?
        /// Whether it names the chosen profile's kernel (`nil` when it answered 404 or was not reachable).
        var agrees: Bool?
        var error: String?
    }

    var labels: [String: String]
    var node: String?
    var group: String?
    var profile: String?
    var kernel: String?
    var reason: String
    var candidates: [Candidate]
    var served: Served?
}

extension String {
    /// `nil` when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
