import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

/// Optimistic updates for the three ways components say "changed meanwhile", and lazy version negotiation.
@Suite("Client kit: optimistic updates and version negotiation")
struct ConcurrencyBlocksTests {
    final class Attempts: Sendable {
        private let count = Locked(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
        var total: Int { count.withLock { $0 } }
    }

    static let conflicts: [(String, OptimisticUpdate, HomelabError)] = [
        ("docker", .docker(maxAttempts: 3), HomelabError(.outOfSequence, "update out of sequence", component: "docker")),
        ("caddy", .ifMatch(maxAttempts: 3), HomelabError(.httpStatus, "precondition failed", component: "caddy", status: 412)),
        ("proxmox", .digest(maxAttempts: 3),
         HomelabError(.httpStatus, "refused", component: "proxmox", status: 500, serverMessage: "detected modified configuration - file changed by other user? Try again. (digest mismatch)")),
    ]

    @Test("each component's conflict is re-read and retried until it goes through", arguments: [0, 1, 2])
    func retriesConflicts(_ index: Int) async throws {
        let (component, update, conflict) = Self.conflicts[index]
        let attempts = Attempts()
        let result = try await update.run("object", component: component, logger: nil) { () -> String in
            if attempts.next() < 3 { throw conflict }
            return "written"
        }
        #expect(result == "written")
        #expect(attempts.total == 3)
    }

    @Test("a conflict on every attempt ends as out of sequence, saying how many attempts were made", arguments: [0, 1, 2])
    func givesUp(_ index: Int) async throws {
        let (component, update, conflict) = Self.conflicts[index]
        let attempts = Attempts()
        let error = await #expect(throws: HomelabError.self) {
            _ = try await update.run("route @web", component: component, logger: nil) { () -> Int in
                _ = attempts.next()
                throw conflict
            }
        }
        #expect(attempts.total == 3)
        #expect(error?.code == .outOfSequence)
        #expect(error?.message.contains("after 3 attempts") == true)
    }

    @Test("any other error stops at once")
    func otherErrors() async throws {
        let attempts = Attempts()
        await #expect(throws: HomelabError.self) {
            _ = try await OptimisticUpdate.ifMatch().run("x", component: "caddy", logger: nil) { () -> Int in
                _ = attempts.next()
                throw HomelabError(.notFound, "gone", status: 404)
            }
        }
        #expect(attempts.total == 1)
    }

    struct CountingNegotiator: APIVersionNegotiator {
        let probes: Attempts
        func negotiate(logger: Logger?) async throws -> String {
            let n = probes.next()
            try await Task.sleep(for: .milliseconds(30))
            if n == 1 { throw HomelabError(.connectionFailed, "first probe fails") }
            return "v\(n)"
        }
    }

    @Test("negotiation: a failure is not kept, concurrent first calls share one probe, reset asks again")
    func negotiation() async throws {
        let probes = Attempts()
        let negotiation = VersionNegotiation(CountingNegotiator(probes: probes))
        await #expect(throws: HomelabError.self) { _ = try await negotiation.outcome(logger: nil) }
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await negotiation.outcome(logger: nil) } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(answers) == ["v2"])
        #expect(probes.total == 2)
        #expect(await negotiation.current == "v2")
        await negotiation.reset()
        #expect(try await negotiation.outcome(logger: nil) == "v3")
    }

    @Test("a fixed version never probes")
    func fixed() async throws {
        let probes = Attempts()
        let negotiation = VersionNegotiation(CountingNegotiator(probes: probes), fixed: "1.41")
        #expect(try await negotiation.outcome(logger: nil) == "1.41")
        #expect(probes.total == 0)
    }
}

/// Retry rules that look at the answer, and POSTs that are reads.
@Suite("Client kit: retry rules")
struct RetryRuleTests {
    final class Waits: Sendable {
        private let recorded = Locked<[Duration]>([])
        var all: [Duration] { recorded.withLock { $0 } }
        var sleeper: @Sendable (Duration) async throws -> Void { { d in self.recorded.withLock { $0.append(d) } } }
    }

    func client(_ transport: InMemoryTransport, _ policy: RetryPolicy, _ waits: Waits) -> HTTPClient {
        HTTPClient(
            transport: transport, endpoint: .url("https://pve.lab:8006"), component: "proxmox",
            middleware: [RetryMiddleware(policy: policy, sleep: waits.sleeper, random: { 1 })])
    }

    @Test("a 500 saying the VM is locked is retried; another 500 is not")
    func lockedVM() async throws {
        let policy = RetryPolicy(maxAttempts: 3, retryableAnswers: [.status(500, messageContains: "is locked")])
        let transport = InMemoryTransport()
        transport.enqueue([
            .success(InMemoryTransport.json(500, text: #"{"errors":"VM 101 is locked (clone)"}"#)),
            .success(InMemoryTransport.json(text: #"{"data":null}"#)),
        ])
        let waits = Waits()
        let response = try await client(transport, policy, waits).send(HTTPRequest(method: .put, path: "/api2/json/nodes/pve/qemu/101/config"))
        #expect(response.status == 200)
        #expect(transport.requests.count == 2)
        #expect(waits.all.count == 1)

        let other = InMemoryTransport { _, _ in InMemoryTransport.json(500, text: #"{"errors":"storage full"}"#) }
        let failed = try await client(other, policy, Waits()).send(HTTPRequest(method: .put, path: "/x"))
        #expect(failed.status == 500)
        #expect(other.requests.count == 1)
    }

    @Test("a POST is retried only when the call says it is a read")
    func postReads() async throws {
        let policy = RetryPolicy(maxAttempts: 3)
        for asRead in [false, true] {
            let transport = InMemoryTransport()
            transport.enqueue([.success(HTTPResponse(status: 503)), .success(HTTPResponse(status: 200))])
            var request = HTTPRequest(method: .post, path: "/read", body: Array(#"{"type":"ListStacks","params":{}}"#.utf8))
            request.retryAsRead = asRead
            let response = try await client(transport, policy, Waits()).send(request)
            #expect(response.status == (asRead ? 200 : 503))
            #expect(transport.requests.count == (asRead ? 2 : 1))
        }
    }

    @Test("rules compare by name, so policies stay Hashable values")
    func ruleEquality() {
        #expect(RetryPolicy.AnswerRule.status(500, messageContains: "locked") == .status(500, messageContains: "locked"))
        #expect(RetryPolicy(retryableAnswers: [.anyFailure]) != RetryPolicy())
    }
}
