import Foundation

extension Caddy {
    /// The site routes a Caddyfile describes: one per host of every site block, `import`ed snippets expanded,
    /// `handle`/`route` bodies flattened, `reverse_proxy`, `forward_auth` and `respond` read as Caddy's adapter
    /// would turn them into JSON (the adapter puts `forward_auth` before `reverse_proxy` in its directive order).
    public static func siteRoutes(in caddyfile: Caddyfile) -> [SiteRoute] {
        var snippets: [String: [Caddyfile.Block]] = [:]
        for block in caddyfile.blocks {
            if let name = block.snippetName { snippets[name, default: []] += block.children }
        }
        var routes: [SiteRoute] = []
        for block in caddyfile.sorted().blocks where !block.isGlobal && !block.isSnippet && !block.isMatcher {
            var steps = self.steps(block.children, snippets: snippets, depth: 0)
            // Directive order: forward_auth runs before the proxy and responders whatever the text order.
            let auth = steps.filter { if case .forwardAuth = $0 { return true } else { return false } }
            steps = auth + steps.filter { if case .forwardAuth = $0 { return false } else { return true } }
            routes += siteRoutes(
                hosts: siteHosts(block.keys), paths: [], steps: steps, location: block.keys.joined(separator: " "), id: nil)
        }
        return routes
    }

    private static func steps(_ blocks: [Caddyfile.Block], snippets: [String: [Caddyfile.Block]], depth: Int) -> [Step] {
        guard depth < 16 else { return [] }
        var steps: [Step] = []
        for block in blocks {
            guard let directive = block.keys.first else { continue }
            var arguments = Array(block.keys.dropFirst())
            switch directive {
            case "import":
                if let name = arguments.first, let body = snippets[name] {
                    steps += self.steps(body, snippets: snippets, depth: depth + 1)
                } else {
                    steps.append(.other("import \(arguments.first ?? "")"))
                }
            case "reverse_proxy":
                if let first = arguments.first, isMatcherToken(first) { arguments.removeFirst() }
                let more = block.children.filter { $0.keys.first == "to" }.flatMap { $0.keys.dropFirst() }
                steps.append(.proxy((arguments + more).map(dial)))
            case "forward_auth":
                if let first = arguments.first, isMatcherToken(first) { arguments.removeFirst() }
                let uri = block.children.first { $0.keys.first == "uri" }?.keys.dropFirst().first
                var headers: [String] = []
                for child in block.children where child.keys.first == "copy_headers" {
                    let names = Array(child.keys.dropFirst()) + child.children.compactMap(\.keys.first)
                    headers += names.map { name in name.split(separator: ">").last.map(String.init) ?? name }
                }
                steps.append(.forwardAuth(ForwardAuth(upstreams: arguments.map(dial), uri: uri, copiedHeaders: headers)))
            case "respond":
                let status = arguments.first { Int($0) != nil } ?? ""
                steps.append(.respond(status))
            case "handle", "route", "handle_path":
                steps += self.steps(block.children, snippets: snippets, depth: depth + 1)
            case "tls", "encode", "log":
                continue
            default:
                steps.append(.other(directive))
            }
        }
        return steps
    }

    private static func isMatcherToken(_ token: String) -> Bool {
        token == "*" || token.hasPrefix("/") || token.hasPrefix("@")
    }
}
