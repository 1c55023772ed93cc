#!/usr/bin/env python3
"""Forwards TCP connections on ADDRESS:PORT to a unix socket (run inside the server's network namespace).

Unix sockets are not network-namespaced, so this carries the machines' HTTP requests (iPXE fetching matchbox's
/boot.ipxe and /ipxe) from the test's namespace pair to the simulated matchbox listening on a unix socket.
Prints "ready" once listening; runs until killed.
"""
import argparse
import socket
import sys
import threading


def pipe(source, target):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        try:
            target.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(client, path):
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(path)
    except OSError:
        client.close()
        return
    threads = [threading.Thread(target=pipe, args=(client, upstream), daemon=True),
               threading.Thread(target=pipe, args=(upstream, client), daemon=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    upstream.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", required=True)
    parser.add_argument("--unix", required=True)
    args = parser.parse_args()
    host, port = args.listen.rsplit(":", 1)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((host, int(port)))
    server.listen(16)
    print("ready", flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client, args.unix), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
