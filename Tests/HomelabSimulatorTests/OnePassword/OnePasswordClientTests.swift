import Foundation
import HomelabCore
import HomelabSimulator
import HomelabTestSupport
import Testing

@Suite("1Password Connect client and op:// resolution against the simulated Connect", .serialized)
struct OnePasswordClientTests {
    @Test("vaults: list, get, find by name; health and heartbeat at the root")
    func vaults() async throws {
        try await withPlatform { platform in
            let connect = platform.connect()
            let vaults = try await connect.vaults.list()
            #expect(vaults.map(\.name).sorted() == ["homelab", "media"])
            let homelab = try #require(try await connect.vaults.find(name: "homelab").first)
            #expect(try await connect.vaults.get(homelab.id).name == "homelab")
            #expect(try await connect.vaults.find(name: "nothing").isEmpty)
            let health = try await connect.health()
            #expect(health.isHealthy && health.syncStatus == "ACTIVE" && health.version == "1.7.3")
            try await connect.heartbeat()
        }
    }

    @Test("items: summaries without values, title filter, whole item, create, update, delete; files and their content")
    func items() async throws {
        try await withPlatform { platform in
            let connect = platform.connect()
            let homelab = try #require(try await connect.vaults.find(name: "homelab").first)
            let items = connect.items(in: homelab.id)
            let summaries = try await items.list()
            #expect(summaries.allSatisfy { $0.fields == nil }, "lists return summaries")
            #expect(Set(summaries.map(\.title)).isSuperset(of: ["truenas-api-key", "proxmox-api-token", "authentik", "komodo", "postgres"]))
            let found = try await items.find(title: "komodo")
            #expect(found.count == 1)
            let komodo = try await items.get(found[0].id)
            #expect(Set(komodo.fields?.compactMap(\.label) ?? []) == ["username", "api-key", "api-secret"])

            let created = try await items.create(OnePassword.Item(
                title: "backup-key", vault: homelab.id,
                fields: [OnePassword.Field(id: "password", label: "password", value: Secret("s3cret-value"))]))
            #expect(created.id.count == 26 && created.version == 1)
            var changed = created
            changed.fields = [OnePassword.Field(id: "password", label: "password", value: Secret("rotated-value"))]
            let updated = try await items.update(changed)
            #expect(updated.version == 2 && updated.fields?.first?.value?.reveal() == "rotated-value")
            try await items.delete(created.id)
            await #expect(throws: HomelabError.self) { try await items.get(created.id) }

            let postgres = try #require(try await items.find(title: "postgres").first)
            let files = try await connect.files(in: homelab.id, item: postgres.id).list()
            #expect(files.map(\.name) == ["ca.pem"])
            let content = try await connect.files(in: homelab.id, item: postgres.id).content(files[0].id)
            #expect(String(decoding: content, as: UTF8.self).hasPrefix("-----BEGIN CERTIFICATE-----"))
        }
    }

    @Test("a rejected token is a 401 mapped to .unauthorized, without the token in the error")
    func rejectedToken() async throws {
        try await withPlatform { platform in
            let canary = "connect-canary-\(UUID().uuidString)"
            do {
                _ = try await platform.connect(token: canary).vaults.list()
                Issue.record("a wrong token was accepted")
            } catch let error as HomelabError {
                #expect(error.code == .unauthorized && error.status == 401)
                #expect(!"\(error)".contains(canary))
            }
        }
    }

    @Test("op:// references resolve by names and IDs, sections and files; each item is fetched once per run")
    func resolves() async throws {
        try await withPlatform { platform in
            let connect = platform.connect()
            let resolver = OnePasswordSecretResolver(client: connect)
            let key = try await resolver.resolve(try CredentialReference(parsing: "op://homelab/komodo/api-key"))
            let secret = try await resolver.resolve(try CredentialReference(parsing: "op://HOMELAB/Komodo/api-secret"))
            #expect(!key.isEmpty && key != secret)
            let homelab = try #require(try await connect.vaults.find(name: "homelab").first)
            let komodo = try #require(try await connect.items(in: homelab.id).find(title: "komodo").first)
            let byID = try await resolver.resolve(.onePassword(vault: homelab.id, item: komodo.id, section: nil, field: "api-key"))
            #expect(byID == key)
            #expect(await resolver.itemFetches == 1, "three fields of one item: one fetch")
            #expect(await platform.vaults.readCount("item") == 1)

            let sectioned = try await resolver.resolve(try CredentialReference(parsing: "op://homelab/postgres/authentik/password"))
            let other = try await resolver.resolve(try CredentialReference(parsing: "op://homelab/postgres/forgejo/password"))
            #expect(sectioned != other)
            let file = try await resolver.resolve(try CredentialReference(parsing: "op://homelab/postgres/ca.pem"))
            #expect(file.reveal().contains("BEGIN CERTIFICATE"))
            #expect(await resolver.itemFetches == 2)

            for (reference, words) in [
                ("op://homelab/postgres/password", ["2 fields labelled 'password'", "name the section"]),
                ("op://homelab/nothing/password", ["no item titled 'nothing'"]), ("op://nowhere/komodo/api-key", ["no vault named 'nowhere'"]),
                ("op://homelab/komodo/nope", ["no field or file 'nope'"]),
            ] {
                do {
                    _ = try await resolver.resolve(try CredentialReference(parsing: reference))
                    Issue.record("\(reference) resolved")
                } catch let error as HomelabError {
                    #expect(error.code == .secretUnavailable)
                    for word in words { #expect(error.message.contains(word), "\(error.message)") }
                    #expect(!error.message.contains(key.reveal()) && !error.message.contains(secret.reveal()))
                }
            }
        }
    }

    @Test("a title matching two items is an error naming both")
    func ambiguousTitle() async throws {
        try await withPlatform { platform in
            let connect = platform.connect()
            let homelab = try #require(try await connect.vaults.find(name: "homelab").first)
            let first = try await connect.items(in: homelab.id).create(OnePassword.Item(
                title: "duplicate", vault: homelab.id, fields: [OnePassword.Field(id: "password", label: "password", value: Secret("first-value"))]))
            let second = try await connect.items(in: homelab.id).create(OnePassword.Item(
                title: "duplicate", vault: homelab.id, fields: [OnePassword.Field(id: "password", label: "password", value: Secret("second-value"))]))
            do {
                _ = try await OnePasswordSecretResolver(client: connect).resolve(try CredentialReference(parsing: "op://homelab/duplicate/password"))
                Issue.record("an ambiguous title resolved")
            } catch let error as HomelabError {
                #expect(error.code == .secretUnavailable)
                #expect(error.message.contains(first.id) && error.message.contains(second.id), "\(error.message)")
                #expect(!"\(error)".contains("first-value") && !"\(error)".contains("second-value"))
            }
            let byID = try await OnePasswordSecretResolver(client: connect).resolve(.onePassword(vault: "homelab", item: second.id, section: nil, field: "password"))
            #expect(byID.reveal() == "second-value")
        }
    }

    @Test("the whole simulated homelab opens through 1Password: every credential but Connect's token is an op:// reference")
    func simulatedHomelabUsesConnect() async throws {
        try await withPlatform { platform in
            let homelab = platform.sim.simulation.homelab
            for (kind, component) in homelab.components where kind != .onepassword {
                for (name, reference) in component.credentials {
                    #expect(reference.kind == .onePassword, "\(kind).\(name) is \(reference.schemeOnly)")
                }
            }
            #expect(homelab.components[.onepassword]?.credentials["token"]?.kind == .file)
            #expect(homelab.components[.proxmox]?.credentials["token_secret"]
                == .onePassword(vault: "homelab", item: "proxmox-api-token", section: nil, field: "credential"))
            let connections = platform.connections()
            async let nodes = connections.proxmox().nodes.list()
            async let pools = connections.trueNAS().pools.list()
            async let apps = connections.authentik().applications.list().collect()
            let (nodeList, poolList, appList) = try await (nodes, pools, apps)
            #expect(!nodeList.isEmpty && !poolList.isEmpty && appList.count == 14)
            await connections.close()
        }
    }
}
