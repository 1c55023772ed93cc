import Yams

extension InventoryReader {
    /// Turns a Yams parse error into a located issue (the YAML text itself is never quoted).
    /// - Parameter document: what the file is, for the one-document message (`an inventory`, `a compose file`).
    func report(yamlError error: any Error, yaml: String, document: String) {
        let reader = self
        guard let error = error as? YamlError else {
            reader.report("cannot read the YAML", at: nil, path: "")
            return
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if problem == "but found another document" {
                message = "invalid YAML: the file holds more than one document; \(document) is a single document"
            } else if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            reader.report(message, at: mark, path: "")
        case .reader(let problem, let offset, _, _):
            let (line, column) = offset.map { Self.position(ofCharacterOffset: $0, in: yaml) } ?? (1, 1)
            reader.report("invalid YAML text: \(problem)", line: line, column: column, path: "")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            reader.report(
                "key \(keys) appears more than once in the same mapping (YAML keys must be unique)",
                at: context.mark, path: "")
        default:
            reader.report("cannot read the YAML", at: nil, path: "")
        }
    }

    /// Line and column (1-based, in Unicode scalars) of a character offset.
    static func position(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for character in text.prefix(max(0, offset)) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }
}
