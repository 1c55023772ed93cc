import Foundation
import HomelabCore
import Hummingbird

/// matchbox's HTTP routes (`matchbox/http/server.go`) over a data directory read on every request. Selection,
/// templates and answers follow matchbox: the most specific fully matching group wins; no group, no profile, a
/// missing template or a failed render is a plain `404 page not found`.
///
/// Not simulated: `/grub`, signatures (`.sig`/`.asc`), and translating Butane templates to Ignition (a `.ign` or
/// `.ignition` file is served as JSON as matchbox serves it; a Butane template is rendered, then answered 404 with
/// a note that the simulator does not translate Butane).
struct MatchboxRoutes: Sendable {
    let directory: MatchboxDataDirectory

    /// matchbox's own iPXE template for `/ipxe` (`matchbox/http/ipxe.go`), rendered with the profile's boot.
    static let ipxeTemplate = """
        #!ipxe
        kernel {{.Kernel}}{{range $arg := .Args}} {{$arg}}{{end}}
        {{- range $element := .Initrd }}
        initrd {{$element}}
        {{- end}}
        boot

        """

    /// `/boot.ipxe`: chains to `/ipxe` with the machine's identity.
    static let bootstrap = "#!ipxe\nchain ipxe?uuid=${uuid}&mac=${mac:hexhyp}&domain=${domain}&hostname=${hostname}&serial=${serial}&arch=${buildarch:uristring}\n"

    func add(to router: Router<SimulatorRequestContext>) {
        router.get("/") { _, _ -> Response in Self.text("matchbox\n") }
        router.get("boot.ipxe") { _, _ -> Response in Self.text(Self.bootstrap) }
        router.get("boot.ipxe.0") { _, _ -> Response in Self.text(Self.bootstrap) }
        router.get("ipxe") { request, _ -> Response in try await ipxe(request) }
        router.get("generic") { request, _ -> Response in try await template(request, directory: "generic") { $0.genericID } }
        router.get("cloud") { request, _ -> Response in try await template(request, directory: "cloud") { $0.cloudID } }
        router.get("ignition") { request, _ -> Response in try await ignition(request) }
        router.get("metadata") { request, _ -> Response in try await metadata(request) }
        router.get("assets/**") { request, _ -> Response in try await asset(request) }
    }

    /// A plain-text answer.
    static func text(_ body: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static var notFound: Response { text("404 page not found\n", status: .notFound) }

    /// The request's labels in order, and its raw query.
    static func query(_ request: Request) -> [(String, String)] {
        guard let raw = request.uri.query else { return [] }
        var pairs: [(String, String)] = []
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = QueryString.unescape(parts[0]), let value = QueryString.unescape(parts.count > 1 ? parts[1] : "") else { continue }
            pairs.append((key, value))
        }
        return pairs
    }

    private func select(_ request: Request) async throws -> (MatchboxData, Matchbox.Group, [(String, String)])? {
        let data = try await directory.load()
        let query = Self.query(request)
        guard let group = data.which(Matchbox.labels(query)).chosen else { return nil }
        return (data, group, query)
    }

    private func ipxe(_ request: Request) async throws -> Response {
        guard let (data, group, _) = try await select(request), let profile = data.profile(group.profile), let boot = profile.boot else {
            return Self.notFound
        }
        let values: JSONValue = .object([
            "Kernel": .string(boot.kernel), "Initrd": .array(boot.initrd.map { .string($0) }), "Args": .array(boot.args.map { .string($0) }),
        ])
        guard let text = try? Matchbox.Template(Self.ipxeTemplate, name: "ipxe").render(values) else { return Self.notFound }
        return Self.text(text)
    }

    private func template(
        _ request: Request, directory name: String, id: (Matchbox.Profile) -> String?
    ) async throws -> Response {
        guard let (data, group, query) = try await select(request), let profile = data.profile(group.profile),
            let templateID = id(profile), let text = data.templates["\(name)/\(templateID)"]
        else { return Self.notFound }
        var variables = Matchbox.templateData(group: group, query: query)
        if case .object(var fields) = variables, case .object(var requestFields)? = fields["request"] {
            requestFields["raw_query"] = .string(request.uri.query ?? "")
            fields["request"] = .object(requestFields)
            variables = .object(fields)
        }
        guard let rendered = try? Matchbox.Template(text, name: "\(name)/\(templateID)").render(variables) else { return Self.notFound }
        return Self.text(rendered)
    }

    private func ignition(_ request: Request) async throws -> Response {
        guard let (data, group, _) = try await select(request), let profile = data.profile(group.profile), let id = profile.ignitionID,
            let text = data.templates["ignition/\(id)"]
        else { return Self.notFound }
        guard id.hasSuffix(".ign") || id.hasSuffix(".ignition") else {
            return Self.text("404 page not found (the simulator does not translate Butane templates)\n", status: .notFound)
        }
        guard let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return Self.notFound }
        return SimulatorJSON.response(parsed)
    }

    private func metadata(_ request: Request) async throws -> Response {
        guard let (_, group, query) = try await select(request) else { return Self.notFound }
        var variables = Matchbox.templateData(group: group, query: query)
        if case .object(var fields) = variables, case .object(var requestFields)? = fields["request"] {
            requestFields["raw_query"] = .string(request.uri.query ?? "")
            fields["request"] = .object(requestFields)
            variables = .object(fields)
        }
        var lines: [String] = []
        Self.envLines(prefix: "", variables, into: &lines)
        return Self.text(lines.joined(), contentType: "plain/text")
    }

    /// matchbox's `renderAsEnvFile`: strings, booleans and numbers as `KEY=value`, maps flattened with `_`, lists
    /// left out (keys sorted here; matchbox's order is Go's map order).
    static func envLines(prefix: String, _ value: JSONValue, into lines: inout [String]) {
        guard case .object(let fields) = value else { return }
        for key in fields.keys.sorted() {
            let name = prefix + key
            switch fields[key] {
            case .string(let text)?: lines.append("\(name.uppercased())=\(text)\n")
            case .bool(let flag)?: lines.append("\(name.uppercased())=\(flag)\n")
            case .integer, .number:
                lines.append("\(name.uppercased())=\(Matchbox.Template.printed(fields[key] ?? .null))\n")
            case .object?: envLines(prefix: name + "_", fields[key] ?? .null, into: &lines)
            default: break
            }
        }
    }

    private func asset(_ request: Request) async throws -> Response {
        let relative = request.uri.path.dropFirst("/assets/".count)
        let parts = relative.split(separator: "/").map(String.init)
        guard !parts.isEmpty, parts.allSatisfy(PXEPath.isFileName) else { return Self.notFound }
        let path = parts.reduce(PXEPath.join(directory.root, "assets")) { PXEPath.join($0, $1) }
        guard let bytes = try await directory.store.read(path) else { return Self.notFound }
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
