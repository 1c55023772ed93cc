import ArgumentParser

/// `-o/--output table|wide|json|yaml|mermaid` and `-q/--quiet`: add with `@OptionGroup var output: OutputOptions`
/// and show data through ``list(_:table:id:)`` or ``show(_:ids:mermaid:text:)`` (see ``Output``).
public struct OutputOptions: ParsableArguments, Sendable {
    /// The format asked for.
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: "Output format: table (default; fits the terminal), wide, json, yaml (and mermaid where a graph is shown).")
    public var format: OutputFormat = .table

    /// Identifiers only.
    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "Print identifiers only, one per line.")
    public var quiet = false

    /// Parsed from arguments by ArgumentParser.
    public init() {}

    /// Options with these values (for code that shows data without parsing arguments).
    public init(format: OutputFormat, quiet: Bool = false) {
        self.format = format
        self.quiet = quiet
    }

    /// The writer for these options on the active terminal.
    public var writer: Output { Output(format: format, quiet: quiet, terminal: .active) }

    /// Shows a listing: see ``Output/list(_:table:id:)``.
    /// - Throws: `ValidationError` for `-o mermaid`; an encoding failure.
    public func list<Row: Encodable>(_ rows: [Row], table: Table<Row>, id: (Row) -> String) throws {
        try writer.list(rows, table: table, id: id)
    }

    /// Shows one document: see ``Output/show(_:ids:mermaid:text:)``.
    /// - Throws: `ValidationError` for `-o mermaid` without a graph; an encoding failure.
    public func show<Document: Encodable>(
        _ document: Document, ids: [String] = [], mermaid: (() -> String)? = nil, text: (_ wide: Bool) -> String
    ) throws {
        try writer.show(document, ids: ids, mermaid: mermaid, text: text)
    }

    /// A line for people as things happen: see ``Output/line(_:)``.
    public func line(_ text: String) { writer.line(text) }
}
