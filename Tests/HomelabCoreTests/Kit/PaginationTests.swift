import Foundation
import Testing

@testable import HomelabCore

/// The four pagination styles, against servers simulated in memory, at their edges.
@Suite("Client kit: pagination")
struct PaginationTests {
    /// Records which pages were asked for.
    final class Asked: Sendable {
        private let log = Locked<[String]>([])
        func record(_ text: String) { log.withLock { $0.append(text) } }
        var all: [String] { log.withLock { $0 } }
    }

    static let counts = [0, 1, 49, 50, 51, 137]

    @Test("next-page field (Authentik): every item once, 0 ends the listing", arguments: counts)
    func nextField(total: Int) async throws {
        let asked = Asked()
        let items = Array(0..<total)
        let sequence = PagedSequence<Int>.nextField(pageSize: 50) { page, size in
            asked.record("\(page)")
            let slice = Array(items.dropFirst((page - 1) * size).prefix(size))
            let more = page * size < total
            return (slice, more ? page + 1 : 0)
        }
        #expect(try await sequence.collect() == items)
        #expect(asked.all.count == max(1, (total + 49) / 50))
    }

    @Test("Link + X-Total-Count (Forgejo): follows rel=next, stops at the total", arguments: counts)
    func linkHeader(total: Int) async throws {
        let asked = Asked()
        let items = Array(0..<total)
        let sequence = PagedSequence<Int>.linkHeader(limit: 50) { page, limit in
            asked.record("\(page)")
            let slice = Array(items.dropFirst((page - 1) * limit).prefix(limit))
            var headers: HTTPHeaders = ["X-Total-Count": "\(total)"]
            let last = max(1, (total + limit - 1) / limit)
            var links = [#"<https://git.lab/api/v1/repos/search?limit=50&page=\#(last)>; rel="last""#]
            if page < last { links.insert(#"<https://git.lab/api/v1/repos/search?limit=50&page=\#(page + 1)>; rel="next""#, at: 0) }
            headers.add(name: "Link", value: links.joined(separator: ", "))
            return (slice, headers)
        }
        #expect(try await sequence.collect() == items)
        #expect(asked.all.count == max(1, (total + 49) / 50))
    }

    @Test("page numbers without a total (Woodpecker): a short page is the last; an exact multiple costs one empty page",
          arguments: counts)
    func pageNumbers(total: Int) async throws {
        let asked = Asked()
        let items = Array(0..<total)
        let sequence = PagedSequence<Int>.pageNumbers(perPage: 50) { page, perPage in
            asked.record("\(page)")
            return Array(items.dropFirst((page - 1) * perPage).prefix(perPage))
        }
        #expect(try await sequence.collect() == items)
        #expect(asked.all.count == total / 50 + 1)
    }

    @Test("offset/limit (TrueNAS, Komodo): offsets advance by what arrived", arguments: counts)
    func offsets(total: Int) async throws {
        let asked = Asked()
        let items = Array(0..<total)
        let sequence = PagedSequence<Int>.offsets(limit: 50) { offset, limit in
            asked.record("\(offset)")
            return Array(items.dropFirst(offset).prefix(limit))
        }
        #expect(try await sequence.collect() == items)
        #expect(asked.all == (0...(total / 50)).map { "\($0 * 50)" })
    }

    @Test("a server that keeps sending the same next page is stopped, not followed forever")
    func repeatedPage() async throws {
        let sequence = PagedSequence<Int>.nextField(pageSize: 2, component: "authentik") { _, _ in ([1, 2], 2) }
        let error = await #expect(throws: HomelabError.self) { _ = try await sequence.collect() }
        #expect(error?.code == .decodingFailed)
        #expect(error?.component == "authentik")
    }

    @Test("pages are fetched lazily: stopping early asks for nothing more")
    func lazy() async throws {
        let asked = Asked()
        let sequence = PagedSequence<Int>.pageNumbers(perPage: 10) { page, _ in
            asked.record("\(page)")
            return Array((page - 1) * 10..<page * 10)
        }
        for try await item in sequence where item == 3 { break }
        #expect(asked.all == ["1"])
    }

    @Test("Link headers: relations, several per link, commas inside URLs")
    func linkParsing() {
        let links = LinkHeader.parse(
            #"<https://x/api?a=1,2&page=3>; rel="next", <https://x/api?page=9>; rel="last end", <https://x/api?page=1>; rel=first"#)
        #expect(links["next"] == "https://x/api?a=1,2&page=3")
        #expect(links["last"] == "https://x/api?page=9")
        #expect(links["end"] == "https://x/api?page=9")
        #expect(links["first"] == "https://x/api?page=1")
        #expect(LinkHeader.queryValue("page", in: "https://x/api?a=1,2&page=3") == "3")
        #expect(LinkHeader.queryValue("q", in: "https://x/api?q=a+b%21") == "a b!")
    }
}
