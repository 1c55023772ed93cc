import Foundation
import HomelabTestSupport
import Testing

/// A small valid compose file and malformed variants of it, each with the located issue it must produce.
enum MalformedComposeFiles {
    /// Valid. Line numbers matter: the cases below point into it.
    static let base = """
        services:
          web:
            image: nginx:1.25
            ports: ["8080:80"]
            networks: [front]
            secrets: [token]
            volumes: ["data:/data"]
            deploy:
              replicas: 2
              resources:
                limits: {cpus: '0.5', memory: 256M}
            healthcheck:
              test: ["CMD", "true"]
              interval: 10s
          db:
            image: postgres:16
            depends_on: [web]
        networks:
          front:
        secrets:
          token: {file: ./token}
        volumes:
          data:

        """

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        /// `line:column keyPath` of the expected issue.
        var location: String
        var fragment: String
        var count = 1
        var testDescription: String { name }
    }

    static func replacing(_ old: String, with new: String) -> String {
        precondition(base.contains(old), "the base has no '\(old)'")
        return base.replacingOccurrences(of: old, with: new)
    }

    static let cases: [Case] = [
        Case(
            name: "unknown service key, with a suggestion", yaml: replacing("    image: nginx", with: "    imagee: nginx"),
            location: "3:5 services.web.imagee", fragment: "unknown key 'imagee'; did you mean 'image'?"),
        Case(
            name: "unknown top-level key", yaml: replacing("services:", with: "servics:"), location: "1:1 servics",
            fragment: "did you mean 'services'?"),
        Case(
            name: "unknown deploy key", yaml: replacing("replicas: 2", with: "replicaz: 2"),
            location: "9:7 services.web.deploy.replicaz", fragment: "did you mean 'replicas'?"),
        Case(
            name: "malformed duration", yaml: replacing("interval: 10s", with: "interval: 10 seconds"),
            location: "14:17 services.web.healthcheck.interval", fragment: "expected a duration such as 10s"),
        Case(
            name: "replicas with global mode", yaml: replacing("      replicas: 2", with: "      mode: global\n      replicas: 2"),
            location: "10:7 services.web.deploy.replicas", fragment: "replicas applies only to replicated"),
        Case(
            name: "unknown deploy mode", yaml: replacing("      replicas: 2", with: "      mode: replicatd"),
            location: "9:13 services.web.deploy.mode", fragment: "did you mean 'replicated'?"),
        Case(
            name: "undefined network", yaml: replacing("networks: [front]", with: "networks: [frontt]"),
            location: "5:16 services.web.networks[0]", fragment: "undefined network 'frontt'; did you mean 'front'?"),
        Case(
            name: "undefined secret", yaml: replacing("secrets: [token]", with: "secrets: [tokn]"),
            location: "6:15 services.web.secrets[0]", fragment: "undefined secret 'tokn'"),
        Case(
            name: "undefined volume", yaml: replacing("\"data:/data\"", with: "\"cache:/data\""),
            location: "7:15 services.web.volumes[0]", fragment: "undefined volume 'cache'"),
        Case(
            name: "relative bind source without a folder", yaml: replacing("\"data:/data\"", with: "\"./data:/data\""),
            location: "7:15 services.web.volumes[0]", fragment: "a relative bind source needs the compose file's folder"),
        Case(
            name: "unknown port protocol", yaml: replacing("\"8080:80\"", with: "\"8080:80/tcpx\""),
            location: "4:13 services.web.ports[0]", fragment: "expected tcp, udp or sctp"),
        Case(
            name: "port bound to a host IP", yaml: replacing("\"8080:80\"", with: "\"127.0.0.1:8080:80\""),
            location: "4:13 services.web.ports[0]", fragment: "binds a host IP"),
        Case(
            name: "port out of range", yaml: replacing("\"8080:80\"", with: "\"8080:70000\""),
            location: "4:13 services.web.ports[0]", fragment: "ports 1-65535"),
        Case(
            name: "malformed memory size", yaml: replacing("memory: 256M", with: "memory: 256X"),
            location: "11:39 services.web.deploy.resources.limits.memory", fragment: "expected a size such as 512M"),
        Case(
            name: "too precise CPU count", yaml: replacing("cpus: '0.5'", with: "cpus: '0.0000000001'"),
            location: "11:24 services.web.deploy.resources.limits.cpus", fragment: "at most 9 decimals"),
        Case(
            name: "missing required variable", yaml: replacing("image: nginx:1.25", with: "image: ${IMAGE:?set IMAGE}"),
            location: "3:12 services.web.image", fragment: "required variable IMAGE is not set or empty: set IMAGE"),
        Case(
            name: "a lone dollar sign", yaml: replacing("[\"CMD\", \"true\"]", with: "[\"CMD\", \"echo $1\"]"),
            location: "13:21 services.web.healthcheck.test[1]", fragment: "'$1' is not a variable; write '$$'"),
        Case(
            name: "health test list without CMD", yaml: replacing("[\"CMD\", \"true\"]", with: "[\"true\"]"),
            location: "13:14 services.web.healthcheck.test[0]", fragment: "starts with CMD, CMD-SHELL or NONE"),
        Case(
            name: "test and disable together", yaml: replacing("      interval: 10s", with: "      interval: 10s\n      disable: true"),
            location: "13:13 services.web.healthcheck.test", fragment: "test and disable: true cannot be set together"),
        Case(
            name: "depends_on an unknown service", yaml: replacing("depends_on: [web]", with: "depends_on: [wbe]"),
            location: "17:18 services.db.depends_on[0]", fragment: "unknown service 'wbe'; did you mean 'web'?"),
        Case(
            name: "dependency cycle",
            yaml: replacing("    image: nginx:1.25", with: "    image: nginx:1.25\n    depends_on: [db]"),
            location: "18:18 services.db.depends_on[0]", fragment: "dependency cycle: web -> db -> web"),
        Case(
            name: "depends-on label naming an unknown service",
            yaml: replacing("    depends_on: [web]", with: "    deploy:\n      labels: {homelab.depends-on: \"web, cache\"}"),
            location: "18:36 services.db.deploy.labels.homelab.depends-on", fragment: "unknown service 'cache'"),
        Case(
            name: "a service depending on itself", yaml: replacing("depends_on: [web]", with: "depends_on: [db]"),
            location: "17:18 services.db.depends_on[0]", fragment: "cannot depend on itself"),
        Case(
            name: "YAML syntax error", yaml: replacing("ports: [\"8080:80\"]", with: "ports: [\"8080:80\""),
            location: "5:5", fragment: "invalid YAML: did not find expected ',' or ']'"),
        Case(
            name: "duplicate key", yaml: replacing("    image: postgres:16", with: "    image: postgres:16\n    image: postgres:17"),
            location: "16:5", fragment: "key 'image' appears more than once"),
        Case(
            name: "services is a list", yaml: "services:\n  - web\n", location: "2:3 services",
            fragment: "expected a mapping of services, got a list"),
        Case(
            name: "missing image", yaml: replacing("    image: postgres:16\n", with: ""),
            location: "16:5 services.db.image", fragment: "missing required key 'image'"),
        Case(
            name: "env_file is not supported", yaml: replacing("    image: postgres:16", with: "    image: postgres:16\n    env_file: db.env"),
            location: "17:5 services.db.env_file", fragment: "env_file is not supported"),
        Case(
            name: "unknown legacy restart value", yaml: replacing("    image: postgres:16", with: "    image: postgres:16\n    restart: sometimes"),
            location: "17:14 services.db.restart", fragment: "expected no, always, unless-stopped or on-failure"),
        Case(
            name: "invalid secret file mode", yaml: replacing("secrets: [token]", with: "secrets: [{source: token, mode: 0999}]"),
            location: "6:37 services.web.secrets[0].mode", fragment: "expected a file mode such as 0440"),
        Case(
            name: "a rollback that rolls back",
            yaml: replacing("      replicas: 2", with: "      replicas: 2\n      rollback_config: {failure_action: rollback}"),
            location: "10:41 services.web.deploy.rollback_config.failure_action", fragment: "a rollback cannot itself roll back"),
        Case(
            name: "failure ratio above 1",
            yaml: replacing("      replicas: 2", with: "      replicas: 2\n      update_config: {max_failure_ratio: 1.5}"),
            location: "10:42 services.web.deploy.update_config.max_failure_ratio", fragment: "a failure ratio between 0.0 and 1.0"),
        Case(
            name: "uppercase image repository", yaml: replacing("image: nginx:1.25", with: "image: Nginx:1.25"),
            location: "3:12 services.web.image", fragment: "is not a valid image reference"),
        Case(
            name: "invalid service name", yaml: replacing("  db:", with: "  d b:"), location: "15:3 services.d b",
            fragment: "is not a valid service name"),
        Case(
            name: "bad merge key", yaml: replacing("    image: postgres:16", with: "    <<: 5\n    image: postgres:16"),
            location: "16:9 services.db.<<", fragment: "a '<<' merge key needs a mapping"),
    ]
}
