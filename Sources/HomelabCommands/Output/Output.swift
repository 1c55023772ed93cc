import ArgumentParser
import Foundation

/// How every `homelab` command shows data: one `-o/--output table|wide|json|yaml` (plus `mermaid` where a graph is
/// shown) and `-q/--quiet`, on the active ``Terminal``.
///
/// **Adopting it in a new command** (the whole convention):
///
/// ```swift
/// struct Pools: AsyncParsableCommand {
///     @OptionGroup var config: ConfigOptions      // --config, --context, --verbose (every command)
///     @OptionGroup var output: OutputOptions      // -o/--output, -q/--quiet (every command that shows data)
///
///     func run() async throws {
///         try await HomelabContext.withConnections(config) { connections in
///             let pools = try await ...                                   // the component's data
///             let rows = pools.map(PoolRow.init)                          // the documented JSON shape
///             try output.list(rows, table: PoolRow.table, id: \.name)
///         }
///     }
/// }
///
/// /// One pool in `homelab truenas pools -o json` (a row of the README's JSON table).
/// struct PoolRow: Encodable {
///     var name: String           // snake_case property names ARE the JSON keys
///     var status: String
///     var guid: String
///     var scrubbed_at: Date?     // Date: ISO 8601 in JSON/YAML, "3 minutes ago" in tables; nil is omitted
///     static let table = Table<PoolRow>([
///         .init("NAME") { .text($0.name) },
///         .init("STATUS") { .state($0.status, $0.status == "ONLINE" ? .good : .bad) },   // coloured on a TTY only
///         .init("SCRUBBED") { .time($0.scrubbed_at) },
///         .init("GUID", wide: true) { .text($0.guid) },                 // only in -o wide
///     ])
/// }
/// ```
///
/// Rules the writer applies, so commands never do: tables fit ``Terminal/width`` by cutting the widest column with
/// "…"; colour only when ``Terminal/usesColour``; JSON is pretty-printed with sorted keys and ISO 8601 dates, YAML
/// is the same document; `-q` prints the identifiers only. A single object (not a listing) goes through
/// ``show(_:ids:mermaid:text:)`` with its own text drawing. Progress and messages for people go through
/// ``line(_:)`` (to standard error under `-o json|yaml`, nothing under `-q`), so standard output stays parseable.
/// Exit with ``ExitStatus`` (`throw ExitStatus.degraded.code`); fail with a `HomelabError` saying what and where
/// (``ErrorReport`` prints it as one line with a hint). Document the JSON shape in the README's CLI section.
public struct Output: Sendable {
    /// The format asked for.
    public var format: OutputFormat
    /// Identifiers only.
    public var quiet: Bool
    /// Where it goes.
    public var terminal: Terminal

    /// A writer for `format` on `terminal`.
    public init(format: OutputFormat, quiet: Bool = false, terminal: Terminal = .active) {
        self.format = format
        self.quiet = quiet
        self.terminal = terminal
    }

    /// Shows rows: a table (fitted; `wide` adds the wide-only columns and never cuts), the rows as a JSON or YAML
    /// array, or with `-q` each row's `id`.
    /// - Throws: `ValidationError` (usage, exit 64) for `-o mermaid`; an encoding failure.
    public func list<Row: Encodable>(_ rows: [Row], table: Table<Row>, id: (Row) -> String) throws {
        if quiet { return rows.forEach { terminal.print(id($0)) } }
        switch format {
        case .table, .wide:
            let text = table.render(rows, wide: format == .wide, terminal: terminal)
            if !text.isEmpty { terminal.print(text) }
        case .json, .yaml: terminal.print(try StructuredOutput.encode(rows, as: format))
        case .mermaid: throw ValidationError("-o mermaid is only for commands that show a graph (rollout plan)")
        }
    }

    /// Shows one document: `text(wide)` for `table`/`wide`, the document as JSON or YAML, `mermaid()` when given,
    /// or with `-q` the identifiers `ids`.
    /// - Throws: `ValidationError` (usage, exit 64) for `-o mermaid` without a graph; an encoding failure.
    public func show<Document: Encodable>(
        _ document: Document, ids: [String] = [], mermaid: (() -> String)? = nil, text: (_ wide: Bool) -> String
    ) throws {
        if quiet { return ids.forEach { terminal.print($0) } }
        switch format {
        case .table, .wide: terminal.print(text(format == .wide))
        case .json, .yaml: terminal.print(try StructuredOutput.encode(document, as: format))
        case .mermaid:
            guard let mermaid else {
                throw ValidationError("-o mermaid is only for commands that show a graph (rollout plan)")
            }
            terminal.print(mermaid())
        }
    }

    /// A line for people as things happen (progress, what was done): standard output for tables, standard error
    /// under `-o json|yaml` (standard output holds only the document), nothing under `-q`.
    public func line(_ text: String) {
        if quiet { return }
        if format.isStructured { terminal.printError(text) } else { terminal.print(text) }
    }

    /// A warning for people, on standard error whatever the format.
    public func warn(_ text: String) { terminal.printError(text) }

    /// `text` in `tone`'s colour when the terminal uses colour, else as it is.
    public func styled(_ text: String, _ tone: Tone) -> String { tone.apply(to: text, colour: terminal.usesColour) }
}
