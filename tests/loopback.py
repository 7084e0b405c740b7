"""Servers on 127.0.0.1 for the tests: a handler class served on a free port, in a thread;
a TCP forwarder to stand between a process and its server, which a test can cut."""
from __future__ import annotations

import socket
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


class TcpForwarder:
    """A loopback TCP port forwarding to `target` (host, port), which a test can cut (its
    listening socket and every connection through it closed, as when a server goes away)
    and restore on the same port. `port` is its own port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        """Listen again (on the port of before, once it has one)."""
        listener = socket.create_server(("127.0.0.1", self.port))
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and close the live ones."""
        with self._lock:
            closing, self._sockets = [self._listener, *self._sockets], set()
            self._listener = None
        for sock in closing:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:  # a listener, or a socket the other end closed
                pass
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # cut
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close(), server.close()
                    return
                self._sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        """Copy bytes one way until either end closes; then close both."""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with self._lock:
            self._sockets -= {source, sink}
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
