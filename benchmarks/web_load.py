"""Web load: page latency with 100,000 quotes and 10,000 published verdicts.

    .venv/bin/python benchmarks/web_load.py [--quotes 100000] [--verdicts 10000]
        [--clients 20] [--workers N] [--seconds 20] [--database-url URL] [--json]
        [--pages queue,review,verdict,index,search] [--no-page-cache]

Builds a synthetic, seeded database (SQLite in a temporary folder unless a URL is given;
the rows go in as bulk INSERTs), serves it with `factcheck serve` (gunicorn, --workers
processes, default one per core) on a free loopback port, logs in as a fact-checker, and
loads its pages with wrk, an HTTP load generator written in C (Debian's package `wrk`),
so that the clients cost the server's two cores little and no client waits on a GIL:

* queue    /review/ at random pages, two in five of them filtered (flag, label) or sorted
* review   /review/quote/<id>, a random one of the 100,000 quotes with its candidate sources
* verdict  /verdicts/<id>, a random one of the 10,000 published verdicts with ClaimReview markup
* index    /?page=N, one request in five a search and one a rating filter
* search   /?q=WORD, the public index's text search alone (measure it uncached with --no-page-cache)

Each page is loaded on its own for --seconds: first by one client (the baseline: the
page's own cost), then by --clients concurrent clients, each sending its next request as
soon as the last is answered (keep-alive connections). Prints requests/s and p50/p95/p99
in milliseconds per page for both runs. The target is p95 <= 100 ms with 20 clients.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import insert
from werkzeug.security import generate_password_hash

from factcheck.store.db import get_engine
from factcheck.store.models import (
    Article,
    Claim,
    Match,
    Outlet,
    Person,
    PersonAlias,
    Quote,
    Statement,
    User,
    Verdict,
    VerdictVersion,
    flag_values,
)

PASSWORD = "benchmark password"
PAGES = ("queue", "review", "verdict", "index", "search")
WORDS = ("bridge tunnel harbor ferry council budget drivers fares strike audit housing school water "
         "power rail port tax wages nurses teachers police roads parks rent jobs").split()
FLAG_SETS = ([], [], [], [], ["earlier"], ["misattributed"], ["earlier", "misattributed"])
LABELS = ("exact", "minor", "elided", "altered", "none")
QUOTES_PER_ARTICLE = 10
BATCH = 5000


def sentence(rng: random.Random, n: int = 12) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words.insert(rng.randrange(n), f"{rng.randrange(1, 90)},000")
    return " ".join(words).capitalize() + "."


def bulk(conn, model, rows) -> None:
    for i in range(0, len(rows), BATCH):
        conn.execute(insert(model.__table__), rows[i:i + BATCH])


def build(url: str, n_quotes: int, n_verdicts: int, seed: int = 5) -> dict:
    """Fill an empty database; returns the ids the clients will ask for."""
    rng = random.Random(seed)
    engine = get_engine(url)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)
    n_articles = max(1, n_quotes // QUOTES_PER_ARTICLE)
    n_people = max(1, n_quotes // 50)
    with engine.begin() as conn:
        conn.execute(insert(User.__table__), [
            {"id": i, "username": name, "password_hash": generate_password_hash(PASSWORD), "role": name,
             "active": True, "created_at": now} for i, name in enumerate(("checker", "editor", "admin"), start=1)])
        bulk(conn, Outlet, [{"id": i, "name": f"Outlet {i}"} for i in range(1, 51)])
        bulk(conn, Person, [{"id": i, "name": f"Speaker {i}", "kind": "person", "created_at": now}
                            for i in range(1, n_people + 1)])
        bulk(conn, PersonAlias, [{"person_id": i, "alias": f"Speaker {i}", "key": f"speaker {i}"}
                                 for i in range(1, n_people + 1)])
        bulk(conn, Statement, [
            {"id": i, "text": sentence(rng), "speaker_name": f"Speaker {i % n_people + 1}", "person_id": i % n_people + 1,
             "date": dt.date(2025, 1, 1) + dt.timedelta(days=i % 600), "dedupe_key": f"s{i}", "origin": "import",
             "source_title": "Transcript", "source_url": f"https://example.org/s/{i}",
             "created_at": now, "updated_at": now} for i in range(1, n_quotes // 20 + 2)])
        articles, quotes, claims, matches = [], [], [], []
        for a in range(1, n_articles + 1):
            texts = [sentence(rng) for _ in range(QUOTES_PER_ARTICLE)]
            body, offsets = "", []
            for t in texts:
                body += "A speaker said: “"
                offsets.append(len(body))
                body += t + "” The end of that paragraph.\n"
            articles.append({"id": a, "outlet_id": a % 50 + 1, "title": f"Story {a} about {rng.choice(WORDS)}",
                             "url": f"https://news.example/{a}", "published": dt.date(2025, 1, 1) + dt.timedelta(days=a % 700),
                             "text": body, "content_hash": f"h{a}", "authors": [], "created_at": now})
            for t, start in zip(texts, offsets):
                q = len(quotes) + 1
                person = rng.randrange(1, n_people + 1)
                label = rng.choice(LABELS)
                flags = rng.choice(FLAG_SETS)
                quotes.append({"id": q, "article_id": a, "start": start, "end": start + len(t), "text": t,
                               "person_id": person, "speaker_name": f"Speaker {person}", "speaker_kind": "person",
                               "cue": "said", "confidence": 0.9, "partial": False, "label": label,
                               **flag_values(flags), "status": "new", "created_at": now})
                words = t.split()
                matches.append({"quote_id": q, "statement_id": rng.randrange(1, n_quotes // 20 + 1), "rank": 1,
                                "score": 80.0, "label": label, "flags": flags, "matcher_version": "bench",
                                "diff": [["equal", " ".join(words[:4])], ["replace", "20,000", "2,000"],
                                         ["equal", " ".join(words[4:])]],
                                "reasons": ["number changed: 20,000 → 2,000"], "created_at": now})
            claims.append({"id": a, "article_id": a, "start": 0, "end": 10, "text": body[:60], "score": 0.7,
                           "kinds": ["statistic"], "label": "none", "status": "new", "created_at": now})
        bulk(conn, Article, articles)
        bulk(conn, Quote, quotes)
        bulk(conn, Claim, claims)
        bulk(conn, Match, matches)
        published = rng.sample(range(1, len(quotes) + 1), min(n_verdicts, len(quotes)))
        verdicts, versions = [], []
        for v, q in enumerate(published, start=1):
            at = now - dt.timedelta(minutes=v)
            verdicts.append({"id": v, "quote_id": q, "status": "published", "current_version": 1,
                             "first_published_at": at, "created_at": at})
            versions.append({"verdict_id": v, "version": 1, "rating": rng.choice(("Accurate", "Misquoted", "Fabricated")),
                             "explanation": sentence(rng, 30), "evidence": [], "status": "published", "reviewer_id": 2,
                             "created_at": at})
        bulk(conn, Verdict, verdicts)
        bulk(conn, VerdictVersion, versions)
        conn.exec_driver_sql("UPDATE quote SET status = 'published' WHERE id IN (SELECT quote_id FROM verdict)")
    with engine.begin() as conn:  # the statistics a live database gathers (PostgreSQL's autovacuum) by itself
        conn.exec_driver_sql("ANALYZE")
    return {"quotes": len(quotes), "verdicts": len(verdicts)}


def start_server(url: str, workers: int | None, log, instance: Path) -> tuple[subprocess.Popen, int]:
    """`factcheck serve` on the database at `url` and a free loopback port, once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "FACTCHECK_SECRET_KEY": "benchmark",
           "FACTCHECK_INSTANCE": str(instance)}
    command = [sys.executable, "-c", "from factcheck.cli import main; main()", "serve", "--port", str(port)]
    server = subprocess.Popen(command + (["--workers", str(workers)] if workers else []), env=env,
                              stdout=log, stderr=log)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if server.poll() is not None:
                raise SystemExit("factcheck serve stopped: see its log above")
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("factcheck serve did not answer within 30 s")


def log_in(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    body = urlencode({"csrf_token": token.group(1) or token.group(2), "username": "checker", "password": PASSWORD})
    conn.request("POST", "/login", body=body, headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"login failed: HTTP {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


# wrk asks this script for each request's path: the same mix for every run of a page.
WRK_SCRIPT = """
local page, cookie = os.getenv("PAGE"), os.getenv("COOKIE")
local quotes, verdicts = tonumber(os.getenv("QUOTES")), tonumber(os.getenv("VERDICTS"))
local words = {%(words)s}
local queue_extras = {"", "", "&flag=earlier", "&label=altered", "&sort=flagged"}
local index_extras = {"", "", "", "q", "&rating=Misquoted"}
request = function()
  local path
  if page == "queue" then
    path = "/review/?page=" .. math.random(1, 39) .. queue_extras[math.random(1, 5)]
  elseif page == "review" then
    path = "/review/quote/" .. math.random(1, quotes)
  elseif page == "verdict" then
    path = "/verdicts/" .. math.random(1, verdicts)
  elseif page == "search" then
    path = "/?q=" .. words[math.random(1, #words)]
  else
    local extra = index_extras[math.random(1, 5)]
    if extra == "q" then extra = "&q=" .. words[math.random(1, #words)] end
    path = "/?page=" .. math.random(1, 39) .. extra
  end
  return wrk.format("GET", path, {["Cookie"] = cookie})
end
done = function(summary, latency)
  io.write(string.format("RESULT %%d %%f %%f %%f %%f\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
""" % {"words": ", ".join(f'"{w}"' for w in WORDS)}


def load(port: int, cookie: str, counts: dict, page: str, clients: int, seconds: float, script: Path) -> dict:
    """One wrk run of `clients` connections on `page` for `seconds`: requests/s and percentiles."""
    env = {**os.environ, "PAGE": page, "COOKIE": cookie, "QUOTES": str(counts["quotes"]),
           "VERDICTS": str(counts["verdicts"])}
    out = subprocess.run(["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "-s", str(script),
                          f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True, check=True)
    # wrk counts failed answers and timed-out or broken connections apart from the latencies.
    if "Non-2xx" in out.stdout or "Socket errors" in out.stdout or out.stderr.strip():
        raise SystemExit(f"{page}: requests failed\n{out.stdout}{out.stderr}")
    requests, duration, p50, p95, p99 = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\S+)", out.stdout).groups()
    return {"requests": int(requests), "per_second": round(int(requests) / float(duration)),
            "p50": round(float(p50), 1), "p95": round(float(p95), 1), "p99": round(float(p99), 1)}


def report(title: str, results: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"{'page':<9}{'requests':>9}{'per s':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for page, r in results.items():
        print(f"{page:<9}{r['requests']:>9}{r['per_second']:>7}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--verdicts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, help="server processes (default: factcheck serve's, one per core)")
    parser.add_argument("--seconds", type=int, default=20, help="length of each page's run")
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temporary folder)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    parser.add_argument("--pages", default=",".join(PAGES), help="which pages to load, comma-separated")
    parser.add_argument("--no-page-cache", action="store_true",
                        help="serve every page uncached (PAGE_CACHE_SECONDS = 0): the pages' own cost")
    args = parser.parse_args()
    pages = args.pages.split(",")
    if set(pages) - set(PAGES):
        parser.error(f"--pages: choose from {', '.join(PAGES)}")
    if not shutil.which("wrk"):
        raise SystemExit("this benchmark loads the server with wrk: apt-get install wrk")

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        counts = build(url, args.quotes, args.verdicts)
        print(f"built {counts['quotes']:,} quotes and {counts['verdicts']:,} verdicts in {time.perf_counter() - started:.1f} s")
        script = Path(tmp) / "pages.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        instance = Path(tmp) / "instance"
        instance.mkdir()
        if args.no_page_cache:
            (instance / "config.py").write_text("PAGE_CACHE_SECONDS = 0\n", encoding="utf-8")
        with (Path(tmp) / "server.log").open("w+") as log:
            server, port = start_server(url, args.workers, log, instance)
            try:
                cookie = log_in(port)
                for page in pages:  # every worker compiles its templates and warms its caches
                    load(port, cookie, counts, page, args.clients, 2, script)
                baseline = {page: load(port, cookie, counts, page, 1, args.seconds, script) for page in pages}
                loaded = {page: load(port, cookie, counts, page, args.clients, args.seconds, script) for page in pages}
            except BaseException:
                log.seek(0)
                print(log.read()[-3000:], file=sys.stderr)
                raise
            finally:
                server.terminate()
                server.wait(10)
    print(f"page cache: {'off' if args.no_page_cache else 'on'}")
    report("1 client (baseline)", baseline)
    report(f"{args.clients} concurrent clients", loaded)
    worst = max(v["p95"] for v in loaded.values())
    print(f"\ntarget p95 <= 100 ms with {args.clients} clients: {'met' if worst <= 100 else 'NOT met'} (worst p95 {worst} ms)")
    if args.json:
        print(json.dumps({"baseline": baseline, "loaded": loaded}))


if __name__ == "__main__":
    main()
