import Foundation
import HomelabCore
import Testing

/// The inventory's `provision:` blocks: the shared setup steps and a node's own (`host_key`, `steps`, `skip`).
@Suite("Inventory: provision blocks decode into setup steps, with located errors")
struct ProvisionInventoryTests {
    static let hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabTestKeyOnlyForProvisioningAA"

    static func inventory(shared: String, node: String = "") -> String {
        """
        version: 1
        name: lab
        nodes:
          - name: barbary
            role: manager
            platform: truenas
            address: 192.0.2.1
          - name: dhow
            role: worker
            platform: bare-metal
            address: 192.0.2.22
            mac: "52:54:00:a1:00:22"
            labels: { media: "true" }
        \(node)
        tiers: [base]
        stacks: []
        \(shared)

        """
    }

    @Test("without a provision block every node gets the default steps: packages, the Docker engine, sshd hardening")
    func defaults() throws {
        let homelab = try InventoryLoader.load(yaml: Self.inventory(shared: ""))
        let dhow = try #require(homelab.node(named: "dhow"))
        #expect(homelab.provisionSteps(for: dhow).map(\.name) == ["packages", "docker-engine", "sshd-hardening"])
        #expect(homelab.provisionSteps(for: dhow).allSatisfy { !$0.check.isEmpty && !$0.apply.isEmpty })
    }

    @Test("shared steps in order, shortcuts expanded; a node skips one, adds its own and gives its host key")
    func sharedAndNodeSteps() throws {
        let yaml = Self.inventory(
            shared: """
                provision:
                  steps:
                    - name: packages
                      packages: [curl, nfs-common]
                    - name: media
                      nfs_mount: { source: "barbary:/mnt/tank/media", path: /mnt/media, options: "rw,noatime" }
                    - name: sshd
                      sshd: { PasswordAuthentication: no, PermitRootLogin: "no" }
                    - name: docker
                      check: docker info
                      apply: sudo -n apt-get install -y docker.io
                      timeout: 900
                """,
            node: """
                    provision:
                      host_key: \(Self.hostKey)
                      skip: [media]
                      steps:
                        - { name: gpu, check: "test -e /dev/dri/renderD128", apply: "sudo -n modprobe i915" }
                """)
        let homelab = try InventoryLoader.load(yaml: yaml)
        let dhow = try #require(homelab.node(named: "dhow"))
        let steps = homelab.provisionSteps(for: dhow)
        #expect(steps.map(\.name) == ["packages", "sshd", "docker", "gpu"])
        #expect(steps[0].check == "dpkg -s curl nfs-common >/dev/null 2>&1")
        #expect(steps[1].check.contains("grep -qix 'passwordauthentication no'"), "an unquoted YAML no is the word no, not false")
        #expect(steps[2].timeoutSeconds == 900 && steps[2].apply == "sudo -n apt-get install -y docker.io")
        #expect(dhow.provision?.hostKey == Self.hostKey)
        let barbary = try #require(homelab.node(named: "barbary"))
        #expect(homelab.provisionSteps(for: barbary).map(\.name) == ["packages", "media", "sshd", "docker"])
        #expect(homelab.provisionSteps(for: barbary)[1].apply.contains("barbary:/mnt/tank/media /mnt/media nfs rw,noatime 0 0"))
    }

    @Test("problems are reported at their line and key path", arguments: [
        ("    - { name: a, check: x }", "steps[0].apply", "needs an apply command"),
        ("    - { name: a, check: x, apply: y, packages: [z] }", "steps[0]", "this one has check and packages"),
        ("    - { name: a, packages: [curl], apply: y }", "steps[0].apply", "apply goes with check"),
        ("    - { name: a, packages: [\"curl; rm -rf /\"] }", "steps[0].packages[0]", "is not a Debian package name"),
        ("    - { name: a, nfs_mount: { source: barbary, path: /mnt/x } }", "steps[0].nfs_mount.source", "is not an NFS export"),
        ("    - { name: a, sshd: { PasswordAuthentication: \"no'\" } }", "steps[0].sshd.PasswordAuthentication", "may hold only"),
        ("    - { name: a, check: x, apply: y, timeout: 0 }", "steps[0].timeout", "timeout"),
        ("    - { name: A!, check: x, apply: y }", "steps[0].name", "is not a valid step name"),
        ("    - { name: a, check: x, apply: y }\n    - { name: a, check: x, apply: y }", "steps[1]", "already declared (line 19)"),
    ])
    func sharedProblems(step: String, path: String, message: String) throws {
        let issues = InventoryLoader.issues(in: Self.inventory(shared: "provision:\n  steps:\n" + step))
        let issue = try #require(issues.first, "no issue for \(step)")
        #expect(issue.keyPath == "provision." + path, "\(issues)")
        #expect(issue.message.contains(message), "\(issues)")
        #expect(issue.line >= 17, "located at the step: \(issue)")
    }

    @Test("a node's skip must name a shared step (with a suggestion); its own steps must not reuse a shared name; its host key must parse")
    func nodeProblems() throws {
        let skip = InventoryLoader.issues(in: Self.inventory(shared: "", node: "    provision: { skip: [docker-engin] }"))
        #expect(skip.count == 1 && skip[0].message.contains("did you mean 'docker-engine'?") && skip[0].keyPath == "nodes[1].provision.skip[0]", "\(skip)")
        let clash = InventoryLoader.issues(
            in: Self.inventory(shared: "", node: "    provision: { steps: [{ name: packages, check: x, apply: y }] }"))
        #expect(clash.count == 1 && clash[0].message.contains("also one of the default steps"), "\(clash)")
        let key = InventoryLoader.issues(in: Self.inventory(shared: "", node: "    provision: { host_key: not-a-key }"))
        #expect(key.count == 1 && key[0].keyPath == "nodes[1].provision.host_key" && key[0].line == 14, "\(key)")
        let fine = InventoryLoader.issues(in: Self.inventory(shared: "", node: "    provision: { skip: [sshd-hardening] }"))
        #expect(fine.isEmpty, "\(fine)")
    }
}
