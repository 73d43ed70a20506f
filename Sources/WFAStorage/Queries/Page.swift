/// Which slice of a result to return. `limit` is capped so no caller can ask a store for everything.
public struct PageRequest: Sendable, Hashable {
    /// The largest `limit` any store accepts.
    public static let maximumLimit = 1_000

    public var limit: Int
    public var offset: Int

    public init(limit: Int = 50, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }

    /// - Throws: ``StorageError`` `storage.invalid_query` when limit is outside 1...1000 or offset is negative.
    public func validated() throws -> PageRequest {
        guard (1...Self.maximumLimit).contains(self.limit), self.offset >= 0 else {
            throw StorageError(.invalidQuery, "limit must be 1...\(Self.maximumLimit) and offset >= 0")
        }
        return self
    }
}

/// One page of a result, with the total number of matches so clients can page.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// All matches, not just this page.
    public var total: Int
    public var limit: Int
    public var offset: Int

    public init(items: [Item], total: Int, limit: Int, offset: Int) {
        self.items = items
        self.total = total
        self.limit = limit
        self.offset = offset
    }

    /// Slices an already ordered, complete result (used by in-memory stores).
    public init(slicing all: [Item], _ request: PageRequest) {
        let start = min(request.offset, all.count)
        let end = min(start + request.limit, all.count)
        self.init(items: Array(all[start..<end]), total: all.count, limit: request.limit, offset: request.offset)
    }
}

extension Page: Equatable where Item: Equatable {}

extension Page {
    /// Every item of a result, read page by page at the largest page size, for the few callers
    /// that need all of it (an org's rules, its open incidents). Runs on the caller's actor, so an
    /// actor may fetch through its own state.
    public static func all(
        isolation: isolated (any Actor)? = #isolation,
        fetching fetch: (PageRequest) async throws -> Page<Item>
    ) async throws -> [Item] {
        var items: [Item] = []
        var offset = 0
        while true {
            let page = try await fetch(PageRequest(limit: PageRequest.maximumLimit, offset: offset))
            items += page.items
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { return items }
        }
    }
}
