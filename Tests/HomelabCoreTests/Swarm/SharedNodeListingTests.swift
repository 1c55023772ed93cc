import Foundation
import Synchronization
import Testing

@testable import HomelabCore

/// The node listing a rollout's concurrent convergence polls share.
@Suite("Shared node listing")
struct SharedNodeListingTests {
    static func listing(_ ids: String...) throws -> [Swarm.Node] {
        try JSONDecoder().decode([Swarm.Node].self, from: Data("[\(ids.map { #"{"ID":"\#($0)"}"# }.joined(separator: ","))]".utf8))
    }

    @Test("callers at the same moment share one fetch; a listing older than maxAge is fetched again")
    func sharesOneFetch() async throws {
        let calls = Atomic<Int>(0)
        let fetch: @Sendable () async throws -> [Swarm.Node] = {
            let n = calls.add(1, ordering: .relaxed).newValue
            try await Task.sleep(for: .milliseconds(50))
            return try Self.listing("node-\(n)")
        }
        let shared = SharedNodeListing(maxAge: .seconds(3600))
        let ids = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<30 { group.addTask { try await shared.nodes(fetch).first?.id } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(Set(ids) == ["node-1"])
        #expect(try await shared.nodes(fetch).first?.id == "node-1", "a listing within maxAge is reused")
        #expect(shared.fetchCount == 1)

        let brief = SharedNodeListing(maxAge: .milliseconds(1))
        #expect(try await brief.nodes(fetch).first?.id == "node-2")
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await brief.nodes(fetch).first?.id == "node-3", "a listing older than maxAge is fetched again")
        #expect(brief.fetchCount == 2)
    }

    @Test("a failed fetch reaches every caller waiting for it and is not kept")
    func failureIsNotKept() async throws {
        let shared = SharedNodeListing(maxAge: .seconds(60))
        let fail = Atomic<Bool>(true)
        let fetch: @Sendable () async throws -> [Swarm.Node] = {
            try await Task.sleep(for: .milliseconds(30))
            if fail.load(ordering: .relaxed) { throw HomelabError(.connectionFailed, "the manager went away", component: "docker") }
            return try Self.listing("back")
        }
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 { group.addTask { (try? await shared.nodes(fetch)) == nil } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 5)
        #expect(shared.fetchCount == 1)
        fail.store(false, ordering: .relaxed)
        #expect(try await shared.nodes(fetch).first?.id == "back")
        #expect(shared.fetchCount == 2)
    }
}
