import Foundation
import HomelabTestSupport
import Logging
import Testing

@testable import HomelabCore

/// The request core every component client is built on, tested through the in-memory transport.
@Suite("Client kit: the REST core")
struct RESTClientTests {
    struct Item: Codable, Sendable, Hashable {
        var name: String
        var size: Int
    }

    func core(_ transport: InMemoryTransport, prefix: RESTClient.PathPrefix? = nil, errors: ErrorMapping = ErrorMapping())
        -> RESTClient
    {
        let http = HTTPClient(
            transport: transport, endpoint: .url("https://pve.lab:8006/api2/json"), component: "proxmox", middleware: [])
        return RESTClient(http: http, errors: errors, pathPrefix: prefix)
    }

    @Test("paths get the version prefix, queries are percent-encoded, JSON goes both ways")
    func requestShape() async throws {
        let transport = InMemoryTransport { request, _ in InMemoryTransport.json(Item(name: "echo", size: request.body?.count ?? 0)) }
        let rest = core(transport, prefix: { _ in "/v2" })
        let answer = try await rest.send(
            .put, "/items/a b", query: [("filter", "name=x&y"), ("sort", "size")], json: Item(name: "n", size: 1),
            decoding: Item.self, logger: nil)
        let request = try #require(transport.requests.first)
        #expect(request.method == .put)
        #expect(request.path == "/v2/items/a b?filter=name%3Dx%26y&sort=size")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == #"{"name":"n","size":1}"#)
        #expect(answer == Item(name: "echo", size: 21))
    }

    @Test("an unversioned call skips the prefix hook entirely")
    func unversioned() async throws {
        let transport = InMemoryTransport { _, _ in HTTPResponse(status: 200) }
        let rest = core(transport, prefix: { _ in throw HomelabError(.unsupportedVersion, "must not be asked") })
        _ = try await rest.call(.get, "/version", versioned: false, logger: nil)
        #expect(transport.requests.map(\.path) == ["/version"])
    }

    @Test("the component's mapping turns a server message into a precise code")
    func errorMapping() async throws {
        let locked = ErrorMapping(classify: { answer in
            answer.message?.contains("locked") == true ? (.conflict, "the VM is locked by another task") : nil
        })
        let transport = InMemoryTransport { _, _ in InMemoryTransport.json(500, text: #"{"message":"VM 101 is locked (backup)"}"#) }
        let error = await #expect(throws: HomelabError.self) {
            _ = try await core(transport, errors: locked).call(.post, "/nodes/pve/qemu/101/status/start", logger: nil)
        }
        #expect(error?.code == .conflict)
        #expect(error?.component == "proxmox")
        #expect(error?.status == 500)
        #expect(error?.serverMessage == "VM 101 is locked (backup)")
        #expect(error?.request?.path == "/nodes/pve/qemu/101/status/start")
        let plain = await #expect(throws: HomelabError.self) {
            _ = try await core(InMemoryTransport { _, _ in InMemoryTransport.json(404, text: #"{"errors":"no such VM"}"#) })
                .call(.get, "/nodes/pve/qemu/999", logger: nil)
        }
        #expect(plain?.code == .notFound)
    }

    @Test("a malformed answer names the field and the expected type, never crashes")
    func decodingErrors() async throws {
        let transport = InMemoryTransport { _, _ in InMemoryTransport.json(text: #"[{"name":"a","size":"big"}]"#) }
        let error = await #expect(throws: HomelabError.self) {
            _ = try await core(transport).get([Item].self, "/items", logger: nil)
        }
        #expect(error?.code == .decodingFailed)
        #expect(error?.message.contains("[0].size") == true)
        let garbage = InMemoryTransport { _, _ in HTTPResponse(status: 200, body: Array("<html>".utf8)) }
        let notJSON = await #expect(throws: HomelabError.self) { _ = try await core(garbage).get([Item].self, "/items", logger: nil) }
        #expect(notJSON?.code == .decodingFailed)
    }

    @Test("path segments are checked and percent-encoded", arguments: ["", "a/b", "..", "."])
    func badSegments(_ id: String) throws {
        #expect(throws: HomelabError.self) { _ = try core(InMemoryTransport()).pathComponent(id, what: "VM") }
    }

    @Test("a good segment is percent-encoded")
    func goodSegment() throws {
        #expect(try core(InMemoryTransport()).pathComponent("web app:1", what: "service") == "web%20app%3A1")
    }
}
