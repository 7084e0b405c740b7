"""The command line keeps the contract: its JSON, its offsets and its one-line errors."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler

import pytest
from click.testing import CliRunner
from sqlmodel import Session, func, select

from factcheck.cli import main
from factcheck.store.db import get_engine
from factcheck.store.models import Article, User

from .conftest import SAMPLE_ARTICLE, needs_shared
from .loopback import http_server, serving

QUOTE_KEYS = {"text", "start", "end", "speaker", "speaker_kind", "speaker_mention", "cue", "confidence", "partial"}
SAMPLE_TEXT = """The Kessler Bridge Will Reopen in March, Governor Says
By Nadia Holm (SAMPLE — fictional), December 3, 2025
Governor Teodor Brandt said on Tuesday that the Kessler bridge would reopen in March.
“We will finish the repairs before the spring floods,” Brandt said. “Nobody will pay a higher toll.”
The repairs cost 14 million crowns, the ministry said.
"""


def run(args, database, input=None):
    result = CliRunner().invoke(main, args, env={"FACTCHECK_DATABASE_URL": database}, input=input)
    return result


def one_line_error(result, *needles):
    assert result.exit_code != 0, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("factcheck: ")
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


@needs_shared
def test_extract_json_on_the_sample_article_keeps_the_contract(database):
    result = run(["extract", "--json", str(SAMPLE_ARTICLE)], database)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"article", "quotes", "claims"}
    article = data["article"]
    assert set(article) == {"title", "authors", "published", "url", "outlet", "text"}
    assert article["text"] == SAMPLE_ARTICLE.read_text(encoding="utf-8").replace("\r\n", "\n")
    text = article["text"]
    assert data["quotes"]
    for q in data["quotes"]:
        assert set(q) == QUOTE_KEYS
        assert text[q["start"]:q["end"]] == q["text"]
        if q["speaker_mention"]:
            m = q["speaker_mention"]
            assert text[m["start"]:m["end"]] == m["text"]
    for c in data["claims"]:
        assert set(c) == {"text", "start", "end", "score", "checkworthy", "kinds"}
        assert text[c["start"]:c["end"]] == c["text"]


def test_extract_reads_stdin(database):
    result = run(["extract", "--json", "-"], database, input=SAMPLE_TEXT)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["article"]["text"] == SAMPLE_TEXT
    said = {q["text"]: q["speaker"] for q in data["quotes"]}
    assert said["We will finish the repairs before the spring floods,"] == "Teodor Brandt"


@pytest.mark.parametrize("name, content, needle", [
    ("empty.txt", b"", "empty"),
    ("blob.txt", b"\x00\x01\x02\x03" * 100, "binary"),
    ("latin.txt", "Caf\xe9 owners said \u201cno\u201d.".encode("cp1252") + b"\x81\x8d", ""),
    ("broken.html", b"<html><head><<<</head><body><div></div>", ""),
    ("notes.pdf", b"%PDF-1.4 something", ""),
])
def test_extract_bad_files_fail_with_one_line_naming_the_file(database, tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    result = run(["extract", "--json", str(path)], database)
    if name == "latin.txt" and result.exit_code == 0:
        pytest.fail("undecodable bytes must not be read silently")
    one_line_error(result, name, needle)


def test_extract_refuses_an_oversized_file(database, tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 2_000_000)
    one_line_error(run(["extract", "--json", str(path)], database), "huge.txt")


def test_extract_a_missing_file(database, tmp_path):
    one_line_error(run(["extract", str(tmp_path / "nope.txt")], database), "nope.txt")


def test_extract_refuses_loopback_urls_and_reports_unreachable_ones(database):
    one_line_error(run(["extract", "--json", "http://127.0.0.1:9/story"], database), "127.0.0.1")
    one_line_error(run(["extract", "--json", "--allow-private", "http://127.0.0.1:9/story"], database), "127.0.0.1")


def test_statements_import_reports_rejects_by_line(database, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "S1", "text": "We will not raise fares.", "speaker": "Amara Osei"}\n{"speaker": "X"}\n', encoding="utf-8")
    result = run(["statements", "import", str(path)], database)
    assert result.exit_code == 0, result.stderr
    assert f"{path}:2: rejected: no 'text'" in result.stdout
    assert result.stdout.strip().endswith("added 1, updated 0, unchanged 0, rejected 1")


def test_statements_import_can_leave_its_follow_up_to_the_workers(database, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")
    story = tmp_path / "sample-story.txt"
    story.write_text(SAMPLE_TEXT, encoding="utf-8")
    assert run(["ingest", str(story)], database).exit_code == 0  # stored quotes to match again
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "S1", "text": "Nobody will pay a higher toll.", "speaker": "Teodor Brandt"}\n', encoding="utf-8")
    result = run(["statements", "import", "--background", str(path)], database)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["added 1, updated 0, unchanged 0, rejected 0",
                                          "embedding and re-matching queued for the workers"]
    worked = run(["worker", "--burst"], database)
    assert worked.stdout.startswith("0 sources polled") and "quotes re-matched" in worked.stdout, worked.output


def test_match_json_and_batch(database, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"id": "S3", "text": "We are being asked to sign a blank check for a project that may never be finished.",
                                "speaker": "Teodor Brandt", "date": "2025-11-02"}) + "\n", encoding="utf-8")
    assert run(["statements", "import", str(path)], database).exit_code == 0
    result = run(["match", "--json", "--speaker", "Teodor Brandt", "--date", "2025-11-20",
                  "a blank check for a project that will never be finished"], database)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"label", "matches"} and data["label"] == "altered"
    best = data["matches"][0]
    assert set(best) == {"ref", "statement_id", "refs", "statement_ids", "speaker", "date", "score", "label", "flags", "diff"}
    assert best["refs"] == ["S3"] and best["statement_ids"] == [best["statement_id"]]
    assert best["ref"] == "S3" and best["date"] == "2025-11-02" and best["flags"] == []
    assert ["replace", "may", "will"] in best["diff"]

    batch = tmp_path / "q.jsonl"
    batch.write_text(json.dumps({"id": "Q1", "text": "sign a blank check", "speaker": "Lena Varga", "date": "2025-11-03"}) + "\n"
                     + json.dumps({"id": "Q2", "text": "Completely unrelated words about turnips", "speaker": None}) + "\n",
                     encoding="utf-8")
    lines = [json.loads(line) for line in run(["match", "--json", "--batch", str(batch)], database).stdout.splitlines()]
    assert [(r["id"], r["label"]) for r in lines] == [("Q1", "exact"), ("Q2", "none")]
    assert lines[0]["matches"][0]["flags"] == ["misattributed"]


def test_match_json_names_every_statement_a_quote_spans(database, tmp_path):
    # A fictional statement imported one sentence a record (one title and date).
    sentences = ["The Vellmar ferry will run every twenty minutes from May.",
                 "Four new boats were ordered from the Skarholm yard last winter.",
                 "Fares will stay at two crowns for children under twelve."]
    path = tmp_path / "s.jsonl"
    path.write_text("".join(json.dumps({"id": f"R{i}", "text": text, "speaker": "Ilse Corveny", "date": "2025-09-01",
                                        "source_title": "Ferry press release"}) + "\n"
                            for i, text in enumerate(sentences, start=1)), encoding="utf-8")
    assert run(["statements", "import", str(path)], database).exit_code == 0
    result = run(["match", "--json", "--speaker", "Ilse Corveny", "--date", "2025-11-20",
                  "the Skarholm yard last winter. Fares will stay at two crowns"], database)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    best = data["matches"][0]
    assert data["label"] == "exact" and best["refs"] == ["R2", "R3"] and best["flags"] == ["earlier"]
    assert best["ref"] == "R2" and best["statement_id"] == best["statement_ids"][0] and len(best["statement_ids"]) == 2
    assert best["diff"] == [["equal", "the Skarholm yard last winter. Fares will stay at two crowns"]]


def test_match_needs_text(database):
    one_line_error(run(["match", "--json", "   "], database), "empty")


def test_ingest_twice_stores_once(database, tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text(SAMPLE_TEXT, encoding="utf-8")
    first = run(["ingest", str(path)], database)
    assert first.exit_code == 0, first.stderr
    assert "1 new" in first.stdout
    second = run(["ingest", str(tmp_path)], database)
    assert "0 new, 1 already stored" in second.stdout
    with Session(get_engine(database)) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 1


def test_ingest_reports_bad_sources_and_keeps_going(database, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE_TEXT, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = run(["ingest", str(bad), str(good)], database)
    assert result.exit_code == 0
    assert "bad.txt" in result.stderr and "1 new" in result.stdout and "1 failed" in result.stdout
    all_bad = run(["ingest", str(bad)], database)
    assert all_bad.exit_code == 1


# A "billion laughs" feed (a sample): a few hundred bytes that would expand to a billion "lol"s.
FEED_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 "lol">\n'
    + b"".join(b'<!ENTITY lol%d "%s">\n' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b']>\n<rss version="2.0"><channel><title>&lol9;</title>'
    b"<item><link>https://gazette.example/ok</link></item></channel></rss>"
)


@pytest.fixture
def feed_bomb_url():
    """The URL of FEED_BOMB on a loopback server."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(FEED_BOMB)))
            self.end_headers()
            self.wfile.write(FEED_BOMB)

        def log_message(self, *args):
            pass

    with serving(http_server(Handler)) as base:
        yield f"{base}/feed.xml"


def test_ingest_of_a_feed_bomb_names_the_feed_and_fails(database, tmp_path, feed_bomb_url):
    started = time.monotonic()
    result = run(["ingest", "--allow-private", feed_bomb_url], database)
    assert time.monotonic() - started < 2
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"factcheck: {feed_bomb_url}: not a readable feed (it declares the XML "
                                     "entity 'lol0', and feeds with entity declarations are refused)")
    assert result.stdout.startswith("1 articles: 0 new, 0 already stored, 1 failed")
    # alongside a good source, as for any bad source: reported, counted, the good one stored
    good = tmp_path / "good.txt"
    good.write_text(SAMPLE_TEXT, encoding="utf-8")
    mixed = run(["ingest", "--allow-private", feed_bomb_url, str(good)], database)
    assert mixed.exit_code == 0
    assert feed_bomb_url in mixed.stderr and "1 new" in mixed.stdout and "1 failed" in mixed.stdout


def test_users_create_reads_the_password_from_stdin(database):
    result = run(["users", "create", "casey", "--role", "checker"], database, input="a long password\n")
    assert result.exit_code == 0, result.stderr
    with Session(get_engine(database)) as session:
        assert session.exec(select(User.role).where(User.username == "casey")).one() == "checker"
    one_line_error(run(["users", "create", "casey", "--role", "checker"], database, input="a long password\n"), "exists")


def test_a_postgresql_url_without_the_driver_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if `factcheck[postgresql]` were not installed
    result = run(["users", "create", "casey", "--role", "checker"], "postgresql://postgres@127.0.0.1:5432/nowhere",
                 input="a long password\n")
    one_line_error(result, "psycopg", "pip install 'factcheck[postgresql]'")


@needs_shared
def test_the_sample_article_ingested_twice_is_stored_once(database):
    first = run(["ingest", str(SAMPLE_ARTICLE)], database)
    second = run(["ingest", str(SAMPLE_ARTICLE)], database)
    assert "1 new" in first.stdout and "0 new, 1 already stored" in second.stdout
    with Session(get_engine(database)) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 1


def test_a_failed_ingest_writes_nothing(database, tmp_path):
    bad = tmp_path / "broken.html"
    bad.write_bytes(b"<html><head><title></title></head><body><div></div></body>")
    assert run(["ingest", str(bad)], database).exit_code == 1
    with Session(get_engine(database)) as session:
        assert session.exec(select(func.count()).select_from(Article)).one() == 0


def test_serve_answers_from_several_worker_processes(database, tmp_path):
    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "FACTCHECK_DATABASE_URL": database, "FACTCHECK_SECRET_KEY": "test"}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-c", "from factcheck.cli import main; main()", "serve",
                                   "--port", str(port), "--workers", "2"], env=env, stdout=out, stderr=out)
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                        assert response.status == 200 and b"<h1>Fact checks</h1>" in response.read()
                    break
                except urllib.error.URLError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"factcheck serve did not answer: {log.read_text()}")
        finally:
            server.terminate()
            server.wait(10)
    assert log.read_text().count("Booting worker") == 2


@pytest.fixture
def sample_feed_url():
    """A loopback feed (a fictional outlet) of two articles, with the articles themselves."""
    def page(n):
        return (f"<html><head><title>Sample item {n}</title></head><body><article><h1>Sample item {n}</h1>"
                f"<p>The fictional ferry board met for the {n}th time.</p>"
                f"<p>“Fares will stay at {n} crowns,” said Ola Brenn.</p></article></body></html>").encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path == "/feed.xml":
                items = "".join(f"<item><link>{base}/a/{n}</link></item>" for n in (1, 2))
                body, kind = f'<rss version="2.0"><channel><title>Sample</title>{items}</channel></rss>'.encode(), \
                    "application/rss+xml"
            else:
                body, kind = page(int(self.path.rsplit("/", 1)[1])), "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with serving(http_server(Handler)) as base:
        yield f"{base}/feed.xml"


def test_sources_add_list_and_a_burst_worker(database, sample_feed_url):
    assert run(["sources", "add", sample_feed_url, "--every", "0", "--allow-private"], database).exit_code == 0
    again = run(["sources", "add", sample_feed_url], database)  # changes nothing
    assert again.exit_code == 0 and "every 0 minutes" in again.stdout
    listed = run(["sources", "list", "--json"], database)
    assert [json.loads(line) for line in listed.stdout.splitlines()] == [
        {"url": sample_feed_url, "every": 0, "last_polled": None, "last_status": "ok", "articles": 0}]
    worked = run(["worker", "--burst"], database)
    assert worked.exit_code == 0, worked.output
    assert worked.stdout == "1 sources polled (0 failing), 2 entries queued, 2 articles extracted, 0 failed\n"
    [row] = [json.loads(line) for line in run(["sources", "list", "--json"], database).stdout.splitlines()]
    assert (row["articles"], row["last_status"]) == (2, "ok")
    assert row["last_polled"].endswith("+00:00")
    plain = run(["sources", "list"], database).stdout
    assert sample_feed_url in plain and "2 articles" in plain
    # The same run again stores nothing new.
    assert run(["worker", "--burst"], database).stdout.startswith("1 sources polled (0 failing), 0 entries queued")


@pytest.mark.parametrize("url", ["gazette.example/feed.xml", "ftp://gazette.example/feed.xml"])
def test_sources_add_refuses_a_bad_url_by_name(database, url):
    one_line_error(run(["sources", "add", url], database), url, "not an http(s) URL")
    assert run(["sources", "list", "--json"], database).stdout == ""


def test_sources_add_refuses_a_negative_interval(database):
    one_line_error(run(["sources", "add", "https://gazette.example/feed.xml", "--every", "-1"], database), "--every -1")
