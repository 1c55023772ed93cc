import Foundation

/// What a table cell holds: text, a time (relative in tables), or a state drawn in its tone's colour on a terminal.
public enum Cell: Sendable, Hashable {
    /// Plain text; an empty string prints as nothing.
    case text(String)
    /// A moment, shown as "3 minutes ago" (or "-" when `nil`).
    case time(Date?)
    /// A state word, coloured by its tone when the terminal uses colour.
    case state(String, Tone)

    /// The cell as plain text, times relative to `now`.
    func plain(now: Date) -> String {
        switch self {
        case .text(let text): return text
        case .time(let date): return date.map { RelativeTime.describe($0, now: now) } ?? "-"
        case .state(let text, _): return text
        }
    }

    var tone: Tone? {
        if case .state(_, let tone) = self { return tone }
        return nil
    }
}

/// How a state reads: good, needs a look, bad, or in the background. Colour only; the words carry the meaning.
public enum Tone: Sendable, Hashable {
    /// Running, healthy, completed (green).
    case good
    /// Updating, paused, drained (yellow).
    case warning
    /// Down, failed, rejected (red).
    case bad
    /// Not configured, unknown (dim).
    case muted

    /// `text` between the tone's ANSI colour and a reset when `colour`, else `text`.
    func apply(to text: String, colour: Bool) -> String {
        guard colour, !text.isEmpty else { return text }
        let code: String
        switch self {
        case .good: code = "32"
        case .warning: code = "33"
        case .bad: code = "31"
        case .muted: code = "2"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// Columns for rows of one kind: headers, which are wide-only, and how each cell is drawn.
public struct Table<Row>: Sendable {
    /// One column.
    public struct Column: Sendable {
        /// The header, in capitals (`NAME`, `REPLICAS`).
        public var header: String
        /// Shown only with `-o wide`.
        public var wide: Bool
        /// The cell for a row.
        public var cell: @Sendable (Row) -> Cell

        /// A column headed `header`; `wide` ones only appear with `-o wide`.
        public init(_ header: String, wide: Bool = false, _ cell: @escaping @Sendable (Row) -> Cell) {
            self.header = header
            self.wide = wide
            self.cell = cell
        }
    }

    /// The columns, left to right.
    public var columns: [Column]
    /// Spaces before every line.
    public var indent: Int

    /// A table of `columns`.
    public init(_ columns: [Column], indent: Int = 0) {
        self.columns = columns
        self.indent = indent
    }

    /// The rows as lines: header first, columns two spaces apart, no trailing spaces. Unless `wide`, the lines fit
    /// `terminal.width` (when known): the widest column is narrowed, one character at a time, down to 3, its cells
    /// cut with "…".
    public func render(_ rows: [Row], wide: Bool, terminal: Terminal) -> String {
        let shown = columns.filter { wide || !$0.wide }
        guard !shown.isEmpty else { return "" }
        let now = terminal.now()
        let cells = rows.map { row in shown.map { $0.cell(row) } }
        let header = shown.map(\.header)
        let texts = [header] + cells.map { $0.map { $0.plain(now: now) } }
        var widths = shown.indices.map { column in texts.map { $0[column].count }.max() ?? 0 }
        if !wide, let limit = terminal.width {
            Self.fit(&widths, into: limit - indent - 2 * (shown.count - 1))
        }
        let pad = String(repeating: " ", count: indent)
        let colour = terminal.usesColour
        return texts.enumerated().map { index, row in
            var line = pad
            for (column, text) in row.enumerated() {
                let cut = Self.cut(text, to: widths[column])
                let tone = index == 0 ? nil : cells[index - 1][column].tone
                line += tone.map { $0.apply(to: cut, colour: colour) } ?? cut
                if column < row.count - 1 { line += String(repeating: " ", count: widths[column] - cut.count + 2) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Narrows the widest column until the widths sum to at most `available` or every column is at 3.
    static func fit(_ widths: inout [Int], into available: Int) {
        let minimum = 3
        var excess = widths.reduce(0, +) - available
        while excess > 0 {
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > minimum else { return }
            widths[widest] -= 1
            excess -= 1
        }
    }

    /// `text` cut to `width` characters, the last one an ellipsis when anything was cut.
    static func cut(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }
}
