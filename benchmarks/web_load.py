"""Web load: page latency with 100,000 quotes and 10,000 published verdicts.

    .venv/bin/python benchmarks/web_load.py [--quotes 100000] [--verdicts 10000]
        [--clients 20] [--workers 2] [--requests 300] [--seconds 60] [--database-url URL]

Builds a synthetic, seeded database (SQLite in a temporary folder unless a URL is given;
the rows go in as bulk INSERTs), serves the app on a free loopback port the way a
production server would on this machine: --workers processes (default: one per core),
each answering with werkzeug's threaded server on the one shared listening socket
(pre-fork, as gunicorn does), and requests four pages:

* queue    /review/ at random pages, half of them filtered (flag, label, sort)
* review   /review/quote/<id>, a random quote with its candidate sources
* verdict  /verdicts/<id>, a random published verdict with ClaimReview markup
* index    /?page=N, and one request in four a search or rating filter

First with one client (the baseline: each page's own cost), then with --clients
concurrent clients (threads with http.client, in this process; the server runs in its
own processes so the clients do not compete with it for Python's GIL), each run
stopping after --requests requests per page in all or --seconds, whichever comes first.
Prints p50/p95 in milliseconds per page for both runs. The target is p95 <= 100 ms.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import logging
import multiprocessing
import os
import random
import re
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import insert
from werkzeug.security import generate_password_hash
from werkzeug.serving import make_server

from factcheck.store.db import forget_engines, get_engine
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
)
from factcheck.web.app import create_app

PASSWORD = "benchmark password"
PAGES = ("queue", "review", "verdict", "index")
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
                               "cue": "said", "confidence": 0.9, "partial": False, "label": label, "flags": flags,
                               "status": "new", "created_at": now})
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
    if engine.dialect.name == "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return {"quotes": len(quotes), "verdicts": len(verdicts)}


def serve(url: str, fd: int, ready) -> None:
    """One server process: the app, answering on the shared socket `fd` in threads."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark", "LOGIN_FAILURES": 10**6})
    server = make_server("127.0.0.1", 0, app, threaded=True, fd=fd)
    ready.set()
    server.serve_forever()


def start_servers(url: str, workers: int) -> tuple[int, list]:
    """`workers` server processes on one listening loopback socket; returns its port."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    os.set_inheritable(listener.fileno(), True)
    forget_engines()  # no database connection may be shared across fork
    context = multiprocessing.get_context("fork")
    processes = []
    for _ in range(workers):
        ready = context.Event()
        process = context.Process(target=serve, args=(url, listener.fileno(), ready), daemon=True)
        process.start()
        ready.wait(60)
        processes.append(process)
    return listener.getsockname()[1], processes


class Client:
    """One simulated user: a keep-alive HTTP connection with the logged-in cookie."""

    def __init__(self, port: int, cookie: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = cookie

    def get(self, path: str) -> float:
        started = time.perf_counter()
        self.conn.request("GET", path, headers={"Cookie": self.cookie})
        response = self.conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        return (time.perf_counter() - started) * 1000


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


def path_for(page: str, rng: random.Random, counts: dict) -> str:
    if page == "queue":
        extra = rng.choice(({}, {}, {"flag": "earlier"}, {"label": "altered"}, {"sort": "flagged"}))
        return "/review/?" + urlencode({"page": rng.randrange(1, 40), **extra})
    if page == "review":
        return f"/review/quote/{rng.randrange(1, counts['quotes'] + 1)}"
    if page == "verdict":
        return f"/verdicts/{rng.randrange(1, counts['verdicts'] + 1)}"
    extra = rng.choice(({}, {}, {}, {"q": rng.choice(WORDS)}, {"rating": "Misquoted"}))
    return "/?" + urlencode({"page": rng.randrange(1, 40), **extra})


def run(port: int, cookie: str, counts: dict, clients: int, per_page: int, seconds: float) -> dict[str, list[float]]:
    """`clients` threads each requesting the four pages in turn until `per_page` requests
    per page were made in all, or `seconds` passed."""
    times = {page: [] for page in PAGES}
    lock = threading.Lock()
    issued = {page: 0 for page in PAGES}
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng, client = random.Random(n), Client(port, cookie)
        while time.monotonic() < deadline:
            with lock:
                left = [p for p in PAGES if issued[p] < per_page]
                if not left:
                    return
                page = rng.choice(left)
                issued[page] += 1
            took = client.get(path_for(page, rng, counts))
            with lock:
                times[page].append(took)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    done = sum(len(v) for v in times.values())
    print(f"\n{done} requests in {elapsed:.1f} s: {done / elapsed:.0f} requests/s")
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(title: str, times: dict[str, list[float]]) -> dict:
    print(f"\n{title}")
    print(f"{'page':<9}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}")
    summary = {}
    for page, values in times.items():
        p50, p95 = statistics.median(values), percentile(values, 95)
        summary[page] = {"requests": len(values), "p50": round(p50, 1), "p95": round(p95, 1)}
        print(f"{page:<9}{len(values):>9}{p50:>9.1f}{p95:>9.1f}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=100_000)
    parser.add_argument("--verdicts", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes")
    parser.add_argument("--requests", type=int, default=300, help="requests per page in each run")
    parser.add_argument("--seconds", type=float, default=60, help="time limit of each run")
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temporary folder)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        counts = build(url, args.quotes, args.verdicts)
        print(f"built {counts['quotes']:,} quotes and {counts['verdicts']:,} verdicts in {time.perf_counter() - started:.1f} s")
        port, processes = start_servers(url, args.workers)
        try:
            cookie = log_in(port)
            run(port, cookie, counts, args.workers * 2, 10, args.seconds)  # warm every process's caches
            baseline = report("1 client (baseline)", run(port, cookie, counts, 1, max(20, args.requests // 5),
                                                          args.seconds))
            loaded = report(f"{args.clients} concurrent clients, {args.workers} server processes",
                            run(port, cookie, counts, args.clients, args.requests, args.seconds))
        finally:
            for process in processes:
                process.terminate()
                process.join(5)
    worst = max(v["p95"] for v in loaded.values())
    print(f"\ntarget p95 <= 100 ms with {args.clients} clients: {'met' if worst <= 100 else 'NOT met'} (worst p95 {worst} ms)")
    if args.json:
        print(json.dumps({"baseline": baseline, "loaded": loaded}))


if __name__ == "__main__":
    main()
