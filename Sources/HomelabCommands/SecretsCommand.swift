import ArgumentParser
import Foundation
import HomelabCore

/// `homelab secrets`: 1Password Connect's vaults and items, one reference resolved, and `inject`, which renders a
/// template's `{{ op://... }}` references into a file with `op inject`'s semantics. A value is printed only with
/// `--reveal` (and the REPL never keeps a `secrets` command in its history).
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "1Password Connect: vaults, items, one reference, op inject-style templates.",
        subcommands: [Vaults.self, Items.self, Get.self, Inject.self])

    /// Opens the inventory's 1Password Connect and runs `body` with its client.
    static func with<T: Sendable>(_ config: ConfigOptions, _ body: (OnePasswordClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(config) { connections in
            try await body(try await connections.onePassword())
        }
    }
}

extension SecretsCommand {
    struct Vaults: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "vaults", abstract: "Vaults the Connect token may read.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let vaults = try await SecretsCommand.with(config) { try await $0.vaults.list() }
            try output.list(vaults.map(SecretsVaultRow.init), table: SecretsVaultRow.table, id: \.name)
        }
    }

    struct Items: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "items", abstract: "Item summaries (titles, categories; never values).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Only this vault's items (its name or ID).")
        var vault: String?
        @Option(name: .long, help: "Only items with this exact title.")
        var title: String?

        func run() async throws {
            let rows = try await SecretsCommand.with(config) { connect in
                var vaults = try await connect.vaults.list()
                if let vault {
                    vaults = vaults.filter { $0.id == vault || $0.name.caseInsensitiveCompare(vault) == .orderedSame }
                    guard !vaults.isEmpty else {
                        throw HomelabError(.notFound, "no vault named '\(vault)' is readable with the Connect token", component: "onepassword")
                    }
                }
                var rows: [SecretsItemRow] = []
                for vault in vaults {
                    let items: [OnePassword.Item]
                    if let title {
                        items = try await connect.items(in: vault.id).find(title: title)
                    } else {
                        items = try await connect.items(in: vault.id).list()
                    }
                    rows += items.map { SecretsItemRow($0, vault: vault.name) }
                }
                return rows
            }
            try output.list(rows, table: SecretsItemRow.table, id: \.id)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Resolves one op://vault/item[/section]/field reference; prints the value only with --reveal.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The reference (op://vault/item/field or op://vault/item/section/field).")
        var reference: String
        @Flag(name: .long, help: "Print the value itself (never kept in the REPL's history).")
        var reveal = false

        func run() async throws {
            let parsed = try CredentialReference(parsing: reference)
            guard parsed.kind == .onePassword else { throw ValidationError("secrets get reads op:// references only") }
            let secret = try await SecretsCommand.with(config) { connect in
                try await OnePasswordSecretResolver(client: connect).resolve(parsed)
            }
            let document = SecretsValueDocument(
                reference: parsed.description, resolved: true, length: secret.reveal().count, value: reveal ? secret.reveal() : nil)
            if reveal && (output.format == .table || output.format == .wide) {
                Terminal.active.printRevealed(Secret(secret.reveal() + "\n"))
                return
            }
            if reveal {
                // JSON/YAML with the value: encoded here, unmasked, since the user asked for it.
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(document)
                let text = output.format == .json ? String(decoding: data, as: UTF8.self)
                    : "reference: \(document.reference)\nresolved: true\nlength: \(document.length)\nvalue: \(Self.yamlQuoted(secret.reveal()))"
                Terminal.active.printRevealed(Secret(text + "\n"))
                return
            }
            try output.show(document, ids: [parsed.description]) { _ in
                "\(parsed): resolved (\(document.length) characters); add --reveal to print it"
            }
        }

        static func yamlQuoted(_ text: String) -> String {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\"\(escaped)\""
        }
    }

    struct Inject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inject",
            abstract: "Renders a template's {{ op://... }} references (op inject): all or nothing, written atomically with mode 0600.",
            discussion: """
                Every reference is resolved through 1Password Connect before anything is written; one that fails fails \
                the whole render and leaves the output file as it was. Without --in-file the template is read from \
                standard input; without --out-file the result goes to standard output.
                """)
        @OptionGroup var config: ConfigOptions
        @Option(name: [.customShort("i"), .customLong("in-file")], help: "The template (default: standard input).")
        var inFile: String?
        @Option(name: [.customShort("o"), .customLong("out-file")], help: "Where to write the result (default: standard output).")
        var outFile: String?
        @Option(name: .customLong("file-mode"), help: "The output file's mode, octal (default 0600).")
        var fileMode = "0600"

        func run() async throws {
            guard let mode = mode_t(fileMode.hasPrefix("0o") ? String(fileMode.dropFirst(2)) : fileMode, radix: 8), mode <= 0o777 else {
                throw ValidationError("--file-mode must be an octal mode such as 0600")
            }
            let text: String
            if let inFile {
                guard let data = FileManager.default.contents(atPath: inFile) else {
                    throw HomelabError(.invalidArgument, "cannot read the template \(inFile)", component: "secrets")
                }
                text = String(decoding: data, as: UTF8.self)
            } else {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            }
            let template = try SecretTemplate(parsing: text)
            let rendered = try await SecretsCommand.with(config) { connect in
                // One resolver per render: each item is fetched once, whatever the number of its fields used.
                try await template.render(with: OnePasswordSecretResolver(client: connect))
            }
            if let outFile {
                try AtomicFile.write(Array(rendered.reveal().utf8), to: outFile, mode: mode)
                Terminal.active.printError("\(template.references.count) references injected into \(outFile)")
            } else {
                Terminal.active.printRevealed(rendered)
            }
        }
    }
}
