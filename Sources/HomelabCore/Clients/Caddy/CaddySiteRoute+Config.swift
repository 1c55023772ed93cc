import Foundation

extension Caddy {
    /// The site routes of a live configuration: one per host of every route of every HTTP server (servers by
    /// name, routes in order), with `subroute`s flattened and `forward_auth`'s JSON shape recognised.
    public static func siteRoutes(in config: Config) -> [SiteRoute] {
        var routes: [SiteRoute] = []
        for (name, server) in config.httpServers.sorted(by: { $0.key < $1.key }) {
            for (index, route) in (server.routes ?? []).enumerated() {
                let paths = (route.match ?? []).flatMap { $0.path ?? [] }
                routes += siteRoutes(
                    hosts: route.hosts, paths: paths, steps: steps(route.handle ?? []),
                    location: "/config/apps/http/servers/\(name)/routes/\(index)", id: route.id)
            }
        }
        return routes
    }

    /// The chain of `handlers`, subroutes flattened in order.
    static func steps(_ handlers: [Handler], depth: Int = 0) -> [Step] {
        guard depth < 16 else { return [] }
        var steps: [Step] = []
        for handler in handlers {
            switch handler.handler {
            case .subroute:
                for route in handler.routes ?? [] { steps += self.steps(route.handle ?? [], depth: depth + 1) }
            case .reverseProxy:
                let dials = (handler.upstreams ?? []).compactMap(\.dial)
                if let rewrite = handler.rewrite, let uri = rewrite.uri, !(handler.handleResponse ?? []).isEmpty {
                    steps.append(.forwardAuth(ForwardAuth(upstreams: dials, uri: uri, copiedHeaders: copiedHeaders(handler.handleResponse ?? []))))
                } else {
                    steps.append(.proxy(dials))
                }
            case .staticResponse:
                switch handler.statusCode {
                case .integer(let status)?: steps.append(.respond(String(status)))
                case .string(let status)?: steps.append(.respond(status))
                default: steps.append(.respond(""))
                }
            default:
                steps.append(.other(handler.handler.rawValue))
            }
        }
        return steps
    }

    /// Header names a `forward_auth`'s `handle_response` sets on the request (Caddy 2.6 sets them directly; 2.7+
    /// deletes and conditionally sets each one).
    static func copiedHeaders(_ responses: [ResponseHandler]) -> [String] {
        var names: [String] = []
        func visit(_ routes: [Route], depth: Int) {
            guard depth < 8 else { return }
            for route in routes {
                for handler in route.handle ?? [] {
                    if handler.handler == .headers, case .object(let request)? = handler.request, case .object(let set)? = request["set"] {
                        for name in set.keys.sorted() where !names.contains(name) { names.append(name) }
                    }
                    visit(handler.routes ?? [], depth: depth + 1)
                }
            }
        }
        for response in responses { visit(response.routes ?? [], depth: 0) }
        return names
    }
}
