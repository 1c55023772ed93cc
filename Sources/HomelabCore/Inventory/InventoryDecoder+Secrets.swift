import Yams

extension InventoryDecoder {
    /// `secrets: {swarm_secret_name: op://vault/item/field}`: where each Swarm secret the services use lives in
    /// 1Password. Names follow Docker's secret names; values must be references (a literal is reported without
    /// being repeated).
    func swarmSecrets(_ value: YAMLValue) -> [String: CredentialReference] {
        guard case .mapping(let mapping) = value.node else {
            reader.report(
                "expected a mapping of Swarm secret names to op:// references, got \(reader.describe(value.node))",
                at: value.mark, path: value.path)
            return [:]
        }
        var secrets: [String: CredentialReference] = [:]
        for (key, child) in mapping {
            guard case .scalar(let keyScalar) = key, !key.isNullValue,
                !keyScalar.string.isEmpty,
                keyScalar.string.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) })
            else {
                reader.report(
                    "secret names are Docker secret names: letters, digits, '_', '-' and '.'", at: key.mark, path: value.path)
                continue
            }
            let path = joinKeyPath(value.path, keyScalar.string)
            guard case .scalar(let scalar) = child, !child.isNullValue else {
                reader.report(
                    "expected a credential reference (op://vault/item/field), got \(reader.describe(child))", at: child.mark, path: path)
                continue
            }
            switch CredentialReference.parse(scalar.string) {
            case .success(let reference):
                secrets[keyScalar.string] = reference
            case .failure(let problem):
                reader.report(problem.message, at: child.mark, path: path)
            }
        }
        return secrets
    }
}
