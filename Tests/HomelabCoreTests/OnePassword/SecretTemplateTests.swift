import Foundation
import HomelabCore
import HomelabTestSupport
import Synchronization
import Testing

/// A resolver over a dictionary, counting lookups.
actor DictionaryResolver: SecretResolver {
    let values: [String: String]
    var lookups = 0
    init(_ values: [String: String]) { self.values = values }
    func resolve(_ reference: CredentialReference) async throws -> Secret {
        lookups += 1
        guard let value = values[reference.description] else {
            throw HomelabError(.secretUnavailable, "\(reference): no such item", component: "onepassword")
        }
        return Secret(value)
    }
}

@Suite("op inject-style templates")
struct SecretTemplateTests {
    @Test("enclosed and bare references, escapes, other braces and $VARs passing through")
    func renders() async throws {
        let template = try SecretTemplate(parsing: """
            token={{ op://homelab/grafana/token }} again={{op://homelab/grafana/token}}
            dsn=postgres://u:op://homelab/db/section one/password@db
            url=op://homelab/db/host.
            literal={{ "op://not/a/reference" }} keep={{HOMEPAGE_VAR_X}} $HOME ${X:-y}
            """)
        #expect(template.references.map(\.description) == ["op://homelab/grafana/token", "op://homelab/db/section", "op://homelab/db/host."])
        let resolver = DictionaryResolver([
            "op://homelab/grafana/token": "T0K", "op://homelab/db/section": "S", "op://homelab/db/host.": "db.home.arpa",
        ])
        let rendered = try await template.render(with: resolver).reveal()
        #expect(rendered == """
            token=T0K again=T0K
            dsn=postgres://u:S one/password@db
            url=db.home.arpa
            literal=op://not/a/reference keep={{HOMEPAGE_VAR_X}} $HOME ${X:-y}
            """)
        #expect(await resolver.lookups == 3, "each distinct reference once")
    }

    @Test("a malformed reference names its line and column, not its text")
    func malformed() {
        do {
            _ = try SecretTemplate(parsing: "a=1\nb={{ op://only-vault }}\n")
            Issue.record("parsed")
        } catch let error as HomelabError {
            #expect(error.code == .invalidArgument && error.message.contains("line 2, column 3"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("one unresolvable reference fails the whole render, listing every failure and no value")
    func allOrNothing() async throws {
        let template = try SecretTemplate(parsing: "a={{ op://v/i/ok }} b={{ op://v/i/missing }} c={{ op://v/j/gone }}")
        do {
            _ = try await template.render(with: DictionaryResolver(["op://v/i/ok": "value-that-must-not-leak"]))
            Issue.record("rendered")
        } catch let error as HomelabError {
            #expect(error.code == .secretUnavailable)
            #expect(error.message.contains("2 of 3") && error.message.contains("op://v/i/missing") && error.message.contains("op://v/j/gone"))
            #expect(!"\(error)".contains("value-that-must-not-leak"))
        }
    }
}

@Suite("Atomic secret files", .serialized)
struct AtomicFileTests {
    @Test("written with mode 0600, replacing the old file; no temporary file left")
    func writes() throws {
        let folder = try TemporaryFolder(prefix: "atomic")
        let path = folder.file("out.env")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        try AtomicFile.write(Array("new content".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new content")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.env"])
    }

    @Test("a failed write leaves neither the output nor a temporary file")
    func failure() throws {
        let folder = try TemporaryFolder(prefix: "atomic")
        #expect(throws: HomelabError.self) { try AtomicFile.write(Array("x".utf8), to: folder.file("missing-dir/out.env")) }
        try FileManager.default.createDirectory(atPath: folder.file("taken"), withIntermediateDirectories: false)
        #expect(throws: HomelabError.self) { try AtomicFile.write(Array("x".utf8), to: folder.file("taken")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["taken"])
    }

    @Test("a reader polling the file while it is rewritten sees only whole versions")
    func readerNeverSeesPartialFile() async throws {
        let folder = try TemporaryFolder(prefix: "atomic")
        let path = folder.file("big.env")
        let versions = (0..<2).map { String(repeating: Character(String($0)), count: 4 << 20) }
        try AtomicFile.write(Array(versions[0].utf8), to: path)
        // The reader polls on a thread of its own (a spinning task would hold a cooperative-pool thread, and could
        // also never be scheduled before the writes end); the writes go on until it has read a few times.
        let reader = PollingReader()
        async let readerEnded: Void = withCheckedContinuation { continuation in
            DispatchQueue(label: "homelab.tests.atomic-reader").async {
                while !reader.stopped.load(ordering: .relaxed) {
                    guard let data = FileManager.default.contents(atPath: path) else { continue }
                    reader.reads.add(1, ordering: .relaxed)
                    let text = String(decoding: data, as: UTF8.self)
                    if text != versions[0] && text != versions[1] { reader.partial.add(1, ordering: .relaxed) }
                }
                continuation.resume()
            }
        }
        let deadline = ContinuousClock.now + .seconds(120)
        var round = 0
        while round < 20 || (reader.reads.load(ordering: .relaxed) < 3 && ContinuousClock.now < deadline) {
            try AtomicFile.write(Array(versions[round % 2].utf8), to: path)
            round += 1
            await Task.yield()
        }
        reader.stopped.store(true, ordering: .relaxed)
        await readerEnded
        #expect(reader.partial.load(ordering: .relaxed) == 0)
        #expect(reader.reads.load(ordering: .relaxed) > 0)
    }
}

/// What the polling reader of the atomic-write test saw.
private final class PollingReader: Sendable {
    let stopped = Atomic<Bool>(false)
    let reads = Atomic<Int>(0)
    let partial = Atomic<Int>(0)
}
