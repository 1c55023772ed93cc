import HomelabCore
import Testing

@Suite("auth check's routes from Caddy's site routes")
struct ForwardAuthRoutesTests {
    @Test("one route per host, protected when any of its routes is; the catch-all is left out; hosts lower-cased")
    func fromSiteRoutes() {
        let auth = Caddy.ForwardAuth(upstreams: ["authentik-server:9000"], uri: "/outpost.goauthentik.io/auth/caddy", copiedHeaders: [])
        let routes = ForwardAuthRoute.routes(from: [
            Caddy.SiteRoute(host: "sonarr.home.arpa", paths: ["/api/*"], upstreams: ["sonarr:8989"]),
            Caddy.SiteRoute(host: "sonarr.home.arpa", forwardAuth: auth, isProtected: true, upstreams: ["sonarr:8989"]),
            Caddy.SiteRoute(host: "Plex.home.arpa", upstreams: ["plex:32400"]),
            Caddy.SiteRoute(host: "*", upstreams: ["fallback:80"]),
            // forward_auth to something that is not the outpost does not protect.
            Caddy.SiteRoute(host: "tautulli.home.arpa", forwardAuth: Caddy.ForwardAuth(upstreams: ["other:1"], uri: "/check", copiedHeaders: []), isProtected: false),
        ])
        #expect(routes == [
            ForwardAuthRoute(host: "plex.home.arpa", isProtected: false),
            ForwardAuthRoute(host: "sonarr.home.arpa", isProtected: true),
            ForwardAuthRoute(host: "tautulli.home.arpa", isProtected: false),
        ])
    }
}
