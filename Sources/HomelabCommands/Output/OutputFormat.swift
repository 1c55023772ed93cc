import ArgumentParser

/// The formats of `-o/--output`.
public enum OutputFormat: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// Columns for people, fitted to the terminal's width (the widest column is cut with an ellipsis).
    case table
    /// Every column, never cut.
    case wide
    /// The command's documented JSON shape: snake_case keys, sorted; ISO 8601 times.
    case json
    /// The same document as `json`, in YAML.
    case yaml
    /// A Mermaid flowchart, for commands that show a graph (`rollout plan`).
    case mermaid

    /// Whether this is one of the structured formats scripts read.
    public var isStructured: Bool { self == .json || self == .yaml }
}
