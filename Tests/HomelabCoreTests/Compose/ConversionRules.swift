import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// One compose rule per case: a service `app` (image busybox:1) in stack `st`, and the JSON value one field of
/// its spec must have.
enum ConversionRules {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Lines under `services: app:` (indented by the helper).
        var service: String
        /// Extra top-level YAML.
        var topLevel: String = ""
        /// Dotted path into the spec's JSON, e.g. `TaskTemplate.ContainerSpec.Env`.
        var field: String
        /// The expected JSON value; `null` means absent.
        var json: String
        var environment: [String: String] = [:]

        var testDescription: String { name }

        var document: String {
            let indented = service.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
            return "services:\n  app:\n    image: busybox:1\n\(indented)\n\(topLevel)\n"
        }

        func expectedValue() throws -> JSONValue {
            try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        }
    }

    static func value(in spec: Swarm.ServiceSpec, at path: String) throws -> JSONValue {
        var value = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(spec))
        for key in path.split(separator: ".") {
            guard case .object(let object) = value, let child = object[String(key)] else { return .null }
            value = child
        }
        return value
    }

    static func text(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }

    static let ns = #""com.docker.stack.namespace": "st""#

    static let cases: [Case] = [
        Case(name: "service name is <stack>_<service>", service: "", field: "Name", json: #""st_app""#),
        Case(
            name: "deploy.labels are service labels, with namespace and image", service: "deploy: {labels: {a: b}}",
            field: "Labels", json: #"{"a": "b", \#(ns), "com.docker.stack.image": "busybox:1"}"#),
        Case(
            name: "top-level labels are container labels (list form)", service: "labels: [\"x=1\", flag]",
            field: "TaskTemplate.ContainerSpec.Labels", json: #"{"x": "1", "flag": "", \#(ns)}"#),
        Case(
            name: "command string is split like a shell", service: #"command: sh -c 'echo "hi there"' $$HOME"#,
            field: "TaskTemplate.ContainerSpec.Args", json: #"["sh", "-c", "echo \"hi there\"", "$HOME"]"#),
        Case(
            name: "entrypoint list becomes Command", service: "entrypoint: [\"/init\", \"--verbose\"]",
            field: "TaskTemplate.ContainerSpec.Command", json: #"["/init", "--verbose"]"#),
        Case(
            name: "environment map: numbers as written, null from the environment dictionary",
            service: "environment: {A: 1, B: null, C: \"x y\", D: true}", field: "TaskTemplate.ContainerSpec.Env",
            json: #"["A=1", "B=from-dict", "C=x y", "D=true"]"#, environment: ["B": "from-dict"]),
        Case(
            name: "environment list: a bare name not in the dictionary stays bare",
            service: "environment: [\"Z=1\", BARE, \"EMPTY=\"]", field: "TaskTemplate.ContainerSpec.Env",
            json: #"["BARE", "EMPTY=", "Z=1"]"#),
        Case(name: "mode replicated without replicas", service: "", field: "Mode", json: #"{"Replicated": {}}"#),
        Case(name: "mode global", service: "deploy: {mode: global}", field: "Mode", json: #"{"Global": {}}"#),
        Case(
            name: "mode replicated-job", service: "deploy: {mode: replicated-job, replicas: 3}", field: "Mode",
            json: #"{"ReplicatedJob": {"MaxConcurrent": 3, "TotalCompletions": 3}}"#),
        Case(name: "mode global-job", service: "deploy: {mode: global-job}", field: "Mode", json: #"{"GlobalJob": {}}"#),
        Case(
            name: "placement constraints, preferences and max replicas per node",
            service: "deploy:\n  placement:\n    constraints: [node.role==worker]\n    preferences: [{spread: node.labels.zone}]\n    max_replicas_per_node: 2",
            field: "TaskTemplate.Placement",
            json: #"{"Constraints": ["node.role==worker"], "Preferences": [{"Spread": {"SpreadDescriptor": "node.labels.zone"}}], "MaxReplicas": 2}"#),
        Case(
            name: "update_config: omitted parallelism is 1 (as docker stack deploy sends it)",
            service: "deploy: {update_config: {delay: 10s, order: start-first}}", field: "UpdateConfig",
            json: #"{"Parallelism": 1, "Delay": 10000000000, "Order": "start-first"}"#),
        Case(
            name: "update_config: every field",
            service: "deploy: {update_config: {parallelism: 2, delay: 1m30s, failure_action: rollback, monitor: 500ms, max_failure_ratio: 0.25, order: stop-first}}",
            field: "UpdateConfig",
            json: #"{"Parallelism": 2, "Delay": 90000000000, "FailureAction": "rollback", "Monitor": 500000000, "MaxFailureRatio": 0.25, "Order": "stop-first"}"#),
        Case(
            name: "rollback_config", service: "deploy: {rollback_config: {parallelism: 0, failure_action: continue}}",
            field: "RollbackConfig", json: #"{"Parallelism": 0, "FailureAction": "continue"}"#),
        Case(
            name: "resources: cpus and memory in Docker units",
            service: "deploy: {resources: {limits: {cpus: '0.5', memory: 512M, pids: 100}, reservations: {cpus: 0.25, memory: 1.5g}}}",
            field: "TaskTemplate.Resources",
            json: #"{"Limits": {"NanoCPUs": 500000000, "MemoryBytes": 536870912, "Pids": 100}, "Reservations": {"NanoCPUs": 250000000, "MemoryBytes": 1610612736}}"#),
        Case(
            name: "resources: generic resources",
            service: "deploy: {resources: {reservations: {generic_resources: [{discrete_resource_spec: {kind: gpu, value: 2}}]}}}",
            field: "TaskTemplate.Resources.Reservations",
            json: #"{"GenericResources": [{"DiscreteResourceSpec": {"Kind": "gpu", "Value": 2}}]}"#),
        Case(
            name: "restart_policy", service: "deploy: {restart_policy: {condition: any, delay: 5s, max_attempts: 0, window: 1h}}",
            field: "TaskTemplate.RestartPolicy",
            json: #"{"Condition": "any", "Delay": 5000000000, "MaxAttempts": 0, "Window": 3600000000000}"#),
        Case(
            name: "legacy restart: unless-stopped is condition any", service: "restart: unless-stopped",
            field: "TaskTemplate.RestartPolicy", json: #"{"Condition": "any"}"#),
        Case(
            name: "legacy restart: on-failure:3", service: "restart: on-failure:3", field: "TaskTemplate.RestartPolicy",
            json: #"{"Condition": "on-failure", "MaxAttempts": 3}"#),
        Case(name: "legacy restart: no", service: "restart: \"no\"", field: "TaskTemplate.RestartPolicy", json: "null"),
        Case(
            name: "deploy.restart_policy wins over restart", service: "restart: always\ndeploy: {restart_policy: {condition: none}}",
            field: "TaskTemplate.RestartPolicy", json: #"{"Condition": "none"}"#),
        Case(
            name: "healthcheck: a string runs through the shell", service: "healthcheck: {test: wget -q localhost || exit 1}",
            field: "TaskTemplate.ContainerSpec.Healthcheck", json: #"{"Test": ["CMD-SHELL", "wget -q localhost || exit 1"]}"#),
        Case(
            name: "healthcheck: disable is NONE", service: "healthcheck: {disable: true}",
            field: "TaskTemplate.ContainerSpec.Healthcheck", json: #"{"Test": ["NONE"]}"#),
        Case(
            name: "healthcheck: CMD list and timings",
            service: "healthcheck: {test: [CMD, /bin/check, --quick], interval: 1m30s, timeout: 500ms, start_period: 2m, start_interval: 5s, retries: 4}",
            field: "TaskTemplate.ContainerSpec.Healthcheck",
            json: #"{"Test": ["CMD", "/bin/check", "--quick"], "Interval": 90000000000, "Timeout": 500000000, "StartPeriod": 120000000000, "StartInterval": 5000000000, "Retries": 4}"#),
        Case(
            name: "ports: short syntax, udp, ranges; sorted", service: "ports: [\"8080:80\", \"53:53/udp\", \"9000-9001:7000-7001\", 3000]",
            field: "EndpointSpec.Ports",
            json: #"""
                [{"Protocol": "tcp", "TargetPort": 3000, "PublishMode": "ingress"},
                 {"Protocol": "udp", "TargetPort": 53, "PublishedPort": 53, "PublishMode": "ingress"},
                 {"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "ingress"},
                 {"Protocol": "tcp", "TargetPort": 7000, "PublishedPort": 9000, "PublishMode": "ingress"},
                 {"Protocol": "tcp", "TargetPort": 7001, "PublishedPort": 9001, "PublishMode": "ingress"}]
                """#),
        Case(
            name: "ports: long syntax with host mode", service: "ports: [{target: 80, published: 8080, mode: host}]",
            field: "EndpointSpec.Ports",
            json: #"[{"Protocol": "tcp", "TargetPort": 80, "PublishedPort": 8080, "PublishMode": "host"}]"#),
        Case(
            name: "endpoint_mode dnsrr", service: "deploy: {endpoint_mode: dnsrr}", field: "EndpointSpec",
            json: #"{"Mode": "dnsrr"}"#),
        Case(
            name: "volumes: short syntax named (ro), bind, anonymous; names scoped with stack labels",
            service: "volumes: [\"data:/data:ro\", \"/srv/media:/media\", \"/cache\", \"./conf:/conf:ro,rslave\"]",
            topLevel: "volumes:\n  data:\n", field: "TaskTemplate.ContainerSpec.Mounts",
            json: #"""
                [{"Type": "volume", "Source": "st_data", "Target": "/data", "ReadOnly": true, "VolumeOptions": {"Labels": {\#(ns)}}},
                 {"Type": "bind", "Source": "/srv/media", "Target": "/media"},
                 {"Type": "volume", "Target": "/cache"},
                 {"Type": "bind", "Source": "/srv/stack/conf", "Target": "/conf", "ReadOnly": true, "BindOptions": {"Propagation": "rslave"}}]
                """#),
        Case(
            name: "volumes: external by name; name override keeps labels and driver",
            service: "volumes: [\"ext:/a\", {type: volume, source: named, target: /b, volume: {nocopy: true}}]",
            topLevel: "volumes:\n  ext: {external: true}\n  named: {name: shared-data, driver: local, driver_opts: {type: nfs}, labels: [backup=yes]}\n",
            field: "TaskTemplate.ContainerSpec.Mounts",
            json: #"""
                [{"Type": "volume", "Source": "ext", "Target": "/a"},
                 {"Type": "volume", "Source": "shared-data", "Target": "/b",
                  "VolumeOptions": {"NoCopy": true, "Labels": {"backup": "yes", \#(ns)}, "DriverConfig": {"Name": "local", "Options": {"type": "nfs"}}}}]
                """#),
        Case(
            name: "volumes: long syntax bind and tmpfs",
            service: "volumes:\n  - {type: bind, source: /dev/dri, target: /dev/dri, read_only: true, bind: {propagation: rshared}}\n  - {type: tmpfs, target: /tmp, tmpfs: {size: 64m, mode: 1777}}",
            field: "TaskTemplate.ContainerSpec.Mounts",
            json: #"""
                [{"Type": "bind", "Source": "/dev/dri", "Target": "/dev/dri", "ReadOnly": true, "BindOptions": {"Propagation": "rshared"}},
                 {"Type": "tmpfs", "Target": "/tmp", "TmpfsOptions": {"SizeBytes": 67108864, "Mode": 1023}}]
                """#),
        Case(
            name: "networks: the default network is <stack>_default with the service alias", service: "",
            field: "TaskTemplate.Networks", json: #"[{"Target": "st_default", "Aliases": ["app"]}]"#),
        Case(
            name: "networks: external by name, name override, aliases; sorted by target",
            service: "networks:\n  front: {aliases: [web]}\n  outside:\n  renamed:",
            topLevel: "networks:\n  front:\n  outside: {external: true}\n  renamed: {name: custom-net}\n",
            field: "TaskTemplate.Networks",
            json: #"""
                [{"Target": "custom-net", "Aliases": ["app"]}, {"Target": "outside", "Aliases": ["app"]},
                 {"Target": "st_front", "Aliases": ["web", "app"]}]
                """#),
        Case(
            name: "networks: host gets no alias", service: "networks: [hostnet]",
            topLevel: "networks:\n  hostnet: {external: {name: host}}\n", field: "TaskTemplate.Networks",
            json: #"[{"Target": "host"}]"#),
        Case(
            name: "secrets: scoped unless external or named; defaults uid/gid 0 mode 0444",
            service: "secrets: [token, {source: ext, target: ext.txt, uid: '1000', gid: '1000', mode: 0o440}, renamed]",
            topLevel: "secrets:\n  token: {file: ./t}\n  ext: {external: true}\n  renamed: {name: v2-secret, file: ./r}\n",
            field: "TaskTemplate.ContainerSpec.Secrets",
            json: #"""
                [{"File": {"Name": "ext.txt", "UID": "1000", "GID": "1000", "Mode": 288}, "SecretName": "ext"},
                 {"File": {"Name": "token", "UID": "0", "GID": "0", "Mode": 292}, "SecretName": "st_token"},
                 {"File": {"Name": "renamed", "UID": "0", "GID": "0", "Mode": 292}, "SecretName": "v2-secret"}]
                """#),
        Case(
            name: "configs: scoped, target path kept", service: "configs: [{source: conf, target: /etc/app.conf}]",
            topLevel: "configs:\n  conf: {file: ./app.conf}\n", field: "TaskTemplate.ContainerSpec.Configs",
            json: #"[{"File": {"Name": "/etc/app.conf", "UID": "0", "GID": "0", "Mode": 292}, "ConfigName": "st_conf"}]"#),
        Case(
            name: "durations: stop_grace_period 1m30s", service: "stop_grace_period: 1m30s",
            field: "TaskTemplate.ContainerSpec.StopGracePeriod", json: "90000000000"),
        Case(
            name: "container options: hosts, dns, capabilities, sysctls, ulimits, init, user, dir",
            service: """
                extra_hosts: ["nas:10.0.0.5"]
                dns: 1.1.1.1
                dns_search: [lab]
                cap_add: [net_admin, CAP_SYS_TIME]
                cap_drop: [ALL]
                sysctls: {net.core.somaxconn: 1024}
                ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
                init: true
                user: "1000:1000"
                working_dir: /app
                hostname: "{{.Task.Name}}"
                read_only: true
                stop_signal: SIGINT
                """,
            field: "TaskTemplate.ContainerSpec",
            json: #"""
                {"Image": "busybox:1", "Labels": {\#(ns)}, "Hosts": ["10.0.0.5 nas"],
                 "DNSConfig": {"Nameservers": ["1.1.1.1"], "Search": ["lab"]},
                 "CapabilityAdd": ["CAP_NET_ADMIN", "CAP_SYS_TIME"], "CapabilityDrop": ["ALL"],
                 "Sysctls": {"net.core.somaxconn": "1024"},
                 "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}, {"Name": "nproc", "Soft": 512, "Hard": 512}],
                 "Init": true, "User": "1000:1000", "Dir": "/app", "Hostname": "{{.Task.Name}}", "ReadOnly": true,
                 "StopSignal": "SIGINT"}
                """#),
        Case(
            name: "logging becomes the log driver", service: "logging: {driver: json-file, options: {max-size: 10m}}",
            field: "TaskTemplate.LogDriver", json: #"{"Name": "json-file", "Options": {"max-size": "10m"}}"#),
        Case(
            name: "x- extension keys are ignored at every level",
            service: "x-note: {anything: [1, 2]}\ndeploy: {x-custom: 1, replicas: 2}",
            topLevel: "x-top: {whatever: true}\n", field: "Mode", json: #"{"Replicated": {"Replicas": 2}}"#),
        Case(
            name: "interpolation feeds numbers too", service: "deploy: {replicas: \"${COUNT:-4}\"}", field: "Mode",
            json: #"{"Replicated": {"Replicas": 4}}"#),
    ]
}
