import Yams

extension InventoryDecoder {
    func components(_ value: YAMLValue) -> [DraftComponent] {
        guard case .mapping(let mapping) = value.node else {
            reader.report("expected a mapping of components, got \(reader.describe(value.node))", at: value.mark, path: value.path)
            return []
        }
        let kinds = ComponentKind.allCases.map(\.rawValue)
        var drafts: [DraftComponent] = []
        for (key, child) in mapping {
            guard case .scalar(let scalar) = key, let kind = ComponentKind(rawValue: scalar.string) else {
                let text = key.scalar?.string ?? ""
                var message = "unknown component '\(reader.shortened(text))'"
                if let suggestion = closestMatch(to: text, in: kinds) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += " (expected \(phrase(kinds, conjunction: "or")))"
                }
                reader.report(message, at: key.mark, path: joinKeyPath(value.path, text))
                continue
            }
            if let draft = component(kind, YAMLValue(node: child, path: joinKeyPath(value.path, kind.rawValue))) {
                drafts.append(draft)
            }
        }
        return drafts
    }

    func component(_ kind: ComponentKind, _ value: YAMLValue) -> DraftComponent? {
        let keys = ["url", "socket", "ssh_tunnel", "node", "config_path", "username", "tls", "credentials"]
        guard let fields = reader.fields(value, allowed: keys) else { return nil }
        var draft = DraftComponent(kind: kind)
        var valid = true
        func keep<T>(_ located: Located<T>?, for key: String) -> Located<T>? {
            if fields.has(key), located == nil { valid = false }
            return located
        }

        let tunnel = keep(reader.name(fields["ssh_tunnel"], of: "node"), for: "ssh_tunnel")
        let node = keep(reader.name(fields["node"], of: "node"), for: "node")
        draft.nodeReferences = [tunnel, node].compactMap { $0 }
        let configPath = keep(reader.absolutePath(fields["config_path"]), for: "config_path")
        let username = keep(reader.string(fields["username"]), for: "username")
        let credentials = credentials(kind, fields["credentials"])
        if fields.has("credentials"), credentials == nil { valid = false }
        let tls = tlsOptions(fields["tls"])
        if fields.has("tls"), tls == nil { valid = false }

        var endpoint: Endpoint?
        if kind.hasAPI {
            endpoint = apiEndpoint(kind, fields, tls: tls ?? TLSOptions(), credentials: credentials ?? [:])
            if endpoint == nil { valid = false }
        } else {
            for key in ["url", "socket", "tls"] where fields.has(key) {
                reader.report(
                    "\(kind) has no API; give the node it runs on and its config_path instead",
                    at: fields.keyMark(key), path: joinKeyPath(value.path, key))
                valid = false
            }
            for key in ["node", "config_path"] where !fields.has(key) {
                reader.report(
                    "missing required key '\(key)' (\(kind) is managed over SSH on its node)",
                    at: value.mark, path: joinKeyPath(value.path, key))
                valid = false
            }
        }
        if valid {
            draft.built = ComponentEndpoint(
                kind: kind, endpoint: endpoint, sshTunnel: tunnel?.value, node: node?.value,
                configPath: configPath?.value, username: username?.value, credentials: credentials ?? [:])
        }
        return draft
    }

    /// `url:` or `socket:` (exactly one), checked against what the component speaks.
    private func apiEndpoint(
        _ kind: ComponentKind, _ fields: YAMLFields, tls: TLSOptions, credentials: [String: CredentialReference]
    ) -> Endpoint? {
        switch (fields["url"], fields["socket"]) {
        case (nil, nil):
            reader.report(
                "\(kind) needs an endpoint: url (http:// or https://) or socket (a unix socket path)",
                at: fields.mark, path: joinKeyPath(fields.path, "url"))
            return nil
        case (.some, .some(let socket)):
            reader.report("url and socket are mutually exclusive; give one", at: fields.keyMark("socket"), path: socket.path)
            return nil
        case (nil, .some(let socketValue)):
            guard let socket = reader.absolutePath(socketValue) else { return nil }
            if fields.has("tls") {
                reader.report("tls options apply only to https endpoints, not unix sockets", at: fields.keyMark("tls"), path: joinKeyPath(fields.path, "tls"))
                return nil
            }
            return .unixSocket(socket.value)
        case (.some(let urlValue), nil):
            guard let url = reader.string(urlValue) else { return nil }
            if kind == .docker, url.value.hasPrefix("unix://") {
                guard url.value.hasPrefix("unix:///") else {
                    reader.report("a unix:// URL needs an absolute path (unix:///var/run/docker.sock)", at: url.mark, path: url.path)
                    return nil
                }
                return .unixSocket(String(url.value.dropFirst("unix://".count)))
            }
            let schemes = kind == .docker ? ["http", "https", "tcp", "unix"] : ["http", "https"]
            let parts: AddressSyntax.URLParts
            switch AddressSyntax.parseURL(url.value, schemes: schemes) {
            case .success(let value): parts = value
            case .failure(let problem):
                reader.report(problem.message, at: url.mark, path: url.path)
                return nil
            }
            let endpoint: Endpoint
            do {
                endpoint = try Endpoint.parse(url.value, tls: tls)
            } catch {
                reader.report("not a usable endpoint URL", at: url.mark, path: url.path)
                return nil
            }
            if !endpoint.usesTLS, fields.has("tls") {
                reader.report(
                    "tls options apply only to https endpoints; use an https:// URL or drop tls",
                    at: fields.keyMark("tls"), path: joinKeyPath(fields.path, "tls"))
                return nil
            }
            return protocolRules(kind, parts: parts, endpoint: endpoint, url: url, credentials: credentials)
                ? endpoint : nil
        }
    }

    /// What each component's server insists on (from its API reference).
    private func protocolRules(
        _ kind: ComponentKind, parts: AddressSyntax.URLParts, endpoint: Endpoint, url: Located<String>,
        credentials: [String: CredentialReference]
    ) -> Bool {
        switch kind {
        case .proxmox where !endpoint.usesTLS:
            reader.report("Proxmox VE serves its API over https only (port 8006); use an https:// URL", at: url.mark, path: url.path)
            return false
        case .truenas where !endpoint.usesTLS && credentials["api_key"] != nil && !AddressSyntax.isLoopback(parts.host):
            reader.report(
                "TrueNAS revokes an API key sent over plain http to a non-loopback host; use an https:// URL",
                at: url.mark, path: url.path)
            return false
        default:
            return true
        }
    }

    /// `tls: {ca_file, pinned_public_keys, pins_only, fingerprint, client_cert, client_key, verify_hostname, insecure}`.
    func tlsOptions(_ value: YAMLValue?) -> TLSOptions? {
        guard let value else { return nil }
        let keys = [
            "ca_file", "pinned_public_keys", "pins_only", "fingerprint", "client_cert", "client_key", "verify_hostname", "insecure",
        ]
        guard let fields = reader.fields(value, allowed: keys) else { return nil }
        var valid = true
        func keep<T>(_ located: Located<T>?, for key: String) -> Located<T>? {
            if fields.has(key), located == nil { valid = false }
            return located
        }
        let caFile = keep(reader.absolutePath(fields["ca_file"], allowHome: true), for: "ca_file")
        let pinsOnly = keep(reader.bool(fields["pins_only"]), for: "pins_only")
        let clientCert = keep(reader.absolutePath(fields["client_cert"], allowHome: true), for: "client_cert")
        let clientKey = keep(reader.absolutePath(fields["client_key"], allowHome: true), for: "client_key")
        let verifyHostname = keep(reader.bool(fields["verify_hostname"]), for: "verify_hostname")
        let insecure = keep(reader.bool(fields["insecure"]), for: "insecure")
        var fingerprint = keep(reader.string(fields["fingerprint"]), for: "fingerprint")
        if let text = fingerprint, (try? CertificateFingerprint(text.value)) == nil {
            reader.report(
                "'\(reader.shortened(text.value))' is not a SHA-256 certificate fingerprint (32 hex bytes, AB:CD:...:EF, as `pvenode cert info` shows it)",
                at: text.mark, path: text.path)
            fingerprint = nil
            valid = false
        }
        var pins: [String] = []
        if let list = reader.stringList(fields["pinned_public_keys"]) {
            for pin in list {
                do {
                    try TLSOptions(pinnedPublicKeys: [pin.value]).validate()
                    pins.append(pin.value)
                } catch {
                    reader.report(
                        "'\(reader.shortened(pin.value))' is not a SHA-256 public-key pin (sha256//<44 base64 characters>)",
                        at: pin.mark, path: pin.path)
                    valid = false
                }
            }
            if list.count != fields["pinned_public_keys"].flatMap(reader.listCount) { valid = false }
        } else if fields.has("pinned_public_keys") {
            valid = false
        }

        if insecure?.value == true, caFile != nil || !pins.isEmpty || pinsOnly?.value == true || fingerprint != nil {
            reader.report(
                "insecure: true turns verification off; it cannot be combined with ca_file, pinned_public_keys, pins_only or fingerprint",
                at: insecure?.mark, path: joinKeyPath(fields.path, "insecure"))
            valid = false
        }
        if pinsOnly?.value == true {
            if (fields["pinned_public_keys"].flatMap(reader.listCount) ?? 0) == 0 {
                reader.report("pins_only: true needs at least one entry in pinned_public_keys", at: pinsOnly?.mark, path: joinKeyPath(fields.path, "pins_only"))
                valid = false
            }
            if caFile != nil {
                reader.report("pins_only: true skips chain verification, so ca_file would be ignored; give one of them", at: pinsOnly?.mark, path: joinKeyPath(fields.path, "pins_only"))
                valid = false
            }
        }
        if (clientCert == nil) != (clientKey == nil), valid {
            let present = clientCert != nil ? "client_cert" : "client_key"
            let missing = clientCert != nil ? "client_key" : "client_cert"
            reader.report("\(present) needs \(missing) too", at: fields.keyMark(present), path: joinKeyPath(fields.path, present))
            valid = false
        }
        guard valid else { return nil }
        let trust: TLSOptions.Trust =
            insecure?.value == true ? .insecure
            : pinsOnly?.value == true ? .pinnedKeyOnly
            : caFile.map { .caFile($0.value) } ?? .system
        let certificate = clientCert.flatMap { cert in
            clientKey.map { TLSOptions.ClientCertificate(certificateFile: cert.value, keyFile: $0.value) }
        }
        return TLSOptions(
            trust: trust, pinnedPublicKeys: pins, clientCertificate: certificate,
            verifyHostname: insecure?.value == true ? false : verifyHostname?.value ?? true,
            certificateFingerprint: fingerprint?.value)
    }

    /// `credentials: {name: reference}`. Values must be references; a literal is reported without being repeated.
    func credentials(_ kind: ComponentKind, _ value: YAMLValue?) -> [String: CredentialReference]? {
        guard let value else { return [:] }
        guard let fields = reader.fields(value, allowed: kind.credentialNames) else { return nil }
        var references: [String: CredentialReference] = [:]
        var valid = true
        for name in kind.credentialNames {
            guard let entry = fields[name] else { continue }
            guard case .scalar(let scalar) = entry.node, !entry.node.isNullValue else {
                let got: String
                switch entry.node {
                case .mapping: got = "a mapping"
                case .sequence: got = "a list"
                default: got = "nothing"
                }
                reader.report(
                    "expected a credential reference (env:NAME, file:PATH or op://vault/item/field), got \(got)",
                    at: entry.mark, path: entry.path)
                valid = false
                continue
            }
            switch CredentialReference.parse(scalar.string) {
            case .success(let reference):
                if kind == .onepassword, reference.kind == .onePassword {
                    reader.report(
                        "the 1Password Connect token cannot come from 1Password Connect itself; use env:NAME or file:PATH",
                        at: entry.mark, path: entry.path)
                    valid = false
                } else {
                    references[name] = reference
                }
            case .failure(let problem):
                reader.report(problem.message, at: entry.mark, path: entry.path)
                valid = false
            }
        }
        return valid ? references : nil
    }
}
