import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Credential references")
struct CredentialReferenceTests {
    @Test("parses the three forms and prints them back", arguments: [
        ("env:AUTHENTIK_TOKEN", CredentialReference.env("AUTHENTIK_TOKEN")),
        ("file:/run/secrets/token", .file("/run/secrets/token")),
        ("file:~/.config/homelab/token", .file("~/.config/homelab/token")),
        ("op://homelab/authentik/api-token", .onePassword(vault: "homelab", item: "authentik", section: nil, field: "api-token")),
        ("op://Home Lab/TrueNAS key/api/credential", .onePassword(vault: "Home Lab", item: "TrueNAS key", section: "api", field: "credential")),
    ])
    func parses(text: String, expected: CredentialReference) throws {
        let reference = try CredentialReference(parsing: text)
        #expect(reference == expected)
        #expect(reference.description == text)
    }

    @Test("refuses malformed references without repeating them", arguments: [
        ("hunter2-literal", "a literal secret is not allowed"),
        ("env:", "env: reference needs a variable name"),
        ("env:1TOKEN", "env: reference needs a variable name"),
        ("env:MY-TOKEN", "env: reference needs a variable name"),
        ("file:relative/token", "file: reference needs an absolute path"),
        ("file:", "file: reference needs an absolute path"),
        ("op://myvault/myitem", "needs a vault, an item and a field"),
        ("op://vault//field", "needs a vault, an item and a field"),
        ("op://a/b/c/d/e", "needs a vault, an item and a field"),
        ("op://vault/item/field?attribute=otp", "may hold only letters"),
    ])
    func refuses(text: String, fragment: String) {
        let error = #expect(throws: HomelabError.self) { try CredentialReference(parsing: text) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        if text.count > 5 {  // "env:" and "file:" are part of the guidance itself
            #expect(error?.description.contains(text) == false)
        }
    }

    @Test("a literal is flagged as one; a malformed reference is not")
    func literalFlag() {
        guard case .failure(let literal) = CredentialReference.parse("s3cret") else { Issue.record("parsed a literal"); return }
        #expect(literal.isLiteral)
        guard case .failure(let malformed) = CredentialReference.parse("env:") else { Issue.record("parsed env:"); return }
        #expect(!malformed.isLiteral)
    }

    @Test("displays show the scheme only")
    func schemeOnly() throws {
        #expect(try CredentialReference(parsing: "op://homelab/authentik/api-token").schemeOnly == "op://…")
        #expect(CredentialReference.env("X").schemeOnly == "env:…")
        #expect(CredentialReference.file("/x").schemeOnly == "file:…")
    }
}

@Suite("EnvironmentSecretResolver")
struct EnvironmentSecretResolverTests {
    @Test("reads env: references from the environment it was given, not the process")
    func env() async throws {
        let resolver = EnvironmentSecretResolver(environment: ["AUTHENTIK_TOKEN": "tok-4711-abcd"])
        let secret = try await resolver.resolve(.env("AUTHENTIK_TOKEN"))
        #expect(secret.reveal() == "tok-4711-abcd")
        #expect("\(secret)" == Redaction.placeholder)
        let error = await #expect(throws: HomelabError.self) { try await resolver.resolve(.env("PATH")) }
        #expect(error?.code == .secretUnavailable)
        #expect(error?.message.contains("PATH is not set") == true)
    }

    @Test("reads file: references, dropping one trailing newline, expanding ~ from the given HOME")
    func file() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secret-resolver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("token")
        try "file-secret-9f8e\n".write(to: file, atomically: true, encoding: .utf8)
        let resolver = EnvironmentSecretResolver(environment: ["HOME": directory.path])
        #expect(try await resolver.resolve(.file(file.path)).reveal() == "file-secret-9f8e")
        #expect(try await resolver.resolve(.file("~/token")).reveal() == "file-secret-9f8e")

        let empty = directory.appendingPathComponent("empty")
        try "\n".write(to: empty, atomically: true, encoding: .utf8)
        let emptyError = await #expect(throws: HomelabError.self) { try await resolver.resolve(.file(empty.path)) }
        #expect(emptyError?.message.contains("is empty") == true)

        let missing = await #expect(throws: HomelabError.self) {
            try await resolver.resolve(.file(directory.appendingPathComponent("missing").path))
        }
        #expect(missing?.code == .secretUnavailable)
        #expect(missing?.description.contains("file-secret-9f8e") == false)
    }

    @Test("refuses files larger than the limit")
    func tooLarge() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("large-\(UUID().uuidString)")
        try String(repeating: "x", count: 100).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let resolver = EnvironmentSecretResolver(environment: [:], maximumFileSize: 10)
        let error = await #expect(throws: HomelabError.self) { try await resolver.resolve(.file(file.path)) }
        #expect(error?.message.contains("more than the 10 allowed") == true)
    }

    @Test("leaves op:// references to a 1Password Connect resolver")
    func onePassword() async {
        let resolver = EnvironmentSecretResolver(environment: [:])
        let error = await #expect(throws: HomelabError.self) {
            try await resolver.resolve(.onePassword(vault: "homelab", item: "x", section: nil, field: "y"))
        }
        #expect(error?.code == .secretUnavailable)
        #expect(error?.message.contains("1Password Connect") == true)
    }
}
