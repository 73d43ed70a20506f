/// Time order of a result. Ties on time are broken by id, so pages never overlap or skip.
public enum SortOrder: String, Sendable, Hashable, CaseIterable {
    case newestFirst = "desc"
    case oldestFirst = "asc"
}
