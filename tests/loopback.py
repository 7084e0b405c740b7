"""Servers on 127.0.0.1 for the tests: a handler class served on a free port, in a thread."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def http_server(handler: type[BaseHTTPRequestHandler], address: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server of `handler` on a free port of a loopback `address` (any of 127.0.0.0/8).
    Its request threads are daemons, so a handler still trickling bytes never holds up the
    end of the run."""
    httpd = ThreadingHTTPServer((address, 0), handler)
    httpd.daemon_threads = True
    return httpd


@contextmanager
def serving(server) -> Iterator[str]:
    """Serve `server` (a socketserver server, such as `http_server`'s or werkzeug's) in a
    thread while the block runs; yields its base URL. Shut down and closed afterwards."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
