import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

/// A 1Password stand-in that counts its lookups and can be slow, to see the cache and the de-duplication.
final class CountingResolver: SecretResolver {
    let calls = Locked(0)
    let delay: Duration

    init(delay: Duration = .zero) { self.delay = delay }

    func resolve(_ reference: CredentialReference) async throws -> Secret {
        calls.withLock { $0 += 1 }
        try await Task.sleep(for: delay)
        return Secret("op-value-\(reference.description.count)")
    }

    var count: Int { calls.withLock { $0 } }
}

@Suite("CompositeSecretResolver resolves each reference once per process")
struct CompositeSecretResolverTests {
    @Test("env: and file: go to the environment resolver, op:// to the 1Password one")
    func routesByKind() async throws {
        let folder = try TemporaryFolder()
        let file = folder.path + "/token"
        try "file-secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        let onePassword = CountingResolver()
        let resolver = CompositeSecretResolver(environment: ["TOKEN": "env-secret"], onePassword: onePassword)
        #expect(try await resolver.resolve(.env("TOKEN")).reveal() == "env-secret")
        #expect(try await resolver.resolve(.file(file)).reveal() == "file-secret")
        let op = CredentialReference.onePassword(vault: "homelab", item: "komodo", section: nil, field: "api-key")
        #expect(try await resolver.resolve(op).reveal().hasPrefix("op-value-"))
        #expect(onePassword.count == 1)
    }

    @Test("a reference resolved before comes from the cache")
    func cachesResolvedSecrets() async throws {
        let onePassword = CountingResolver()
        let resolver = CompositeSecretResolver(environment: ["TOKEN": "v"], onePassword: onePassword)
        let op = CredentialReference.onePassword(vault: "v", item: "i", section: nil, field: "f")
        for _ in 0..<3 {
            _ = try await resolver.resolve(op)
            _ = try await resolver.resolve(.env("TOKEN"))
        }
        #expect(onePassword.count == 1)
        #expect(await resolver.resolutions == 2)
    }

    @Test("callers asking for the same reference at once share one resolution")
    func deduplicatesConcurrentResolutions() async throws {
        let onePassword = CountingResolver(delay: .milliseconds(100))
        let resolver = CompositeSecretResolver(environment: [:], onePassword: onePassword)
        let op = CredentialReference.onePassword(vault: "v", item: "i", section: nil, field: "f")
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await resolver.resolve(op).reveal() } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(values.count == 1)
        #expect(onePassword.count == 1)
    }

    @Test("op:// without a 1Password resolver fails saying so, and a failure is not cached")
    func onePasswordMissing() async throws {
        let resolver = CompositeSecretResolver(environment: [:])
        let op = CredentialReference.onePassword(vault: "homelab", item: "proxmox", section: nil, field: "credential")
        let error = try await #require(throws: HomelabError.self) { try await resolver.resolve(op) }
        #expect(error.code == .secretUnavailable)
        #expect(error.message.contains("no 1Password resolver is configured"))
        #expect(error.message.contains("op://homelab/proxmox/credential"))
        _ = try? await resolver.resolve(op)
        #expect(await resolver.resolutions == 2, "a failed reference is looked up again")
    }
}
