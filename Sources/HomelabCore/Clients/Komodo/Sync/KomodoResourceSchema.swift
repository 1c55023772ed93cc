import Foundation

/// The rules of Komodo's resource files (`komodo-resources.schema.json`, v2.3.2) for `[[server]]`, `[[stack]]`,
/// `[[resource_sync]]` and `[[procedure]]`: field names and types, required fields, enumerations, and each procedure
/// execution's type and required params. The tables are generated from the schema (scripts/generate-komodo-schema.py).
///
/// Komodo's own deserialisers are more forgiving than the schema in two places, and so is this check: a list of
/// strings may be written as one string (Komodo splits it at commas and newlines), and `environment` may be a list of
/// `KEY=VALUE` strings.
enum KomodoResourceSchema {
    /// A field's type.
    indirect enum FieldType: Sendable {
        case string, bool, integer, number, table, any
        /// A procedure execution: `{type, params}` with `type` one of ``generatedExecutions``.
        case execution
        case oneOf([String])
        case array(FieldType)
        case object([String: FieldType], required: [String])
    }

    /// The kinds a resource file may hold (singular; the plural spellings are aliases).
    static let allKinds = [
        "server", "swarm", "stack", "deployment", "build", "repo", "procedure", "action", "alerter", "builder", "resource_sync",
        "user_group", "variable",
    ]

    /// The kind a top-level key names (`stacks` → `stack`), or `nil`.
    static func kind(_ key: String) -> String? {
        if allKinds.contains(key) { return key }
        if key.hasSuffix("s"), allKinds.contains(String(key.dropLast())) { return String(key.dropLast()) }
        return nil
    }

    /// One finding: where (a path below the resource) and what.
    struct Finding {
        var path: [KomodoTOMLSource.Step]
        var severity: KomodoResourceFile.Issue.Severity
        var message: String
    }

    /// Checks `value` against `type`, reporting each mismatch at its path (`path` is where `value` sits).
    static func check(
        _ value: Komodo.ConfigValue, against type: FieldType, at path: [KomodoTOMLSource.Step], field: String,
        into findings: inout [Finding]
    ) {
        func mismatch(_ expected: String) {
            findings.append(Finding(path: path, severity: .error, message: "\(field): expected \(expected), found \(value.typeName)"))
        }
        switch (type, value) {
        case (.any, _), (.string, .string), (.bool, .bool), (.integer, .integer), (.number, .integer), (.number, .number):
            return
        case (.table, .table):
            return
        case (.string, .array(let items)) where field.hasSuffix("environment") && items.allSatisfy({ $0.text != nil }):
            return
        case (.array(.string), .string):
            return
        case (.oneOf(let values), .string(let text)):
            if !values.contains(text) {
                findings.append(Finding(
                    path: path, severity: .error,
                    message: "\(field): '\(text)' is not one of \(values.joined(separator: ", "))" + suggestion(text, among: values)))
            }
        case (.array(let element), .array(let items)):
            for (index, item) in items.enumerated() {
                check(item, against: element, at: path + [.index(index)], field: "\(field)[\(index + 1)]", into: &findings)
            }
        case (.object(let properties, let required), .table(let fields)):
            for name in required where fields[name] == nil {
                findings.append(Finding(path: path, severity: .error, message: "\(field): '\(name)' is required"))
            }
            for (name, item) in fields.sorted(by: { $0.key < $1.key }) {
                let child = field.isEmpty ? name : "\(field).\(name)"
                guard let expected = properties[name] else {
                    findings.append(Finding(
                        path: path + [.key(name)], severity: .warning,
                        message: "\(child): not a field Komodo knows; it is ignored" + suggestion(name, among: Array(properties.keys))))
                    continue
                }
                check(item, against: expected, at: path + [.key(name)], field: child, into: &findings)
            }
        case (.execution, .table(let fields)):
            checkExecution(fields, at: path, field: field, into: &findings)
        case (.string, _): mismatch("a string")
        case (.bool, _): mismatch("a boolean (true or false)")
        case (.integer, _): mismatch("an integer")
        case (.number, _): mismatch("a number")
        case (.table, _), (.object, _), (.execution, _): mismatch("a table")
        case (.oneOf(let values), _): mismatch("one of \(values.joined(separator: ", "))")
        case (.array, _): mismatch("an array")
        }
    }

    /// A procedure execution: a known type and its required params.
    static func checkExecution(
        _ fields: [String: Komodo.ConfigValue], at path: [KomodoTOMLSource.Step], field: String, into findings: inout [Finding]
    ) {
        guard let type = fields["type"]?.text else {
            findings.append(Finding(path: path, severity: .error, message: "\(field): an execution needs type = \"DeployStack\" (or another)"))
            return
        }
        guard let required = generatedExecutions[type] else {
            findings.append(Finding(
                path: path + [.key("type")], severity: .error,
                message: "\(field).type: '\(type)' is not an execution Komodo runs" + suggestion(type, among: Array(generatedExecutions.keys))))
            return
        }
        let params = fields["params"]?.fields ?? [:]
        for name in required where params[name] == nil {
            findings.append(Finding(path: path, severity: .error, message: "\(field): \(type) needs params.\(name)"))
        }
    }

    /// ` (did you mean 'x'?)` when a known name is within two edits of `name`.
    static func suggestion(_ name: String, among names: [String]) -> String {
        var best: (name: String, distance: Int)?
        for candidate in names.sorted() {
            let edits = distance(candidate, name)
            guard edits <= 2 else { continue }
            if let current = best, current.distance <= edits { continue }
            best = (candidate, edits)
        }
        guard let best else { return "" }
        return " (did you mean '\(best.name)'?)"
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[b.count]
    }
}
