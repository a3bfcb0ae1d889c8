"""A small threaded forward proxy (GET by absolute URL, and CONNECT), as in a company network.

It resolves names from its own table (the "proxy's DNS"), so a test can prove the client never
resolves a name itself: the client's own lookups are made to fail.
"""

from __future__ import annotations

import http.client
import http.server
import select
import socket
import threading
from urllib.parse import urlsplit


class ForwardProxy:
    def __init__(self, names: dict[str, tuple[str, int]]):
        self.names, self.seen = names, []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                proxy.seen.append(("GET", parts.hostname))
                address = proxy.names.get(parts.hostname or "")
                if address is None:
                    self.send_error(502, "unknown host")
                    return
                upstream = http.client.HTTPConnection(*address, timeout=5)  # no redirect following
                upstream.request("GET", parts.path or "/", headers={"Host": parts.netloc})
                answer = upstream.getresponse()
                status, headers, body = answer.status, answer.headers, answer.read()
                upstream.close()
                self.send_response(status)
                for name in ("Content-Type", "Location"):
                    if headers.get(name):
                        self.send_header(name, headers[name])
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_CONNECT(self):
                host, _, port = self.path.rpartition(":")
                proxy.seen.append(("CONNECT", host))
                address = proxy.names.get(host)
                if address is None:
                    self.send_error(502, "unknown host")
                    return
                upstream = socket.create_connection(address, timeout=5)
                self.send_response(200, "Connection established")
                self.end_headers()
                _pipe(self.connection, upstream)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _pipe(a: socket.socket, b: socket.socket) -> None:
    sockets = [a, b]
    while True:
        ready, _, _ = select.select(sockets, [], [], 5)
        if not ready:
            return
        for s in ready:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)
