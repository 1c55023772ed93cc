import Foundation
import Yams

/// Reads a compose stack file (the subset `docker stack deploy` uses) into a ``ComposeFile``, reporting every
/// problem at once with its file, line, column and key path, as the inventory loader does
/// (`stack.yml:12:9 services.sonarr.deploy.replicas: expected an integer, got 'two'`).
///
/// Variables (`${VAR}`, `${VAR:-default}`, `${VAR:?message}`) come from the `environment` passed in, never from
/// the process. `x-` extension keys and `<<` merge keys are understood. Unknown keys are errors; valid
/// compose keys that `docker stack deploy` ignores (`build`, `container_name`, ...) are warnings.
public enum ComposeLoader {
    /// Reads and checks the compose file at `path`; relative bind mounts resolve against its folder.
    /// - Throws: ``HomelabError/Code/invalidConfiguration``: the file cannot be read, or it has problems;
    ///   then ``HomelabError/inventoryIssues`` lists them all.
    public static func load(path: String, environment: [String: String] = [:]) throws -> ComposeFile {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw HomelabError(
                .invalidConfiguration, "cannot read compose file \(Redaction.redactText(path)): no such file or not readable",
                component: "compose")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw failure([InventoryIssue(file: path, line: 1, column: 1, keyPath: "", message: "the file is not UTF-8 text")])
        }
        let folder = url.standardizedFileURL.deletingLastPathComponent().path
        return try load(yaml: text, file: path, environment: environment, workingDirectory: folder)
    }

    /// Reads and checks compose text; `file` names it in issues, `workingDirectory` (absolute) resolves
    /// relative bind mounts (without it they are errors).
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` with every problem (see ``load(path:environment:)``).
    public static func load(
        yaml: String, file: String = "docker-compose.yml", environment: [String: String] = [:], workingDirectory: String? = nil
    ) throws -> ComposeFile {
        let (composeFile, issues) = read(yaml: yaml, file: file, environment: environment, workingDirectory: workingDirectory)
        guard issues.isEmpty, let composeFile else {
            throw failure(
                issues.isEmpty
                    ? [InventoryIssue(file: file, line: 1, column: 1, keyPath: "", message: "the compose file could not be read")]
                    : issues)
        }
        return composeFile
    }

    /// Every problem in compose text, in file order; empty when it loads.
    public static func issues(
        in yaml: String, file: String = "docker-compose.yml", environment: [String: String] = [:], workingDirectory: String? = nil
    ) -> [InventoryIssue] {
        read(yaml: yaml, file: file, environment: environment, workingDirectory: workingDirectory).issues
    }

    private static func failure(_ issues: [InventoryIssue]) -> HomelabError {
        let error = InventoryValidationError(issues: issues)
        return HomelabError(.invalidConfiguration, error.description, component: "compose", underlying: error)
    }

    static func read(
        yaml: String, file: String, environment: [String: String], workingDirectory: String?
    ) -> (ComposeFile?, issues: [InventoryIssue]) {
        let reader = InventoryReader(file: file)
        let composed: Yams.Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                reader.report("the compose file is empty", at: nil, path: "")
                return (nil, reader.issues)
            }
            composed = node
        } catch {
            reader.report(yamlError: error, yaml: yaml, document: "a compose file")
            return (nil, reader.issues)
        }
        let tree = ComposeTree(reader: reader, environment: environment)
        let root = tree.prepare(composed)
        guard !tree.tooLarge else { return (nil, reader.issues) }
        let decoder = ComposeDecoder(reader: reader, environment: environment, workingDirectory: workingDirectory)
        var (composeFile, drafts) = decoder.document(YAMLValue(node: root, path: ""))
        composeFile.dependencies = decoder.dependencies(of: drafts)
        guard !reader.hasIssues else {
            // A value that failed to interpolate is reported once (that report comes first), not again
            // for its raw text.
            var seen: Set<String> = []
            let issues = reader.issues.filter { issue in
                !tree.failedPaths.contains(issue.keyPath) || seen.insert(issue.keyPath).inserted
            }
            return (nil, issues)
        }
        var warnings = decoder.warnings
        var named: Set<String> = []
        for variable in tree.unsetVariables where named.insert(variable.name).inserted {
            warnings.append(
                InventoryIssue(
                    file: file, line: variable.mark?.line ?? 1, column: variable.mark?.column ?? 1, keyPath: variable.path,
                    message: "variable \(variable.name) is not set; using an empty string"))
        }
        composeFile.warnings = warnings.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return (composeFile, [])
    }
}
