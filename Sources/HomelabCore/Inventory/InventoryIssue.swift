/// One problem found in an inventory file, with where it is.
public struct InventoryIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file as it was named to the loader.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int
    /// Where in the document: `nodes[2].role`, `components.truenas.tls`; empty for the document itself.
    public var keyPath: String
    /// What is wrong, and what would be right. Never contains a secret value.
    public var message: String

    /// An issue value.
    public init(file: String, line: Int, column: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
    }

    /// `file:line:column keyPath: message` (or `file:line:column: message` without a key path).
    public var description: String {
        let location = "\(file):\(line):\(column)"
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location) \(keyPath): \(message)"
    }
}

/// Every problem found in one inventory file. Carried as the `underlying` error of the
/// ``HomelabError`` the loader throws; read it back with ``HomelabError/inventoryIssues``.
public struct InventoryValidationError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var issues: [InventoryIssue]

    /// An error carrying `issues`.
    public init(issues: [InventoryIssue]) { self.issues = issues }

    /// One issue per line.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

extension HomelabError {
    /// The located problems of an inventory that failed to load (empty for any other error).
    public var inventoryIssues: [InventoryIssue] {
        (underlying as? InventoryValidationError)?.issues ?? []
    }
}
