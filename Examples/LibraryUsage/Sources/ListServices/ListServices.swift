import Foundation
import HomelabCore

/// Lists the swarm's services with their replicas, like `docker service ls`.
///
/// Usage: `list-services [--host unix:///var/run/docker.sock | tcp://host:2376 ]`
/// Without `--host`, the docker CLI's variables apply (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH,
/// DOCKER_API_VERSION).
@main
struct ListServices {
    static func main() async {
        do {
            var environment = ProcessInfo.processInfo.environment
            let arguments = Array(CommandLine.arguments.dropFirst())
            if let index = arguments.firstIndex(of: "--host") {
                guard index + 1 < arguments.count else { throw UsageError() }
                environment["DOCKER_HOST"] = arguments[index + 1]
            } else if !arguments.isEmpty {
                throw UsageError()
            }
            let connection = try DockerConnection.fromEnvironment(environment)
            let transport = try CurlTransport()
            let client = try SwarmClient(transport: transport, connection: connection)

            // Summaries: the listing's fields only (name, mode, image, counts), read from the same answer as
            // `services.list`, which decodes every service's whole spec.
            let services = try await client.services.summaries(status: true)
            var rows = [["NAME", "MODE", "REPLICAS", "IMAGE"]]
            for service in services.sorted(by: { ($0.name ?? "") < ($1.name ?? "") }) {
                let running = service.serviceStatus?.runningTasks.map(String.init) ?? "?"
                let desired = service.serviceStatus?.desiredTasks.map(String.init) ?? "?"
                rows.append([service.name ?? service.id ?? "?", mode(service.mode), "\(running)/\(desired)", service.image ?? ""])
            }
            print(table(rows))
            let version = try await client.apiVersion()
            print("\(services.count) service(s), Docker API \(version) at \(client.endpointDescription)")
        } catch is UsageError {
            FileHandle.standardError.write(Data("usage: list-services [--host DOCKER_HOST]\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("list-services: \(error)\n".utf8))
            exit(1)
        }
    }

    static func mode(_ mode: Swarm.ServiceMode?) -> String {
        switch mode {
        case .replicated?: return "replicated"
        case .global?: return "global"
        case .replicatedJob?: return "replicated job"
        case .globalJob?: return "global job"
        case .unknown?, nil: return "?"
        }
    }

    static func table(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset] + 2, withPad: " ", startingAt: 0) }
                .joined().trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

struct UsageError: Error {}
