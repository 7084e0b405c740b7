"""Fetch one web page safely, for reading.py (articles) and feeds.py (RSS and Atom).

`fetch_url(url)` returns the page's final URL, content type and body, or raises an
`InputError` whose one-line message names the URL and the reason.

Safety, because the URL may come from a user of a shared server:

* Only http and https. The host is resolved once, every address it resolves to is
  checked, and the connection goes to a checked address (so a second DNS answer cannot
  swap in another). Private, loopback, link-local, multicast, reserved and other
  non-public addresses are refused unless `allow_private` (tests and local setups).
* Redirects are followed by hand, at most `max_redirects`, each new URL checked again.
* The body is read in chunks and refused past `max_bytes` (after decompression).
* The whole fetch (resolving the host, connecting, the status line and headers, the
  body, every redirect) must finish within `timeout` seconds, by the clock. Each socket
  operation waits at most the time left, and a watchdog shuts the connection down when
  the time is up, so a server that trickles a byte at a time cannot stretch the fetch
  either.
* Only HTML, XHTML, plain text and feed (RSS/Atom/XML) responses are accepted.

A conditional GET (for polling feeds): given the `etag` and `last_modified` a previous
response sent, they go out as If-None-Match and If-Modified-Since, and a 304 Not
Modified answer comes back as a page with `not_modified` set and an empty body.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

from ..errors import InputError

ACCEPTED_TYPES = frozenset({
    "text/html", "application/xhtml+xml", "text/plain",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/xml", "text/xml",
})
_USER_AGENT = "factcheck/0.1 (+https://github.com/factcheck; newsroom quote tracker)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class _TimedOut(Exception):
    """The fetch ran out of time; fetch_url turns it into one InputError message."""


@dataclass
class FetchedPage:
    url: str  # the final URL, after redirects
    content_type: str | None  # the Content-Type header as sent (with any charset)
    body: bytes
    etag: str | None = None  # the response's validators, for the next conditional GET
    last_modified: str | None = None
    not_modified: bool = False  # a 304 answer to a conditional GET: the body is empty


def fetch_url(url: str, *, allow_private: bool = False, timeout: float = 10.0,
              max_bytes: int = 5_000_000, max_redirects: int = 5,
              etag: str | None = None, last_modified: str | None = None) -> FetchedPage:
    """GET `url`, following redirects, within the limits described in the module docstring
    (conditionally when given an `etag` or `last_modified`)."""
    conditions = {name: value for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
                  if value}
    deadline = time.monotonic() + timeout
    timed_out = InputError(f"{url}: timed out after {timeout:g} s")
    with _Watchdog(deadline) as watchdog:
        try:
            page = _fetch(url, allow_private, deadline, watchdog, max_bytes, max_redirects, conditions)
        except _TimedOut:
            raise timed_out from None
        except InputError:
            # A connection shut down by the watchdog surfaces as whatever error the read
            # in progress gave (a closed connection, a short body): it is the deadline's.
            if watchdog.fired:
                raise timed_out from None
            raise
    if watchdog.fired:  # a body without a Content-Length simply ends when the socket is shut
        raise timed_out
    return page


def _fetch(url: str, allow_private: bool, deadline: float, watchdog: _Watchdog,
           max_bytes: int, max_redirects: int, conditions: dict[str, str]) -> FetchedPage:
    """fetch_url's work: each request in turn, until a page or an error."""
    current = url
    for _ in range(max_redirects + 1):
        pool, response = _get(current, url, allow_private, deadline, watchdog, conditions)
        try:
            validators = {"etag": response.headers.get("ETag"),
                          "last_modified": response.headers.get("Last-Modified")}
            if response.status == 304 and conditions:
                return FetchedPage(url=current, content_type=None, body=b"", not_modified=True, **validators)
            if response.status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise InputError(f"{url}: redirect (HTTP {response.status}) without a Location")
                current = urljoin(current, location.strip())
                continue
            if response.status >= 400:
                raise InputError(f"{url}: HTTP {response.status} {response.reason or ''}".rstrip())
            content_type = response.headers.get("Content-Type")
            media = (content_type or "").split(";")[0].strip().lower()
            if media and media not in ACCEPTED_TYPES:
                raise InputError(f"{url}: unsupported content type {media!r} (expected HTML, text or a feed)")
            body = _read_body(response, url, max_bytes, deadline)
            return FetchedPage(url=current, content_type=content_type, body=body, **validators)
        finally:
            response.release_conn()
            pool.close()
    raise InputError(f"{url}: more than {max_redirects} redirects")


class _Watchdog:
    """Shuts down every connection of a fetch when its deadline passes, whatever it is doing.

    A socket timeout bounds each wait, not their sum: a server sending one byte every
    half second satisfies every read in time and could hold a fetch for minutes. So a
    timer thread shuts the connections down at the deadline, which ends a read blocked
    in the TLS handshake, the headers or the body at once. It holds a duplicate of each
    socket, because the TLS layer takes over (and detaches) the one urllib3 connected.
    """

    def __init__(self, deadline: float):
        self.fired = False
        self._deadline = deadline
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(0, self._fire)

    def __enter__(self) -> _Watchdog:
        self._timer.interval = max(0.0, self._deadline - time.monotonic())
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down at the deadline (at once if it has passed)."""
        with self._lock:
            duplicate = sock.dup()
            self._sockets.append(duplicate)
            if self.fired:
                _shut(duplicate)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed by the other end
        pass


class _WatchedConnection:
    """Hands each new connection's socket to the fetch's watchdog, before anything is sent."""

    def __init__(self, *args, watchdog: _Watchdog, **kwargs):
        super().__init__(*args, **kwargs)
        self._watchdog = watchdog

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self._watchdog.watch(sock)
        return sock


class _HTTPConnection(_WatchedConnection, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class _HTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _get(url: str, original: str, allow_private: bool, deadline: float,
         watchdog: _Watchdog, conditions: dict[str, str]) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    """One GET of `url` (no redirects followed), connected to a checked address.

    Returns the connection pool (for the caller to close) and the unread response.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"{original}: only http and https URLs can be fetched")
    host = parts.hostname
    if not host:
        raise InputError(f"{original}: no host in the URL")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise InputError(f"{original}: bad port in the URL") from None
    addresses = _resolve(host, port, deadline)
    if not addresses:
        raise InputError(f"{original}: cannot resolve host {host!r}")
    if not allow_private:
        for address in addresses:
            problem = _address_problem(address)
            if problem:
                raise InputError(f"{original}: refusing to fetch from {host} ({address} is a {problem} address)")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    if ":" in host and parts.port is None:
        host_header = f"[{host}]"
    headers = {"Host": host_header, "User-Agent": _USER_AGENT,
               "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,application/rss+xml,"
                         "application/atom+xml,application/xml;q=0.8",
               "Accept-Encoding": "gzip, deflate", **conditions}
    last_error: Exception | None = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        timeout = urllib3.Timeout(connect=remaining, read=remaining)
        if scheme == "https":
            pool = _HTTPSConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1,
                                        server_hostname=host, assert_hostname=host,
                                        cert_reqs="CERT_REQUIRED", watchdog=watchdog)
        else:
            pool = _HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1,
                                       watchdog=watchdog)
        try:
            return pool, pool.urlopen("GET", path, headers=headers, redirect=False, retries=False,
                                      preload_content=False, decode_content=True)
        except urllib3.exceptions.NewConnectionError as exc:  # before TimeoutError: it subclasses it
            pool.close()
            last_error = exc
        except urllib3.exceptions.TimeoutError:
            pool.close()
            raise _TimedOut from None
        except urllib3.exceptions.SSLError as exc:
            pool.close()
            raise InputError(f"{original}: TLS error: {_first_line(exc)}") from None
        except urllib3.exceptions.HTTPError as exc:
            pool.close()
            last_error = exc
    if last_error is None:
        raise _TimedOut
    raise InputError(f"{original}: cannot connect: {_first_line(last_error).rsplit(': ', 1)[-1]}")


def _read_body(response: urllib3.BaseHTTPResponse, url: str, max_bytes: int, deadline: float) -> bytes:
    """The response body, refused past `max_bytes` or past the deadline."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise InputError(f"{url}: page is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
    chunks, size = [], 0
    try:
        for chunk in response.stream(_CHUNK, decode_content=True):
            size += len(chunk)
            if size > max_bytes:
                raise InputError(f"{url}: page is over the {max_bytes:,}-byte limit")
            if time.monotonic() > deadline:
                raise _TimedOut
            chunks.append(chunk)
    except urllib3.exceptions.TimeoutError:
        raise _TimedOut from None
    except urllib3.exceptions.HTTPError as exc:
        raise InputError(f"{url}: error while reading: {_first_line(exc)}") from None
    return b"".join(chunks)


def _resolve(host: str, port: int, deadline: float) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without repeats.

    The system resolver takes no timeout, so it runs in a thread of its own, waited on
    until the deadline; a lookup still hanging then is left to finish unread."""
    answer: list = []

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (socket.gaierror, UnicodeError):
            answer.append([])
        except Exception as exc:  # noqa: BLE001  (raised again in the fetching thread)
            answer.append(exc)

    lookup = threading.Thread(target=look_up, name=f"resolve {host}", daemon=True)
    lookup.start()
    lookup.join(max(0.0, deadline - time.monotonic()))
    if not answer:
        raise _TimedOut
    if isinstance(answer[0], Exception):
        raise answer[0]
    return list(dict.fromkeys(info[4][0] for info in answer[0]))


def _address_problem(address: str) -> str | None:
    """Why connecting to `address` is refused ("private", "loopback", ...), or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # Most specific first: Python counts link-local, reserved and the like as private too.
    for problem in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{problem}"):
            return problem.replace("_", "-")
    if not ip.is_global:
        return "non-public"
    return None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
