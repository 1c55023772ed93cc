import Foundation

/// Which page to ask for next.
public enum PageRequest: Sendable, Hashable, CustomStringConvertible {
    /// Page number `number` (1-based) of `size` items.
    case page(_ number: Int, size: Int)
    /// `limit` items starting at item `offset` (0-based).
    case offset(_ offset: Int, limit: Int)

    public var description: String {
        switch self {
        case .page(let number, let size): return "page \(number) (size \(size))"
        case .offset(let offset, let limit): return "offset \(offset) (limit \(limit))"
        }
    }
}

/// One page of a listing: its items and the request for the next page (`nil` on the last).
public struct Page<Element: Sendable>: Sendable {
    /// The items on this page.
    public var items: [Element]
    /// What to ask for next; `nil` when this was the last page.
    public var next: PageRequest?

    /// A page.
    public init(items: [Element], next: PageRequest?) {
        self.items = items
        self.next = next
    }
}

/// Every item of a paginated listing, fetched page by page as it is iterated.
///
/// The four styles the homelab's APIs use each have a constructor: ``nextField(pageSize:component:fetch:)``
/// (Authentik: `page`/`page_size`, `pagination.next` is 0 on the last page), ``linkHeader(limit:component:fetch:)``
/// (Forgejo: `page`/`limit`, `Link: rel="next"` and `X-Total-Count`), ``pageNumbers(perPage:component:fetch:)``
/// (Woodpecker: `page`/`perPage`, no total: a short page is the last) and ``offsets(limit:component:fetch:)``
/// (TrueNAS `query-options`, Komodo: offset/limit, a short page is the last). A server that keeps sending the same
/// page, or more than ``maxPages`` pages, ends the iteration with an error instead of looping.
public struct PagedSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// Fetches one page.
    public typealias Fetch = @Sendable (PageRequest) async throws -> Page<Element>

    /// The first request.
    public let first: PageRequest
    /// Pages read at most before the listing is refused as endless.
    public let maxPages: Int
    /// The component, for errors.
    public let component: String?
    let fetch: Fetch

    /// A listing starting at `first`, each page read through `fetch`.
    public init(first: PageRequest, maxPages: Int = 10_000, component: String? = nil, fetch: @escaping Fetch) {
        self.first = first
        self.maxPages = Swift.max(1, maxPages)
        self.component = component
        self.fetch = fetch
    }

    /// Reads the pages as items are asked for.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let sequence: PagedSequence
        var buffer: [Element] = []
        var position = 0
        var next: PageRequest?
        var seen: Set<PageRequest> = []

        /// The next item, fetching the next page when this one is used up.
        /// - Throws: what the fetch throws; ``HomelabError/Code/decodingFailed`` when the server repeats a page
        ///   or sends more than `maxPages` pages.
        public mutating func next() async throws -> Element? {
            while position == buffer.count {
                guard let request = next else { return nil }
                guard seen.insert(request).inserted else {
                    throw HomelabError(
                        .decodingFailed, "the server sent \(request) twice while paginating; stopped to avoid a loop",
                        component: sequence.component)
                }
                guard seen.count <= sequence.maxPages else {
                    throw HomelabError(
                        .decodingFailed, "the listing has more than \(sequence.maxPages) pages; stopped",
                        component: sequence.component)
                }
                let page = try await sequence.fetch(request)
                buffer = page.items
                position = 0
                next = page.next
            }
            defer { position += 1 }
            return buffer[position]
        }
    }

    /// An iterator from the first page.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(sequence: self, next: first)
    }

    /// Every item, in order.
    /// - Throws: as ``AsyncIterator/next()``.
    public func collect() async throws -> [Element] {
        var items: [Element] = []
        for try await item in self { items.append(item) }
        return items
    }
}

extension PagedSequence {
    /// `page`/`page_size` with the next page number in the answer (Authentik's `pagination.next`, 0 or absent on
    /// the last page).
    public static func nextField(
        pageSize: Int, component: String? = nil,
        fetch: @escaping @Sendable (_ page: Int, _ pageSize: Int) async throws -> (items: [Element], next: Int?)
    ) -> PagedSequence {
        PagedSequence(first: .page(1, size: Swift.max(1, pageSize)), component: component) { request in
            guard case .page(let number, let size) = request else { return Page(items: [], next: nil) }
            let (items, next) = try await fetch(number, size)
            guard let next, next > 0 else { return Page(items: items, next: nil) }
            return Page(items: items, next: .page(next, size: size))
        }
    }

    /// `page`/`limit` with a `Link` header naming the next page and `X-Total-Count` (Forgejo, Gitea). Without a
    /// `Link` next, the listing ends; with a total, it ends once that many items were read.
    public static func linkHeader(
        limit: Int, component: String? = nil,
        fetch: @escaping @Sendable (_ page: Int, _ limit: Int) async throws -> (items: [Element], headers: HTTPHeaders)
    ) -> PagedSequence {
        PagedSequence(first: .page(1, size: Swift.max(1, limit)), component: component) { request in
            guard case .page(let number, let size) = request else { return Page(items: [], next: nil) }
            let (items, headers) = try await fetch(number, size)
            if let total = headers["X-Total-Count"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
                (number - 1) * size + items.count >= total
            {
                return Page(items: items, next: nil)
            }
            guard !items.isEmpty, let link = headers["Link"], let nextURL = LinkHeader.parse(link)["next"],
                let nextPage = LinkHeader.queryValue("page", in: nextURL).flatMap(Int.init)
            else { return Page(items: items, next: nil) }
            return Page(items: items, next: .page(nextPage, size: size))
        }
    }

    /// `page`/`perPage` with no total (Woodpecker): a page shorter than `perPage` is the last.
    public static func pageNumbers(
        perPage: Int, component: String? = nil,
        fetch: @escaping @Sendable (_ page: Int, _ perPage: Int) async throws -> [Element]
    ) -> PagedSequence {
        PagedSequence(first: .page(1, size: Swift.max(1, perPage)), component: component) { request in
            guard case .page(let number, let size) = request else { return Page(items: [], next: nil) }
            let items = try await fetch(number, size)
            return Page(items: items, next: items.count < size ? nil : .page(number + 1, size: size))
        }
    }

    /// `offset`/`limit` (TrueNAS `query-options`, Komodo's paged lists): a page shorter than `limit` is the last.
    public static func offsets(
        limit: Int, component: String? = nil,
        fetch: @escaping @Sendable (_ offset: Int, _ limit: Int) async throws -> [Element]
    ) -> PagedSequence {
        PagedSequence(first: .offset(0, limit: Swift.max(1, limit)), component: component) { request in
            guard case .offset(let offset, let limit) = request else { return Page(items: [], next: nil) }
            let items = try await fetch(offset, limit)
            return Page(items: items, next: items.count < limit ? nil : .offset(offset + items.count, limit: limit))
        }
    }
}

/// RFC 8288 `Link` headers: `<https://git.lab/api/v1/repos/search?page=2>; rel="next", <...>; rel="last"`.
public enum LinkHeader {
    /// The target of each relation (`next`, `last`, `prev`, `first`); a link with several relations is listed
    /// under each.
    public static func parse(_ value: String) -> [String: String] {
        var links: [String: String] = [:]
        for part in splitLinks(value) {
            guard let open = part.firstIndex(of: "<"), let close = part[open...].firstIndex(of: ">") else { continue }
            let target = String(part[part.index(after: open)..<close])
            for parameter in part[part.index(after: close)...].split(separator: ";") {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { continue }
                let relations = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                for relation in relations.split(separator: " ") { links[relation.lowercased()] = target }
            }
        }
        return links
    }

    /// The first value of query parameter `name` in `url`, percent-decoded.
    public static func queryValue(_ name: String, in url: String) -> String? {
        guard let start = url.firstIndex(of: "?") else { return nil }
        let query = url[url.index(after: start)...].split(separator: "#", maxSplits: 1).first ?? ""
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1)
            if pair.first.map(String.init) == name {
                let raw = pair.count > 1 ? String(pair[1]) : ""
                return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
            }
        }
        return nil
    }

    /// Splits at commas outside `<...>` (a URL may contain commas).
    private static func splitLinks(_ value: String) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = value.startIndex
        for index in value.indices {
            switch value[index] {
            case "<": depth += 1
            case ">": depth = Swift.max(0, depth - 1)
            case "," where depth == 0:
                parts.append(value[start..<index])
                start = value.index(after: index)
            default: break
            }
        }
        parts.append(value[start...])
        return parts
    }
}
