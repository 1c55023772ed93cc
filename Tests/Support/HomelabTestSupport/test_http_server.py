#!/usr/bin/env python3
"""Loopback HTTP/1.1 test server for HomelabCore's transport tests (and the transport benchmark).

Listens on 127.0.0.1 (plain or TLS) or a unix socket, prints "READY <port-or-path>" once listening,
and serves until its stdin closes or it gets SIGTERM. Routes:
  /json?size=N            a JSON document of about N bytes (keep-alive, Content-Length)
  /echo                   method, path, headers and body echoed back as JSON
  /status/CODE            that status with {"message": "status CODE"}
  /flaky?key=K&fail=N&code=C&retry_after=S   the first N hits for K answer C (with Retry-After S), then 200
  /count?key=K            how many times /flaky or /stream was hit for K
  /slow?ms=N              answers after N ms
  /stream?key=K&interval_ms=M   chunked lines forever, until the client goes away
  /firehose?key=K&size=N  N bytes (byte i is i % 251) as fast as the client takes them; /count?key=K-sent
                          tells how many were written so far
  /echo-secret            401 whose message repeats the Authorization header (a server that leaks)
  /connections            how many TCP/unix connections were accepted so far
Modes: --silent accepts connections and never reads or writes (for connect timeouts over TLS).
"""
import argparse, json, os, socket, socketserver, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

lock = threading.Lock()
hits = {}
connections = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            connections[0] += 1

    def log_message(self, *args):
        pass

    def send_json(self, code, obj, extra=None):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def handle_any(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = self.read_body()
        p = url.path
        if p == "/json":
            size = int(q.get("size", "2048"))
            items = []
            while len(json.dumps({"items": items})) < size:
                i = len(items)
                items.append({"id": "svc%05d" % i, "name": "service-%d" % i, "replicas": i % 5, "image": "busybox:1.36"})
            self.send_json(200, {"items": items})
        elif p == "/echo-secret":
            self.send_json(401, {"message": "invalid credentials: %s" % self.headers.get("Authorization", "")})
        elif p == "/echo" or p.startswith("/echo/"):
            self.send_json(200, {"method": self.command, "path": self.path,
                                 "headers": {k: v for k, v in self.headers.items()},
                                 "body": body.decode("utf-8", "replace")})
        elif p.startswith("/status/"):
            code = int(p.split("/")[2])
            self.send_json(code, {"message": "status %d" % code})
        elif p == "/flaky":
            key = q.get("key", "default")
            with lock:
                hits[key] = hits.get(key, 0) + 1
                n = hits[key]
            if n <= int(q.get("fail", "0")):
                extra = {"Retry-After": q["retry_after"]} if "retry_after" in q else None
                self.send_json(int(q.get("code", "503")), {"message": "try again (hit %d)" % n}, extra)
            else:
                self.send_json(200, {"hit": n})
        elif p == "/count":
            with lock:
                self.send_json(200, {"count": hits.get(q.get("key", "default"), 0)})
        elif p == "/connections":
            with lock:
                self.send_json(200, {"connections": connections[0]})
        elif p == "/slow":
            time.sleep(int(q.get("ms", "1000")) / 1000)
            self.send_json(200, {"slept_ms": int(q.get("ms", "1000"))})
        elif p == "/firehose":
            key = q.get("key", "firehose") + "-sent"
            size = int(q.get("size", "1048576"))
            block = bytes(i % 251 for i in range(251 * 256))  # the pattern repeats exactly per block
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(size))
            self.end_headers()
            sent = 0
            try:
                while sent < size:
                    piece = block[: min(len(block), size - sent)]
                    self.wfile.write(piece)
                    sent += len(piece)
                    with lock:
                        hits[key] = sent
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                self.close_connection = True
        elif p == "/stream":
            key = q.get("key", "stream")
            interval = int(q.get("interval_ms", "50")) / 1000
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            i = 0
            try:
                while True:
                    line = (json.dumps({"seq": i}) + "\n").encode()
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                    self.wfile.flush()
                    i += 1
                    time.sleep(interval)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
                with lock:
                    hits[key + "-closed"] = hits.get(key + "-closed", 0) + 1
                self.close_connection = True
        else:
            self.send_json(404, {"message": "no route %s" % p})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        request, _ = super().get_request()
        return request, ("unix", 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--unix")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--client-ca")
    ap.add_argument("--silent", action="store_true")
    a = ap.parse_args()

    if a.silent:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", a.port))
        s.listen(16)
        held = []
        def accept_forever():
            while True:
                c, _ = s.accept()
                held.append(c)
        threading.Thread(target=accept_forever, daemon=True).start()
        print("READY %d" % s.getsockname()[1], flush=True)
    else:
        if a.unix:
            if os.path.exists(a.unix):
                os.unlink(a.unix)
            server = UnixServer(a.unix, Handler)
            ready = a.unix
        else:
            ThreadingHTTPServer.daemon_threads = True
            server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
            ready = str(server.server_address[1])
            if a.cert:
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(a.cert, a.key)
                if a.client_ca:
                    ctx.verify_mode = ssl.CERT_REQUIRED
                    ctx.load_verify_locations(a.client_ca)
                server.socket = ctx.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print("READY %s" % ready, flush=True)
    # Serve until the parent closes our stdin (or kills us by pid).
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
