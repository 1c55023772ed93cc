import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// A realistic media stack and the exact specs `docker stack deploy` makes of it (stack `media`).
enum MediaStack {
    static let environment = ["PLEX_CLAIM": "claim-abc", "SONARR_API_KEY": "k3y-s3cr3t"]

    /// Line numbers matter: the malformed cases point into variants of it.
    static let yaml = """
        version: "3.8"

        x-common-env: &common-env
          PUID: "1000"
          PGID: "1000"
          TZ: ${TZ:-Europe/Amsterdam}

        services:
          plex:
            image: plexinc/pms-docker:1.40.1
            environment:
              <<: *common-env
              PLEX_CLAIM: ${PLEX_CLAIM}
            volumes:
              - plex-config:/config
              - /mnt/tank/media:/data:ro
              - type: tmpfs
                target: /transcode
                tmpfs:
                  size: 2147483648
            ports:
              - "32400:32400"
              - target: 1900
                published: 1900
                protocol: udp
                mode: host
            networks:
              - media
            deploy:
              placement:
                constraints:
                  - node.hostname == barbary
              resources:
                limits:
                  cpus: '4'
                  memory: 8G
                reservations:
                  memory: 2G
              restart_policy:
                condition: on-failure
                delay: 10s
                max_attempts: 3
                window: 2m
              labels:
                caddy: plex.example.lab
                caddy.reverse_proxy: "{{upstreams 32400}}"
            healthcheck:
              test: ["CMD", "curl", "-fsS", "http://localhost:32400/identity"]
              interval: 30s
              timeout: 10s
              start_period: 1m
              retries: 3

          prowlarr:
            image: lscr.io/linuxserver/prowlarr:1.16.2
            environment:
              <<: *common-env
            volumes:
              - prowlarr-config:/config
            networks:
              - media
            healthcheck:
              test: curl -fsS http://localhost:9696/ping || exit 1
              interval: 30s
            deploy:
              replicas: 1
              update_config:
                order: start-first
                delay: 10s

          sonarr:
            image: lscr.io/linuxserver/sonarr:4.0.2
            depends_on:
              - prowlarr
            environment:
              - PUID=1000
              - PGID=1000
              - SONARR__AUTH__APIKEY=${SONARR_API_KEY:?set SONARR_API_KEY}
            secrets:
              - sonarr_api_key
              - source: db_password
                target: /run/secrets/db
                mode: 0400
            configs:
              - source: sonarr_config
                target: /config/config.xml
            volumes:
              - sonarr-config:/config
              - /mnt/tank/media:/data
            networks:
              media:
                aliases: [tv]
              proxy:
            deploy:
              replicas: 1
              labels:
                homelab.depends-on: plex
              update_config:
                parallelism: 1
                delay: 30s
                failure_action: rollback
                monitor: 1m30s
                order: start-first
              rollback_config:
                parallelism: 0
                order: stop-first
              resources:
                limits:
                  cpus: '0.5'
                  memory: 512M
            healthcheck:
              test: ["CMD-SHELL", "curl -fsS http://localhost:8989/ping || exit 1"]
              interval: 1m
              timeout: 5s
              retries: 5
            stop_grace_period: 30s

        networks:
          media:
          proxy:
            external: true
            name: caddy_proxy

        volumes:
          plex-config:
          prowlarr-config:
          sonarr-config:
            external: true

        secrets:
          sonarr_api_key:
            file: ./secrets/sonarr_api_key
          db_password:
            external: true

        configs:
          sonarr_config:
            name: sonarr_config_v2
            file: ./sonarr.xml

        """

    static let plex = """
        {
          "Name": "media_plex",
          "Labels": {
            "caddy": "plex.example.lab", "caddy.reverse_proxy": "{{upstreams 32400}}",
            "com.docker.stack.namespace": "media", "com.docker.stack.image": "plexinc/pms-docker:1.40.1"
          },
          "TaskTemplate": {
            "ContainerSpec": {
              "Image": "plexinc/pms-docker:1.40.1",
              "Labels": {"com.docker.stack.namespace": "media"},
              "Env": ["PGID=1000", "PLEX_CLAIM=claim-abc", "PUID=1000", "TZ=Europe/Amsterdam"],
              "Mounts": [
                {"Type": "volume", "Source": "media_plex-config", "Target": "/config",
                 "VolumeOptions": {"Labels": {"com.docker.stack.namespace": "media"}}},
                {"Type": "bind", "Source": "/mnt/tank/media", "Target": "/data", "ReadOnly": true},
                {"Type": "tmpfs", "Target": "/transcode", "TmpfsOptions": {"SizeBytes": 2147483648}}
              ],
              "HealthCheck": {
                "Test": ["CMD", "curl", "-fsS", "http://localhost:32400/identity"],
                "Interval": 30000000000, "Timeout": 10000000000, "StartPeriod": 60000000000, "Retries": 3
              }
            },
            "Resources": {
              "Limits": {"NanoCPUs": 4000000000, "MemoryBytes": 8589934592},
              "Reservations": {"MemoryBytes": 2147483648}
            },
            "RestartPolicy": {"Condition": "on-failure", "Delay": 10000000000, "MaxAttempts": 3, "Window": 120000000000},
            "Placement": {"Constraints": ["node.hostname == barbary"]},
            "Networks": [{"Target": "media_media", "Aliases": ["plex"]}]
          },
          "Mode": {"Replicated": {}},
          "EndpointSpec": {
            "Ports": [
              {"Protocol": "udp", "TargetPort": 1900, "PublishedPort": 1900, "PublishMode": "host"},
              {"Protocol": "tcp", "TargetPort": 32400, "PublishedPort": 32400, "PublishMode": "ingress"}
            ]
          }
        }
        """

    static let prowlarr = """
        {
          "Name": "media_prowlarr",
          "Labels": {"com.docker.stack.namespace": "media", "com.docker.stack.image": "lscr.io/linuxserver/prowlarr:1.16.2"},
          "TaskTemplate": {
            "ContainerSpec": {
              "Image": "lscr.io/linuxserver/prowlarr:1.16.2",
              "Labels": {"com.docker.stack.namespace": "media"},
              "Env": ["PGID=1000", "PUID=1000", "TZ=Europe/Amsterdam"],
              "Mounts": [
                {"Type": "volume", "Source": "media_prowlarr-config", "Target": "/config",
                 "VolumeOptions": {"Labels": {"com.docker.stack.namespace": "media"}}}
              ],
              "HealthCheck": {"Test": ["CMD-SHELL", "curl -fsS http://localhost:9696/ping || exit 1"], "Interval": 30000000000}
            },
            "Networks": [{"Target": "media_media", "Aliases": ["prowlarr"]}]
          },
          "Mode": {"Replicated": {"Replicas": 1}},
          "UpdateConfig": {"Parallelism": 1, "Delay": 10000000000, "Order": "start-first"}
        }
        """

    static let sonarr = """
        {
          "Name": "media_sonarr",
          "Labels": {
            "homelab.depends-on": "plex", "com.docker.stack.namespace": "media",
            "com.docker.stack.image": "lscr.io/linuxserver/sonarr:4.0.2"
          },
          "TaskTemplate": {
            "ContainerSpec": {
              "Image": "lscr.io/linuxserver/sonarr:4.0.2",
              "Labels": {"com.docker.stack.namespace": "media"},
              "Env": ["PGID=1000", "PUID=1000", "SONARR__AUTH__APIKEY=k3y-s3cr3t"],
              "Mounts": [
                {"Type": "volume", "Source": "sonarr-config", "Target": "/config"},
                {"Type": "bind", "Source": "/mnt/tank/media", "Target": "/data"}
              ],
              "StopGracePeriod": 30000000000,
              "HealthCheck": {
                "Test": ["CMD-SHELL", "curl -fsS http://localhost:8989/ping || exit 1"],
                "Interval": 60000000000, "Timeout": 5000000000, "Retries": 5
              },
              "Secrets": [
                {"File": {"Name": "/run/secrets/db", "UID": "0", "GID": "0", "Mode": 256}, "SecretName": "db_password"},
                {"File": {"Name": "sonarr_api_key", "UID": "0", "GID": "0", "Mode": 292}, "SecretName": "media_sonarr_api_key"}
              ],
              "Configs": [
                {"File": {"Name": "/config/config.xml", "UID": "0", "GID": "0", "Mode": 292}, "ConfigName": "sonarr_config_v2"}
              ]
            },
            "Resources": {"Limits": {"NanoCPUs": 500000000, "MemoryBytes": 536870912}},
            "Networks": [
              {"Target": "caddy_proxy", "Aliases": ["sonarr"]},
              {"Target": "media_media", "Aliases": ["tv", "sonarr"]}
            ]
          },
          "Mode": {"Replicated": {"Replicas": 1}},
          "UpdateConfig": {
            "Parallelism": 1, "Delay": 30000000000, "FailureAction": "rollback", "Monitor": 90000000000,
            "Order": "start-first"
          },
          "RollbackConfig": {"Parallelism": 0, "Order": "stop-first"}
        }
        """

    static func spec(_ json: String) throws -> Swarm.ServiceSpec {
        try JSONDecoder().decode(Swarm.ServiceSpec.self, from: Data(json.utf8))
    }

    static func sortedJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }

    /// The media stack converted with ``environment``.
    static func converted() throws -> ComposeStack {
        try ComposeConverter.convert(yaml: yaml, stack: "media", file: "media.yml", environment: environment)
    }
}
