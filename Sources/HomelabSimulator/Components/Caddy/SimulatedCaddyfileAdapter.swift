import HomelabCore
import Hummingbird

/// The simulated `caddyfile` adapter: the subset of the Caddyfile that caddy-docker-proxy's labels produce in
/// this homelab, turned into the JSON Caddy 2.6 produces for it (site blocks on one `:443` server, each a
/// terminal route matching its hosts with a `subroute` of its directives in Caddy's directive order).
///
/// Supported: global options (ignored), snippets and `import`, `reverse_proxy` (upstreams, `to`), `forward_auth`
/// (`uri`, `copy_headers`, `trusted_proxies`), `respond`, `handle`, `route`, `tls`, `encode`, `log` (the last
/// three accepted and left out). Anything else is refused as "unrecognized directive", naming the line, as the real
/// adapter refuses a directive it does not know: the real caddy is the reference for everything beyond this subset.
enum SimulatedCaddyfileAdapter {
    /// Caddy's directive order for the directives supported here.
    static let directiveOrder = ["tls", "log", "forward_auth", "encode", "handle", "route", "respond", "reverse_proxy"]

    /// The JSON configuration for `text`.
    /// - Throws: ``CaddyAPIError`` 400 with "adapting config using caddyfile adapter: ..." for bad input.
    static func adapt(_ text: String) throws -> JSONValue {
        let caddyfile: Caddyfile
        do {
            caddyfile = try Caddyfile.parse(text)
        } catch let error as HomelabError {
            throw failure("syntax error: \(error.message)")
        }
        var snippets: [String: [Caddyfile.Block]] = [:]
        for block in caddyfile.blocks {
            if let name = block.snippetName { snippets[name] = block.children }
        }
        var sites: [(hosts: [String], handlers: [JSONValue])] = []
        for block in caddyfile.blocks where !block.isGlobal && !block.isSnippet {
            let directives = try expand(block.children, snippets: snippets, depth: 0)
            sites.append((Caddy.siteHosts(block.keys), try handlers(directives, snippets: snippets)))
        }
        // Most specific (longest) host first, as Caddy sorts site blocks; ties keep their order.
        let ordered = sites.enumerated().sorted { a, b in
            let lengthA = a.element.hosts.map(\.count).max() ?? 0
            let lengthB = b.element.hosts.map(\.count).max() ?? 0
            return lengthA != lengthB ? lengthA > lengthB : a.offset < b.offset
        }.map(\.element)
        var routes: [JSONValue] = []
        for site in ordered {
            var route: [String: JSONValue] = [
                "handle": .array([.object(["handler": .string("subroute"), "routes": .array([.object(["handle": .array(site.handlers)])])])]),
                "terminal": .bool(true),
            ]
            if !site.hosts.isEmpty { route["match"] = .array([.object(["host": .array(site.hosts.map(JSONValue.string))])]) }
            routes.append(.object(route))
        }
        guard !routes.isEmpty else { return .object([:]) }
        return .object([
            "apps": .object([
                "http": .object(["servers": .object(["srv0": .object(["listen": .array([.string(":443")]), "routes": .array(routes)])])])
            ])
        ])
    }

    private static func failure(_ message: String) -> CaddyAPIError {
        CaddyAPIError(.badRequest, "adapting config using caddyfile adapter: \(message)")
    }

    /// The directives of a body with imports spliced in.
    private static func expand(_ blocks: [Caddyfile.Block], snippets: [String: [Caddyfile.Block]], depth: Int) throws -> [Caddyfile.Block] {
        guard depth < 10 else { throw failure("import cycle") }
        var out: [Caddyfile.Block] = []
        for block in blocks {
            if block.keys.first == "import" {
                guard let name = block.keys.dropFirst().first, let body = snippets[name] else {
                    throw failure("File to import not found: \(block.keys.dropFirst().first ?? "")")
                }
                out += try expand(body, snippets: snippets, depth: depth + 1)
            } else {
                out.append(block)
            }
        }
        return out
    }

    /// The handlers of a body's directives, in directive order.
    private static func handlers(_ directives: [Caddyfile.Block], snippets: [String: [Caddyfile.Block]]) throws -> [JSONValue] {
        for directive in directives where !directiveOrder.contains(directive.keys.first ?? "") {
            throw failure("Caddyfile: unrecognized directive: \(directive.keys.first ?? "")")
        }
        let sorted = directives.enumerated().sorted { a, b in
            let rankA = directiveOrder.firstIndex(of: a.element.keys.first ?? "") ?? 0
            let rankB = directiveOrder.firstIndex(of: b.element.keys.first ?? "") ?? 0
            return rankA != rankB ? rankA < rankB : a.offset < b.offset
        }.map(\.element)
        var out: [JSONValue] = []
        for directive in sorted {
            var arguments = Array(directive.keys.dropFirst())
            if let first = arguments.first, first.hasPrefix("@") || first.hasPrefix("/") || first == "*" { arguments.removeFirst() }
            switch directive.keys.first ?? "" {
            case "reverse_proxy":
                let more = directive.children.filter { $0.keys.first == "to" }.flatMap { $0.keys.dropFirst() }
                out.append(.object(["handler": .string("reverse_proxy"), "upstreams": upstreams(arguments + more)]))
            case "forward_auth":
                out.append(forwardAuth(arguments, directive.children))
            case "respond":
                var handler: [String: JSONValue] = ["handler": .string("static_response")]
                if let status = arguments.first(where: { Int($0) != nil }).flatMap({ Int64($0) }) { handler["status_code"] = .integer(status) }
                if let body = arguments.first(where: { Int($0) == nil }) { handler["body"] = .string(body) }
                out.append(.object(handler))
            case "handle", "route":
                let inner = try handlers(try expand(directive.children, snippets: snippets, depth: 0), snippets: snippets)
                out.append(.object(["handler": .string("subroute"), "routes": .array([.object(["handle": .array(inner)])])]))
            default:
                continue
            }
        }
        return out
    }

    private static func upstreams(_ addresses: [String]) -> JSONValue {
        .array(addresses.map { .object(["dial": .string(Caddy.dial($0))]) })
    }

    /// What Caddy 2.6 makes of `forward_auth`: a reverse_proxy that rewrites to a GET of the auth URI and, on a
    /// 2xx answer, copies the named headers onto the request.
    private static func forwardAuth(_ arguments: [String], _ children: [Caddyfile.Block]) -> JSONValue {
        let uri = children.first { $0.keys.first == "uri" }?.keys.dropFirst().first ?? "/"
        var copied: [String: JSONValue] = [:]
        for child in children where child.keys.first == "copy_headers" {
            for name in Array(child.keys.dropFirst()) + child.children.compactMap(\.keys.first) {
                let parts = name.split(separator: ">").map(String.init)
                let from = parts.first ?? name
                let to = parts.last ?? name
                copied[to] = .array([.string("{http.reverse_proxy.header.\(from)}")])
            }
        }
        var handler: [String: JSONValue] = [
            "handler": .string("reverse_proxy"),
            "upstreams": upstreams(arguments),
            "rewrite": .object(["method": .string("GET"), "uri": .string(uri)]),
            "headers": .object([
                "request": .object([
                    "set": .object([
                        "X-Forwarded-Method": .array([.string("{http.request.method}")]),
                        "X-Forwarded-Uri": .array([.string("{http.request.uri}")]),
                    ])
                ])
            ]),
        ]
        var response: [String: JSONValue] = ["match": .object(["status_code": .array([.integer(2)])])]
        if !copied.isEmpty {
            response["routes"] = .array([
                .object(["handle": .array([.object(["handler": .string("headers"), "request": .object(["set": .object(copied)])])])])
            ])
        }
        handler["handle_response"] = .array([.object(response)])
        if children.contains(where: { $0.keys.first == "trusted_proxies" }) {
            handler["trusted_proxies"] = .array(
                ["192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/8", "127.0.0.1/8", "fd00::/8", "::1"].map(JSONValue.string))
        }
        return .object(handler)
    }
}
