import Foundation
import Logging

/// The provisioning step of a `bare-metal` node: register it for network boot. Its MAC (the inventory's `mac:`)
/// gets a matchbox group (`groups/<node>.json`, selector `mac`) pointing at an install profile (Debian's
/// network installer with a preseed, or Talos), and dnsmasq's configuration is regenerated with the node's
/// `dhcp-host` entry. Everything is validated together before anything is written: the data directory as it would
/// be (every group's profile exists, no two groups with the same selectors, the templates render for the node),
/// and the dnsmasq file against the TFTP root.
///
/// ``plan(_:)`` reads and validates only (a dry run with a diff per file); ``apply(_:)`` writes a plan's files.
public struct BareMetalProvisioning: Sendable {
    /// What the node installs.
    public enum OperatingSystem: String, Sendable, Hashable, CaseIterable {
        /// Debian's network installer (`linux` + `initrd.gz` from `netboot.tar.gz`), answered by a preseed template.
        case debian
        /// Talos Linux (`vmlinuz-amd64` + `initramfs-amd64.xz`), configured from a generic template the operator
        /// puts in place (a machine config holds cluster secrets, which this SDK does not carry).
        case talos
    }

    /// What to register.
    public struct Request: Sendable {
        /// The node (`platform: bare-metal`, with `mac:`).
        public var node: Homelab.Node
        /// Debian or Talos.
        public var operatingSystem: OperatingSystem
        /// Public keys (OpenSSH lines) the installed system authorizes for the node's SSH user.
        public var authorizedKeys: [String]
        /// The Debian release whose installer is under `assets/debian/<release>/`.
        public var debianRelease: String
        /// The Talos version whose kernel and initramfs are under `assets/talos/<version>/`.
        public var talosVersion: String

        /// A request; see each property.
        public init(
            node: Homelab.Node, operatingSystem: OperatingSystem, authorizedKeys: [String] = [], debianRelease: String = "bookworm",
            talosVersion: String = "v1.11.5"
        ) {
            self.node = node
            self.operatingSystem = operatingSystem
            self.authorizedKeys = authorizedKeys
            self.debianRelease = debianRelease
            self.talosVersion = talosVersion
        }
    }

    /// One file a plan writes.
    public struct FileChange: Sendable, Hashable {
        /// `matchbox` or `dnsmasq`.
        public var component: String
        /// The path relative to matchbox's data directory, or dnsmasq's absolute config path.
        public var path: String
        /// The current text, `nil` for a new file.
        public var before: String?
        /// The text to write.
        public var after: String

        /// Whether writing it changes anything.
        public var changes: Bool { before != after }
        /// A unified diff (empty without a change).
        public var diff: String { changes ? FileDiff.unified(before, after, path: path) : "" }
    }

    /// A dry run's outcome: the files and every problem found.
    public struct Plan: Sendable {
        /// The request planned.
        public var request: Request
        /// The files, matchbox's first, then dnsmasq's.
        public var files: [FileChange]
        /// Problems in matchbox's data directory as it would be (errors block ``apply(_:)``).
        public var matchboxIssues: [MatchboxIssue]
        /// Problems with the dnsmasq configuration (boot files missing from the TFTP root): they block too.
        public var dnsmasqIssues: [InventoryIssue]
        /// Why dnsmasq's file is not part of the plan (no `components.dnsmasq`), if so.
        public var dnsmasqSkipped: String?

        /// Whether nothing blocks writing: no dnsmasq problem, and no matchbox error in (or naming) a file the plan
        /// writes. Errors elsewhere in the data directory were there before and are reported, not blocking.
        public var isValid: Bool { blockingIssues.isEmpty && dnsmasqIssues.isEmpty }

        /// The matchbox errors in or about the plan's own files.
        public var blockingIssues: [MatchboxIssue] {
            let paths = files.filter { $0.component == "matchbox" }.map(\.path)
            return matchboxIssues.filter { issue in
                issue.severity == .error && paths.contains { issue.file == $0 || issue.message.contains($0) }
            }
        }
    }

    let homelab: Homelab
    let matchbox: MatchboxDataDirectory
    let dnsmasq: (store: any PXEFileStore, path: String)?
    let logger: Logger?

    /// Provisioning into `matchbox`'s data directory and, when given, dnsmasq's file (its store also holds the TFTP
    /// root).
    public init(homelab: Homelab, matchbox: MatchboxDataDirectory, dnsmasq: (store: any PXEFileStore, path: String)?, logger: Logger? = nil) {
        self.homelab = homelab
        self.matchbox = matchbox
        self.dnsmasq = dnsmasq
        self.logger = logger
    }

    /// The matchbox files for `request`: the install profile, the node's group, and (Debian) the preseed template.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a node that is not bare-metal, has no `mac:`, or a
    ///   homelab without a `pxe:` block (its `matchbox_url` goes into the kernel arguments).
    public func matchboxFiles(_ request: Request) throws -> (profile: Matchbox.Profile, group: Matchbox.Group, templates: [String: String]) {
        let node = request.node
        guard node.platform == .bareMetal, let mac = node.mac else {
            throw HomelabError(
                .invalidConfiguration, "node \(node.name) is not a bare-metal node with a mac: (platform \(node.platform.rawValue))",
                component: "matchbox")
        }
        guard let pxe = homelab.pxe else {
            throw HomelabError(.invalidConfiguration, "the inventory has no pxe: block (its matchbox_url is the machines' view)", component: "matchbox")
        }
        let base = pxe.matchboxURL.hasSuffix("/") ? String(pxe.matchboxURL.dropLast()) : pxe.matchboxURL
        let metadata: [String: JSONValue] = [
            "hostname": .string(node.name),
            "address": .string(node.address),
            "ssh_user": .string(node.ssh.user),
            "ssh_authorized_keys": .array(request.authorizedKeys.map { .string($0) }),
            "matchbox_url": .string(base),
        ]
        let profile: Matchbox.Profile
        var templates: [String: String] = [:]
        switch request.operatingSystem {
        case .debian:
            let release = request.debianRelease
            profile = Matchbox.Profile(
                id: "debian-\(release)-install", name: "Debian \(release) network install (preseeded)",
                boot: Matchbox.NetBoot(
                    kernel: "/assets/debian/\(release)/linux", initrd: ["/assets/debian/\(release)/initrd.gz"],
                    args: [
                        "initrd=initrd.gz", "auto=true", "priority=critical", "url=\(base)/generic?mac=${mac:hexhyp}",
                        "netcfg/choose_interface=auto", "console=tty0", "console=ttyS0,115200n8",
                    ]),
                genericID: "debian-preseed.cfg")
            templates["generic/debian-preseed.cfg"] = Self.debianPreseed
        case .talos:
            let version = request.talosVersion
            profile = Matchbox.Profile(
                id: "talos-\(version)", name: "Talos \(version)",
                boot: Matchbox.NetBoot(
                    kernel: "/assets/talos/\(version)/vmlinuz-amd64", initrd: ["/assets/talos/\(version)/initramfs-amd64.xz"],
                    args: [
                        "initrd=initramfs-amd64.xz", "init_on_alloc=1", "slab_nomerge", "pti=on", "console=tty0", "console=ttyS0",
                        "printk.devkmsg=on", "talos.platform=metal", "talos.config=\(base)/generic?mac=${mac:hexhyp}",
                    ]),
                genericID: "talos-\(node.name).yaml")
        }
        let group = Matchbox.Group(
            id: node.name, name: "\(node.name) (\(request.operatingSystem.rawValue) install)", profile: profile.id,
            selector: ["mac": mac], metadata: metadata)
        return (profile, group, templates)
    }

    /// Reads the current files and validates the result: nothing is written.
    /// - Throws: as ``matchboxFiles(_:)``; the stores' errors.
    public func plan(_ request: Request) async throws -> Plan {
        let (profile, group, templates) = try matchboxFiles(request)
        let current = try await matchbox.load()
        var files: [String: [UInt8]] = [:]
        func reencode(_ data: MatchboxData) throws {
            for (key, value) in data.profileFiles { files["profiles/\(key).json"] = try MatchboxData.encode(value) }
            for (key, value) in data.groupFiles { files["groups/\(key).json"] = try MatchboxData.encode(value) }
            for (path, text) in data.templates { files[path] = Array(text.utf8) }
        }
        try reencode(current)
        var changes: [FileChange] = []
        func change(_ path: String, _ after: [UInt8], existing: String?) {
            changes.append(FileChange(component: "matchbox", path: path, before: existing, after: String(decoding: after, as: UTF8.self)))
            files[path] = after
        }
        let profilePath = "profiles/\(profile.id).json"
        let groupPath = "groups/\(group.id).json"
        change(profilePath, try MatchboxData.encode(profile), existing: try await text(matchboxPath: profilePath))
        change(groupPath, try MatchboxData.encode(group), existing: try await text(matchboxPath: groupPath))
        for (path, text) in templates.sorted(by: { $0.key < $1.key }) {
            change(path, Array(text.utf8), existing: current.templates[path])
        }
        let future = MatchboxData(files: files, assets: current.assets)
        let matchboxIssues = future.validate()

        var dnsmasqIssues: [InventoryIssue] = []
        var skipped: String?
        if let dnsmasq {
            let configuration = try DnsmasqConfiguration(homelab: homelab)
            let before = try await dnsmasq.store.read(dnsmasq.path).map { String(decoding: $0, as: UTF8.self) }
            changes.append(FileChange(component: "dnsmasq", path: dnsmasq.path, before: before, after: configuration.render()))
            let tftp = try await dnsmasq.store.list(configuration.settings.tftpRoot)
            dnsmasqIssues = configuration.check(tftpFiles: tftp)
        } else {
            skipped = "the inventory has no components.dnsmasq (node, config_path): its file is not written"
        }
        return Plan(request: request, files: changes, matchboxIssues: matchboxIssues, dnsmasqIssues: dnsmasqIssues, dnsmasqSkipped: skipped)
    }

    /// Writes the plan's changed files: matchbox's first (templates, profile, then the group that makes the node
    /// boot it), dnsmasq's last.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` for a plan with errors (nothing is written); the
    ///   stores' errors.
    /// - Returns: the files written.
    @discardableResult
    public func apply(_ plan: Plan) async throws -> [FileChange] {
        guard plan.isValid else {
            let first = plan.blockingIssues.first?.description ?? plan.dnsmasqIssues.first?.description ?? ""
            throw HomelabError(.invalidConfiguration, "the plan for \(plan.request.node.name) has problems, nothing written: \(first)", component: "matchbox")
        }
        let order: (FileChange) -> Int = { change in
            if change.component == "dnsmasq" { return 3 }
            if change.path.hasPrefix("groups/") { return 2 }
            if change.path.hasPrefix("profiles/") { return 1 }
            return 0
        }
        var written: [FileChange] = []
        for change in plan.files.filter(\.changes).sorted(by: { order($0) < order($1) }) {
            if change.component == "dnsmasq", let dnsmasq {
                try await dnsmasq.store.write(dnsmasq.path, Array(change.after.utf8))
            } else {
                try await matchbox.writeFile(change.path, Array(change.after.utf8))
            }
            logger?.info("wrote \(change.component) \(change.path)")
            written.append(change)
        }
        return written
    }

    private func text(matchboxPath path: String) async throws -> String? {
        try await matchbox.store.read(PXEPath.join(matchbox.root, path)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The preseed the Debian profile's generic template renders per node (group metadata: hostname, ssh_user,
    /// ssh_authorized_keys, matchbox_url). Root login is disabled; the user gets the keys and passwordless sudo.
    static let debianPreseed = """
        # Debian preseed rendered by matchbox for {{.hostname}} ({{.mac}}); written by `homelab provision bare-metal`.
        d-i debian-installer/locale string en_US.UTF-8
        d-i keyboard-configuration/xkb-keymap select us
        d-i netcfg/choose_interface select auto
        d-i netcfg/get_hostname string {{.hostname}}
        d-i netcfg/hostname string {{.hostname}}
        d-i mirror/country string manual
        d-i mirror/http/hostname string deb.debian.org
        d-i mirror/http/directory string /debian
        d-i mirror/http/proxy string
        d-i passwd/root-login boolean false
        d-i passwd/user-fullname string {{.ssh_user}}
        d-i passwd/username string {{.ssh_user}}
        d-i passwd/user-password-crypted password !
        d-i clock-setup/utc boolean true
        d-i time/zone string Etc/UTC
        d-i partman-auto/method string lvm
        d-i partman-auto/choose_recipe select atomic
        d-i partman-lvm/confirm boolean true
        d-i partman-lvm/confirm_nooverwrite boolean true
        d-i partman/confirm_write_new_label boolean true
        d-i partman/choose_partition select finish
        d-i partman/confirm boolean true
        d-i partman/confirm_nooverwrite boolean true
        tasksel tasksel/first multiselect standard, ssh-server
        d-i pkgsel/include string sudo curl
        d-i grub-installer/only_debian boolean true
        d-i grub-installer/bootdev string default
        d-i preseed/late_command string \\
            in-target install -d -m 700 -o {{.ssh_user}} -g {{.ssh_user}} /home/{{.ssh_user}}/.ssh; \\
        {{- range $key := .ssh_authorized_keys}}
            echo '{{$key}}' >> /target/home/{{$.ssh_user}}/.ssh/authorized_keys; \\
        {{- end}}
            in-target chown {{.ssh_user}}: /home/{{.ssh_user}}/.ssh/authorized_keys; \\
            echo '{{.ssh_user}} ALL=(ALL) NOPASSWD:ALL' > /target/etc/sudoers.d/{{.ssh_user}}
        d-i finish-install/reboot_in_progress note

        """
}
