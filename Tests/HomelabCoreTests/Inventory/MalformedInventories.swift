import Foundation
import HomelabTestSupport
import Testing

/// A small valid inventory and malformed variants of it, each with the issue it must produce.
enum MalformedInventories {
    /// Valid. Line numbers matter: the cases below point into it.
    static let base = """
        name: test
        nodes:
          - name: alpha
            role: manager
            platform: truenas
            address: 10.0.0.10
          - name: beta
            role: worker
            platform: bare-metal
            address: 10.0.0.21
        tiers: [infrastructure, application]
        stacks:
          - name: core
            tier: infrastructure
            services:
              - name: db
                stateful: true
                pinned_node: alpha
              - name: web
                depends_on: [db]
        components:
          authentik:
            url: https://auth.example.lab/api/v3
            credentials:
              token: env:AUTHENTIK_TOKEN

        """

    /// One malformed document and what must be reported for it.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        /// `line:column keyPath` of the expected issue.
        var location: String
        var fragment: String
        /// How many issues the document has in all.
        var count: Int = 1
        /// Text that must not appear in any issue (a literal secret).
        var mustNotEcho: String?

        var testDescription: String { name }
    }

    static let literalSecret = "a literal secret is not allowed; use env:NAME, file:PATH or op://vault/item/field"

    static let authentikComponent = """
          authentik:
            url: https://auth.example.lab/api/v3
            credentials:
              token: env:AUTHENTIK_TOKEN
        """

    static let cases: [Case] = [
        // YAML itself
        Case(name: "an unclosed flow list",
             yaml: replacing("tiers: [infrastructure, application]", with: "tiers: [infrastructure, application"),
             location: "12:7", fragment: "did not find expected ',' or ']'"),
        Case(name: "a tab in the indentation", yaml: replacing("    role: worker", with: "\trole: worker"),
             location: "8:1", fragment: "tab character"),
        Case(name: "a key given twice in one mapping",
             yaml: replacing("    role: worker\n", with: "    role: worker\n    role: manager\n"),
             location: "8:5", fragment: "key 'role' appears more than once"),
        Case(name: "two documents in one file", yaml: base + "---\nname: again\n",
             location: "26:1", fragment: "more than one document"),
        Case(name: "an undefined alias", yaml: replacing("depends_on: [db]", with: "depends_on: [*db]"),
             location: "20:22", fragment: "undefined alias"),
        Case(name: "a list instead of a mapping", yaml: "- just\n- a list\n",
             location: "1:1", fragment: "expected a mapping, got a list"),
        Case(name: "an empty file", yaml: "", location: "1:1", fragment: "the inventory is empty"),
        // Types, enums, required and unknown keys
        Case(name: "an unknown node role", yaml: replacing("role: worker", with: "role: leader"),
             location: "8:11 nodes[1].role", fragment: "expected manager or worker, got 'leader'"),
        Case(name: "a misspelt platform", yaml: replacing("platform: bare-metal", with: "platform: proxmox-mv"),
             location: "9:15 nodes[1].platform",
             fragment: "expected one of truenas, proxmox-vm or bare-metal, got 'proxmox-mv'; did you mean 'proxmox-vm'?"),
        Case(name: "an address given as a list", yaml: replacing("address: 10.0.0.10", with: "address: [10.0.0.10]"),
             location: "6:14 nodes[0].address", fragment: "expected a string, got a list"),
        Case(name: "an empty role", yaml: replacing("role: worker", with: "role:"),
             location: "8:10 nodes[1].role", fragment: "expected manager or worker, got nothing"),
        Case(name: "an SSH port out of range",
             yaml: replacing("    address: 10.0.0.21", with: "    address: 10.0.0.21\n    ssh: { user: ops, port: 70000 }"),
             location: "11:29 nodes[1].ssh.port", fragment: "expected a port between 1 and 65535, got 70000"),
        Case(name: "a misspelt key", yaml: replacing("address: 10.0.0.21", with: "adress: 10.0.0.21"),
             location: "10:5 nodes[1].adress", fragment: "unknown key 'adress'; did you mean 'address'?"),
        Case(name: "a missing required key", yaml: replacing("    platform: bare-metal\n", with: ""),
             location: "7:5 nodes[1].platform", fragment: "missing required key 'platform'"),
        Case(name: "an unknown top-level key", yaml: "nodez: []\n" + base,
             location: "1:1 nodez", fragment: "unknown key 'nodez'; did you mean 'nodes'?"),
        Case(name: "a replica count that is not a number",
             yaml: replacing("depends_on: [db]", with: "depends_on: [db]\n        replicas: two"),
             location: "21:19 stacks[0].services[1].replicas", fragment: "expected an integer, got 'two'"),
        Case(name: "yes for a boolean", yaml: replacing("stateful: true", with: "stateful: yes"),
             location: "17:19 stacks[0].services[0].stateful", fragment: "expected true or false, got 'yes'"),
        Case(name: "depends_on given as a string", yaml: replacing("depends_on: [db]", with: "depends_on: db"),
             location: "20:21 stacks[0].services[1].depends_on", fragment: "expected a list, got 'db'"),
        Case(name: "an unsupported schema version", yaml: "version: 2\n" + base,
             location: "1:10 version", fragment: "unsupported inventory version 2"),
        // Formats
        Case(name: "an invalid IPv4 address", yaml: replacing("10.0.0.21", with: "10.0.0.300"),
             location: "10:14 nodes[1].address", fragment: "'10.0.0.300' is not a valid IPv4 address"),
        Case(name: "an invalid node name", yaml: replacing("name: beta", with: "name: Beta Node"),
             location: "7:11 nodes[1].name", fragment: "'Beta Node' is not a valid node name"),
        Case(name: "an invalid image reference",
             yaml: replacing("      - name: web\n", with: "      - name: web\n        image: Nginx Latest\n"),
             location: "20:16 stacks[0].services[1].image", fragment: "is not a valid image reference"),
        Case(name: "a health URL without a scheme",
             yaml: replacing("depends_on: [db]", with: "depends_on: [db]\n        health_url: web:8080/health"),
             location: "21:21 stacks[0].services[1].health_url", fragment: "expected a URL starting with http:// or https://"),
        Case(name: "a URL port out of range",
             yaml: replacing("https://auth.example.lab/api/v3", with: "https://auth.example.lab:99999/api/v3"),
             location: "23:10 components.authentik.url", fragment: "port must be a number between 1 and 65535, got '99999'"),
        Case(name: "an unsupported URL scheme",
             yaml: replacing("https://auth.example.lab/api/v3", with: "ftp://auth.example.lab/api/v3"),
             location: "23:10 components.authentik.url", fragment: "got a 'ftp://' URL"),
        // Names and references across the document
        Case(name: "a duplicate node name", yaml: replacing("name: beta", with: "name: alpha"),
             location: "7:11 nodes[1].name", fragment: "duplicate node 'alpha' (first at line 3)"),
        Case(name: "a duplicate service name", yaml: replacing("name: web", with: "name: db"),
             location: "19:15 stacks[0].services[1].name", fragment: "duplicate service 'db' (first at line 16)", count: 2),
        Case(name: "a worker marked leader", yaml: replacing("    role: worker", with: "    role: worker\n    leader: true"),
             location: "9:13 nodes[1].leader", fragment: "only a manager can be the swarm leader; 'beta' is a worker"),
        Case(name: "a dependency on an unknown service", yaml: replacing("depends_on: [db]", with: "depends_on: [dbx]"),
             location: "20:22 stacks[0].services[1].depends_on[0]",
             fragment: "depends on unknown service 'dbx'; did you mean 'db'?"),
        Case(name: "an unknown tier", yaml: replacing("tier: infrastructure", with: "tier: infrastructur"),
             location: "14:11 stacks[0].tier", fragment: "unknown tier 'infrastructur'; did you mean 'infrastructure'?"),
        Case(name: "a pin to an unknown node", yaml: replacing("pinned_node: alpha", with: "pinned_node: gamma"),
             location: "18:22 stacks[0].services[0].pinned_node", fragment: "unknown node 'gamma'"),
        Case(name: "a stateful service that is not pinned", yaml: replacing("        pinned_node: alpha\n", with: ""),
             location: "17:19 stacks[0].services[0].stateful", fragment: "stateful service 'db' must be pinned to a node"),
        Case(name: "a stateful service with three replicas",
             yaml: replacing("        stateful: true\n", with: "        stateful: true\n        replicas: 3\n"),
             location: "18:19 stacks[0].services[0].replicas", fragment: "runs one replica (its data is local), got 3"),
        Case(name: "a dependency cycle",
             yaml: replacing("        stateful: true\n", with: "        stateful: true\n        depends_on: [web]\n"),
             location: "21:22 stacks[0].services[1].depends_on[0]", fragment: "dependency cycle: db -> web -> db"),
        Case(name: "a dependency on a higher tier",
             yaml: replacing("        stateful: true\n", with: "        stateful: true\n        tier: application\n"),
             location: "21:22 stacks[0].services[1].depends_on[0]",
             fragment: "'web' (tier infrastructure) cannot depend on 'db' in the higher tier application"),
        // Components and credentials
        Case(name: "a literal secret", yaml: replacing("token: env:AUTHENTIK_TOKEN", with: "token: hunter2-very-secret"),
             location: "25:14 components.authentik.credentials.token", fragment: literalSecret,
             mustNotEcho: "hunter2-very-secret"),
        Case(name: "a numeric literal secret", yaml: replacing("token: env:AUTHENTIK_TOKEN", with: "token: 73194628"),
             location: "25:14 components.authentik.credentials.token", fragment: literalSecret, mustNotEcho: "73194628"),
        Case(name: "a password inside the URL",
             yaml: replacing("https://auth.example.lab/api/v3", with: "https://admin:s3cr3t-pw@auth.example.lab/api/v3"),
             location: "23:10 components.authentik.url", fragment: "the URL holds a password, and " + literalSecret,
             mustNotEcho: "s3cr3t-pw"),
        Case(name: "a token in the URL query",
             yaml: replacing("https://auth.example.lab/api/v3", with: "https://auth.example.lab/api/v3?token=abc123xyz"),
             location: "23:10 components.authentik.url", fragment: "query parameter 'token' holds a credential",
             mustNotEcho: "abc123xyz"),
        Case(name: "a malformed op:// reference", yaml: replacing("env:AUTHENTIK_TOKEN", with: "op://homelab/authentik"),
             location: "25:14 components.authentik.credentials.token", fragment: "needs a vault, an item and a field"),
        Case(name: "the Connect token taken from Connect",
             yaml: replacing(authentikComponent, with: """
                   onepassword:
                     url: https://connect.example.lab/v1
                     credentials:
                       token: op://homelab/connect/token
                 """),
             location: "25:14 components.onepassword.credentials.token",
             fragment: "cannot come from 1Password Connect itself"),
        Case(name: "an unknown component", yaml: replacing("  authentik:", with: "  authentic:"),
             location: "22:3 components.authentic", fragment: "unknown component 'authentic'; did you mean 'authentik'?"),
        Case(name: "an unknown credential name", yaml: replacing("token: env", with: "tokn: env"),
             location: "25:7 components.authentik.credentials.tokn", fragment: "unknown key 'tokn'; did you mean 'token'?"),
        Case(name: "a component without an endpoint", yaml: replacing("    url: https://auth.example.lab/api/v3\n", with: ""),
             location: "23:5 components.authentik.url", fragment: "Authentik needs an endpoint"),
        Case(name: "TLS options on plain http",
             yaml: replacing("    url: https://auth.example.lab/api/v3",
                             with: "    url: http://auth.example.lab/api/v3\n    tls: { ca_file: /etc/ca.pem }"),
             location: "24:5 components.authentik.tls", fragment: "tls options apply only to https endpoints"),
        Case(name: "insecure combined with a CA file",
             yaml: replacing("    url: https://auth.example.lab/api/v3",
                             with: "    url: https://auth.example.lab/api/v3\n    tls: { insecure: true, ca_file: /etc/ca.pem }"),
             location: "24:22 components.authentik.tls.insecure", fragment: "cannot be combined with ca_file"),
        Case(name: "a malformed key pin",
             yaml: replacing("    url: https://auth.example.lab/api/v3",
                             with: "    url: https://auth.example.lab/api/v3\n    tls: { pinned_public_keys: [sha256//short] }"),
             location: "24:33 components.authentik.tls.pinned_public_keys[0]", fragment: "is not a SHA-256 public-key pin"),
        Case(name: "a TrueNAS API key over plain http",
             yaml: replacing(authentikComponent, with: """
                   truenas:
                     url: http://10.0.0.10/api
                     credentials:
                       api_key: op://homelab/truenas/credential
                 """),
             location: "23:10 components.truenas.url", fragment: "TrueNAS revokes an API key sent over plain http"),
        Case(name: "Proxmox over plain http",
             yaml: replacing(authentikComponent, with: """
                   proxmox:
                     url: http://pve.example.lab:8006/api2/json
                 """),
             location: "23:10 components.proxmox.url", fragment: "Proxmox VE serves its API over https only"),
    ]

    static func replacing(_ target: String, with replacement: String) -> String {
        precondition(base.contains(target), "base has no '\(target)'")
        return base.replacingOccurrences(of: target, with: replacement)
    }
}
