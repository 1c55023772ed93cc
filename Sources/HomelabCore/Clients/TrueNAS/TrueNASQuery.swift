/// The filters and options of a TrueNAS query method (`pool.query`, `pool.dataset.query`, ...): `query-filters`
/// and `query-options`, with offset/limit paging (TrueNAS has no cursor and no total; ask ``count`` separately).
public struct TrueNASQuery: Sendable, Hashable {
    /// One filter `[field, operator, value]`.
    public struct Filter: Sendable, Hashable {
        /// The field (`name`, `pool`).
        public var field: String
        /// `=`, `!=`, `>`, `<`, `>=`, `<=`, `~` (regex), `in`, `^` (starts with), ...
        public var op: String
        /// The value compared with.
        public var value: JSONValue

        /// A filter.
        public init(_ field: String, _ op: String, _ value: JSONValue) {
            self.field = field
            self.op = op
            self.value = value
        }
    }

    /// All must match.
    public var filters: [Filter]
    /// Sort keys (`name`, `-size` for descending).
    public var orderBy: [String]
    /// Items to skip.
    public var offset: Int?
    /// At most this many (TrueNAS caps it at 10,000).
    public var limit: Int?

    /// A query; everything by default.
    public init(filters: [Filter] = [], orderBy: [String] = [], offset: Int? = nil, limit: Int? = nil) {
        self.filters = filters
        self.orderBy = orderBy
        self.offset = offset
        self.limit = limit
    }

    /// Items whose `field` equals `value`.
    public static func whereEqual(_ field: String, _ value: String) -> TrueNASQuery {
        TrueNASQuery(filters: [Filter(field, "=", .string(value))])
    }

    /// `[filters, options]` as params; `count` asks for the number of matches, `get` for one object.
    func params(count: Bool = false, get: Bool = false) -> [JSONValue] {
        var options: [String: JSONValue] = [:]
        if !orderBy.isEmpty { options["order_by"] = .array(orderBy.map { .string($0) }) }
        if let offset { options["offset"] = .integer(Int64(offset)) }
        if let limit { options["limit"] = .integer(Int64(limit)) }
        if count { options["count"] = .bool(true) }
        if get { options["get"] = .bool(true) }
        return [.array(filters.map { .array([.string($0.field), .string($0.op), $0.value]) }), .object(options)]
    }

    /// The same query, one page further.
    public func page(_ index: Int, size: Int) -> TrueNASQuery {
        var next = self
        next.offset = index * size
        next.limit = size
        return next
    }
}
