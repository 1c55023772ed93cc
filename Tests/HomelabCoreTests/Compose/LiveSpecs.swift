import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// Service specs exactly as dockerd 20.10.24 (API 1.41) stored them after
/// `docker stack deploy --resolve-image never` with the docker CLI 28.2.2, captured with
/// `docker service inspect --format '{{json .Spec}}'` (JSON split only after commas).
enum LiveSpecs {
    /// Network ID -> name on that swarm.
    static let networkNames = [
        "iik4ro3fiqohqs8cwciwd36j3": "caddy_proxy", "io2qejqyz4wkhsqhdxd2yh65a": "media_media",
        "wwzusujqslzzghs911x1g916q": "kitchen_default", "axyywvdt6xqciu3kopo8n3b8k": "kitchen_front",
    ]

    /// `media` stack: ``MediaStack/yaml`` deployed with PLEX_CLAIM and SONARR_API_KEY as in ``MediaStack/environment``.
    static let media: [String: String] = [
        "plex": #"""
            {"Name":"media_plex","Labels":{"caddy":"plex.example.lab","caddy.reverse_proxy":"{{upstreams 32400}}",
            "com.docker.stack.image":"plexinc/pms-docker:1.40.1","com.docker.stack.namespace":"media"},
            "TaskTemplate":{"ContainerSpec":{"Image":"plexinc/pms-docker:1.40.1",
            "Labels":{"com.docker.stack.namespace":"media"},"Env":["PGID=1000","PLEX_CLAIM=claim-abc","PUID=1000",
            "TZ=Europe/Amsterdam"],"Privileges":{"CredentialSpec":null,"SELinuxContext":null,"NoNewPrivileges":false},
            "Mounts":[{"Type":"volume","Source":"media_plex-config","Target":"/config",
            "VolumeOptions":{"Labels":{"com.docker.stack.namespace":"media"}}},{"Type":"bind","Source":"/mnt/tank/media",
            "Target":"/data","ReadOnly":true},{"Type":"tmpfs","Target":"/transcode",
            "TmpfsOptions":{"SizeBytes":2147483648}}],"StopGracePeriod":10000000000,"Healthcheck":{"Test":["CMD","curl",
            "-fsS","http://localhost:32400/identity"],"Interval":30000000000,"Timeout":10000000000,
            "StartPeriod":60000000000,"Retries":3},"DNSConfig":{},"Isolation":"default"},
            "Resources":{"Limits":{"NanoCPUs":4000000000,"MemoryBytes":8589934592},
            "Reservations":{"MemoryBytes":2147483648}},"RestartPolicy":{"Condition":"on-failure","Delay":10000000000,
            "MaxAttempts":3,"Window":120000000000},"Placement":{"Constraints":["node.hostname == barbary"]},
            "Networks":[{"Target":"io2qejqyz4wkhsqhdxd2yh65a","Aliases":["plex"]}],"ForceUpdate":0,"Runtime":"container"},
            "Mode":{"Replicated":{"Replicas":1}},"UpdateConfig":{"Parallelism":1,"FailureAction":"pause",
            "Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},"RollbackConfig":{"Parallelism":1,
            "FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},
            "EndpointSpec":{"Mode":"vip","Ports":[{"Protocol":"udp","TargetPort":1900,"PublishedPort":1900,
            "PublishMode":"host"},{"Protocol":"tcp","TargetPort":32400,"PublishedPort":32400,"PublishMode":"ingress"}]}}
            """#,
        "prowlarr": #"""
            {"Name":"media_prowlarr","Labels":{"com.docker.stack.image":"lscr.io/linuxserver/prowlarr:1.16.2",
            "com.docker.stack.namespace":"media"},
            "TaskTemplate":{"ContainerSpec":{"Image":"lscr.io/linuxserver/prowlarr:1.16.2",
            "Labels":{"com.docker.stack.namespace":"media"},"Env":["PGID=1000","PUID=1000","TZ=Europe/Amsterdam"],
            "Privileges":{"CredentialSpec":null,"SELinuxContext":null,"NoNewPrivileges":false},"Mounts":[{"Type":"volume",
            "Source":"media_prowlarr-config","Target":"/config",
            "VolumeOptions":{"Labels":{"com.docker.stack.namespace":"media"}}}],"StopGracePeriod":10000000000,
            "Healthcheck":{"Test":["CMD-SHELL","curl -fsS http://localhost:9696/ping || exit 1"],"Interval":30000000000},
            "DNSConfig":{},"Isolation":"default"},"Resources":{},"RestartPolicy":{"Condition":"any","Delay":5000000000,
            "MaxAttempts":0},"Placement":{},"Networks":[{"Target":"io2qejqyz4wkhsqhdxd2yh65a","Aliases":["prowlarr"]}],
            "ForceUpdate":0,"Runtime":"container"},"Mode":{"Replicated":{"Replicas":1}},"UpdateConfig":{"Parallelism":1,
            "Delay":10000000000,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"start-first"},
            "RollbackConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,
            "Order":"stop-first"},"EndpointSpec":{"Mode":"vip"}}
            """#,
        "sonarr": #"""
            {"Name":"media_sonarr","Labels":{"com.docker.stack.image":"lscr.io/linuxserver/sonarr:4.0.2",
            "com.docker.stack.namespace":"media","homelab.depends-on":"plex"},
            "TaskTemplate":{"ContainerSpec":{"Image":"lscr.io/linuxserver/sonarr:4.0.2",
            "Labels":{"com.docker.stack.namespace":"media"},"Env":["PGID=1000","PUID=1000",
            "SONARR__AUTH__APIKEY=k3y-s3cr3t"],"Privileges":{"CredentialSpec":null,"SELinuxContext":null,
            "NoNewPrivileges":false},"Mounts":[{"Type":"volume","Source":"sonarr-config","Target":"/config",
            "VolumeOptions":{}},{"Type":"bind","Source":"/mnt/tank/media","Target":"/data"}],
            "StopGracePeriod":30000000000,"Healthcheck":{"Test":["CMD-SHELL",
            "curl -fsS http://localhost:8989/ping || exit 1"],"Interval":60000000000,"Timeout":5000000000,"Retries":5},
            "DNSConfig":{},"Secrets":[{"File":{"Name":"/run/secrets/db","UID":"0","GID":"0","Mode":256},
            "SecretID":"ffharwhfj8ylvv0chbsvm84aa","SecretName":"db_password"},{"File":{"Name":"sonarr_api_key","UID":"0",
            "GID":"0","Mode":292},"SecretID":"6p73flxp81uws7gxzgq1mmtai","SecretName":"media_sonarr_api_key"}],
            "Configs":[{"File":{"Name":"/config/config.xml","UID":"0","GID":"0","Mode":292},
            "ConfigID":"lp9eunnvqqifopomglsg0lsnb","ConfigName":"sonarr_config_v2"}],"Isolation":"default"},
            "Resources":{"Limits":{"NanoCPUs":500000000,"MemoryBytes":536870912}},"RestartPolicy":{"Condition":"any",
            "Delay":5000000000,"MaxAttempts":0},"Placement":{},"Networks":[{"Target":"iik4ro3fiqohqs8cwciwd36j3",
            "Aliases":["sonarr"]},{"Target":"io2qejqyz4wkhsqhdxd2yh65a","Aliases":["tv","sonarr"]}],"ForceUpdate":0,
            "Runtime":"container"},"Mode":{"Replicated":{"Replicas":1}},"UpdateConfig":{"Parallelism":1,
            "Delay":30000000000,"FailureAction":"rollback","Monitor":90000000000,"MaxFailureRatio":0,
            "Order":"start-first"},"RollbackConfig":{"Parallelism":0,"FailureAction":"pause","Monitor":5000000000,
            "MaxFailureRatio":0,"Order":"stop-first"},"EndpointSpec":{"Mode":"vip"}}
            """#,
    ]

    /// `kitchen` stack: ``kitchenYAML`` (most other conversion rules).
    static let kitchen: [String: String] = [
        "app": #"""
            {"Name":"kitchen_app","Labels":{"a":"b","com.docker.stack.image":"busybox:1.36",
            "com.docker.stack.namespace":"kitchen"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:1.36",
            "Labels":{"com.docker.stack.namespace":"kitchen","flag":"","role":"app"},"Command":["/bin/sh","-c"],
            "Args":["sleep","3600","&&","echo","done here"],"Hostname":"{{.Task.Name}}","Env":["A=x y","B=2","EMPTY="],
            "Dir":"/srv","User":"1000:1000","Privileges":{"CredentialSpec":null,"SELinuxContext":null,
            "NoNewPrivileges":false},"Init":true,"StopSignal":"SIGINT","ReadOnly":true,"Mounts":[{"Type":"volume",
            "Source":"kitchen_data","Target":"/data","ReadOnly":true,
            "VolumeOptions":{"Labels":{"com.docker.stack.namespace":"kitchen"}}},{"Type":"volume","Source":"ext",
            "Target":"/ext","VolumeOptions":{}},{"Type":"volume","Source":"shared-data","Target":"/named",
            "VolumeOptions":{"NoCopy":true,"Labels":{"backup":"yes","com.docker.stack.namespace":"kitchen"},
            "DriverConfig":{"Name":"local","Options":{"device":"tmpfs","type":"tmpfs"}}}},{"Type":"bind",
            "Source":"/srv/media","Target":"/media","ReadOnly":true,"BindOptions":{"Propagation":"rslave"}},
            {"Type":"volume","Target":"/cache"},{"Type":"tmpfs","Target":"/tmp","TmpfsOptions":{"SizeBytes":67108864}}],
            "StopGracePeriod":90000000000,"Healthcheck":{"Test":["NONE"]},"Hosts":["10.0.0.5 nas","10.0.0.6 printer"],
            "DNSConfig":{"Nameservers":["1.1.1.1"],"Search":["lab"]},"Secrets":[{"File":{"Name":"token.txt","UID":"1000",
            "GID":"1000","Mode":288},"SecretID":"npuala7w2ozjswra4cbs6f11t","SecretName":"kitchen_token"}],
            "Configs":[{"File":{"Name":"conf","UID":"0","GID":"0","Mode":292},"ConfigID":"z3v8gvywb6uzya1rwg9unfxyj",
            "ConfigName":"kitchen_conf"}],"Isolation":"default","Sysctls":{"net.core.somaxconn":"1024"},
            "CapabilityAdd":["CAP_NET_ADMIN","CAP_SYS_TIME"],"CapabilityDrop":["CAP_MKNOD"],"Ulimits":[{"Name":"nofile",
            "Hard":2048,"Soft":1024},{"Name":"nproc","Hard":512,"Soft":512}]},"Resources":{"Limits":{"NanoCPUs":250000000,
            "MemoryBytes":67108864},"Reservations":{"NanoCPUs":100000000,"MemoryBytes":33554432}},
            "RestartPolicy":{"Condition":"on-failure","Delay":5000000000,"MaxAttempts":3},
            "Placement":{"Constraints":["node.role==manager"],
            "Preferences":[{"Spread":{"SpreadDescriptor":"node.labels.zone"}}],"MaxReplicas":2},
            "Networks":[{"Target":"axyywvdt6xqciu3kopo8n3b8k","Aliases":["web","app"]}],"LogDriver":{"Name":"json-file",
            "Options":{"max-size":"10m"}},"ForceUpdate":0,"Runtime":"container"},"Mode":{"Replicated":{"Replicas":2}},
            "UpdateConfig":{"Parallelism":1,"Delay":10000000000,"FailureAction":"continue","Monitor":5000000000,
            "MaxFailureRatio":0.5,"Order":"stop-first"},"RollbackConfig":{"Parallelism":2,"FailureAction":"pause",
            "Monitor":30000000000,"MaxFailureRatio":0,"Order":"stop-first"},"EndpointSpec":{"Mode":"vip",
            "Ports":[{"Protocol":"tcp","TargetPort":3000,"PublishMode":"ingress"},{"Protocol":"udp","TargetPort":53,
            "PublishedPort":53,"PublishMode":"ingress"},{"Protocol":"tcp","TargetPort":7001,"PublishedPort":9001,
            "PublishMode":"ingress"}]}}
            """#,
        "worker": #"""
            {"Name":"kitchen_worker","Labels":{"com.docker.stack.image":"busybox:1.36",
            "com.docker.stack.namespace":"kitchen"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:1.36",
            "Labels":{"com.docker.stack.namespace":"kitchen"},"Args":["sleep","3600"],"Privileges":{"CredentialSpec":null,
            "SELinuxContext":null,"NoNewPrivileges":false},"StopGracePeriod":10000000000,"DNSConfig":{},
            "Isolation":"default"},"Resources":{},"RestartPolicy":{"Condition":"none","Delay":5000000000,"MaxAttempts":0},
            "Placement":{},"Networks":[{"Target":"wwzusujqslzzghs911x1g916q","Aliases":["worker"]}],"ForceUpdate":0,
            "Runtime":"container"},"Mode":{"Global":{}},"UpdateConfig":{"Parallelism":1,"FailureAction":"pause",
            "Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},"RollbackConfig":{"Parallelism":1,
            "FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,"Order":"stop-first"},
            "EndpointSpec":{"Mode":"dnsrr"}}
            """#,
        "job": #"""
            {"Name":"kitchen_job","Labels":{"com.docker.stack.image":"busybox:1.36",
            "com.docker.stack.namespace":"kitchen"},"TaskTemplate":{"ContainerSpec":{"Image":"busybox:1.36",
            "Labels":{"com.docker.stack.namespace":"kitchen"},"Args":["true"],"Privileges":{"CredentialSpec":null,
            "SELinuxContext":null,"NoNewPrivileges":false},"StopGracePeriod":10000000000,"DNSConfig":{},
            "Isolation":"default"},"Resources":{},"RestartPolicy":{"Condition":"any","Delay":5000000000,"MaxAttempts":0},
            "Placement":{},"Networks":[{"Target":"wwzusujqslzzghs911x1g916q","Aliases":["job"]}],"ForceUpdate":0,
            "Runtime":"container"},"Mode":{"ReplicatedJob":{"MaxConcurrent":2,"TotalCompletions":2}},
            "UpdateConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,"MaxFailureRatio":0,
            "Order":"stop-first"},"RollbackConfig":{"Parallelism":1,"FailureAction":"pause","Monitor":5000000000,
            "MaxFailureRatio":0,"Order":"stop-first"},"EndpointSpec":{"Mode":"vip"}}
            """#,
    ]

    static let kitchenYAML = """
        version: "3.8"
        services:
          app:
            image: busybox:1.36
            entrypoint: ["/bin/sh", "-c"]
            command: sleep 3600 && echo 'done here'
            labels: [role=app, flag]
            environment: {B: "2", A: "x y", EMPTY: ""}
            hostname: "{{.Task.Name}}"
            user: "1000:1000"
            working_dir: /srv
            read_only: true
            init: true
            stop_signal: SIGINT
            stop_grace_period: 1m30s
            extra_hosts: ["nas:10.0.0.5", "printer:10.0.0.6"]
            dns: 1.1.1.1
            dns_search: [lab]
            cap_add: [net_admin, CAP_SYS_TIME]
            cap_drop: [mknod]
            sysctls: {net.core.somaxconn: 1024}
            ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
            logging: {driver: json-file, options: {max-size: 10m}}
            restart: on-failure:3
            healthcheck: {disable: true}
            ports: ["9001:7001", "53:53/udp", "3000"]
            volumes:
              - data:/data:ro
              - ext:/ext
              - named:/named:nocopy
              - /srv/media:/media:ro,rslave
              - /cache
              - {type: tmpfs, target: /tmp, tmpfs: {size: 67108864}}
            networks:
              front: {aliases: [web]}
            secrets:
              - {source: token, target: token.txt, uid: "1000", gid: "1000", mode: 0440}
            configs: [conf]
            deploy:
              mode: replicated
              replicas: 2
              endpoint_mode: vip
              labels: {a: b}
              placement:
                constraints: [node.role==manager]
                preferences: [{spread: node.labels.zone}]
                max_replicas_per_node: 2
              resources:
                limits: {cpus: '0.25', memory: 64M}
                reservations: {cpus: '0.1', memory: 32M}
              update_config: {delay: 10s, failure_action: continue, max_failure_ratio: 0.5}
              rollback_config: {parallelism: 2, monitor: 30s}
          worker:
            image: busybox:1.36
            command: ["sleep", "3600"]
            deploy:
              mode: global
              endpoint_mode: dnsrr
              restart_policy: {condition: none}
          job:
            image: busybox:1.36
            command: ["true"]
            deploy:
              mode: replicated-job
              replicas: 2
        networks:
          front:
        volumes:
          data:
          ext: {external: true}
          named: {name: shared-data, driver: local, driver_opts: {type: tmpfs, device: tmpfs}, labels: [backup=yes]}
        secrets:
          token: {file: ./secrets/sonarr_api_key}
        configs:
          conf: {file: ./sonarr.xml}

        """

    /// The spec as the SDK decodes Docker's JSON.
    static func decoded(_ json: String) throws -> Swarm.ServiceSpec {
        try JSONDecoder().decode(Swarm.ServiceSpec.self, from: Data(json.utf8))
    }
}
