/// 1Password Connect's API (`/v1`) models: vaults, items (summaries and whole items), fields, files, health.
///
/// Field values are ``Secret``s: they never print, and creating one registers it for redaction. Models decode
/// leniently: only IDs are required, unknown categories, field types and dependency states are kept as text.
public enum OnePassword {}
