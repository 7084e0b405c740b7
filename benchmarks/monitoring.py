"""Live monitoring end to end (issue 15): feeds on loopback, worker processes, articles a second.

    .venv/bin/python benchmarks/monitoring.py [--articles 1000] [--feeds 20] [--hosts 20]
        [--statements 100000] [--workers 1,2] [--configs sqlite,postgresql]
        [--pg postgresql://postgres@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379/12]
        [--semantic] [--host-pause S] [--threads N] [--profile [FILE]] [--stop-signal TERM|INT] [--timeout 900] [--json]

A server thread on loopback serves --feeds RSS feeds, each listing --articles / --feeds
article pages (HTML), all distinct: the project's fictional sample articles, each copy
with a first line of its own (writes_during_jobs.write_articles). The feeds are spread
over --hosts loopback addresses (127.0.1.1, 127.0.1.2, ...: one outlet a feed by
default), since a worker keeps to HOST_REQUESTS requests at a time, HOST_PAUSE seconds
apart, per host. Feeds answer a conditional GET with 304 while unchanged.

Each configuration, with 1 and 2 worker processes (--workers), on a fresh database:

* `sqlite`: an SQLite file in a temporary instance folder, the embedded queue
  (instance/jobs.db, huey's SQLite storage);
* `postgresql`: a throwaway database on --pg (dropped after), the queue on Redis at
  --redis (a database number of this benchmark's own: flushed before each run).

Setup, timed apart: --statements synthetic statements (matching_scale.py's, seed 7)
imported with `factcheck statements import` (lexical only unless --semantic), and the
feeds added as sources polled at every pass (--every 0, --allow-private).

Measured: the wall time from starting N `factcheck worker` processes (real huey
consumers; each sweeps at its start, which polls every source) until every item is
`extracted` or `failed` (the database is read every 0.2 s, within --timeout), articles a
second, each worker's peak RSS (VmHWM, read before it is stopped), failed items, and job
attempts beyond one an item (work begun twice). The workers are stopped with SIGTERM
(--stop-signal): a worker stops gracefully on it, letting a running job end, while SIGINT
cuts the job off and its source or item stays leased for LEASE_SECONDS; leases left
are counted. Then, workers stopped: `factcheck worker
--burst` must store nothing new (every feed answers 304), and after 5 entries are added
to one feed, a second `--burst` must store 5 articles.

Notes: on the embedded queue each worker reads the SQLite queue file, an idle one at
most IDLE_DELAY (1 s) apart. --host-pause overrides monitoring.HOST_PAUSE in the worker
processes (to see what the politeness pause costs); --profile runs the first worker's
jobs under cProfile and prints their top costs (kept in FILE if one is named). Every wait is bounded; the servers listen on
loopback only; workers are stopped (SIGTERM, then SIGKILL) whatever happens.
"""
from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import html
import json
import os
import pstats
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching_scale import bench_database, write_statements  # noqa: E402
from writes_during_jobs import write_articles  # noqa: E402

from tests.loopback import http_server, serving  # noqa: E402

FACTCHECK = Path(sys.executable).with_name("factcheck")
PG = "postgresql://postgres@127.0.0.1:5432/test"
REDIS = "redis://127.0.0.1:6379/12"
NEW_ENTRIES = 5
READ_EVERY = 0.2  # seconds between two looks at the items' states
STOP_WAIT = 30  # seconds a worker has to stop after SIGTERM


# -- The loopback site -----------------------------------------------------------------------


def article_html(text: str) -> bytes:
    """A sample article copy (its own first line, then the sample's title line, byline and
    paragraphs) as a plain news page; the first line stays in the text, which makes it distinct."""
    edition, title, byline, *paragraphs = [line for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in [edition, *paragraphs])
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><article><h1>{html.escape(title)}</h1><p class='byline'>{html.escape(byline)}</p>\n"
            f"{body}</article></body></html>").encode()


class Site:
    """Feeds and article pages, on `hosts` loopback addresses; feed k lives on host k % hosts."""

    def __init__(self, folder: Path, articles: int, feeds: int, hosts: int):
        self.folder, self.feeds, self.hosts = folder, feeds, hosts
        folder.mkdir()
        self.pages: dict[str, bytes] = {}
        self.entries: list[list[int]] = [[] for _ in range(feeds)]  # newest first
        self.lock = threading.Lock()
        self.servers = [make_server(self, f"127.0.1.{h + 1}") for h in range(hosts)]
        self.bases: list[str] = []
        self.count = 0
        self.add(articles)

    def add(self, count: int, feed: int | None = None) -> None:
        """`count` new articles, spread over the feeds in turn (or all in `feed`)."""
        batch = self.folder / f"batch-{self.count}"
        write_articles(batch, self.count + count)  # the first self.count are the ones we have
        files = sorted(batch.iterdir())[self.count:]
        with self.lock:
            for path in files:
                index = self.count
                target = feed if feed is not None else index % self.feeds
                self.pages[f"/a/{index}"] = article_html(path.read_text(encoding="utf-8"))
                self.entries[target].insert(0, index)
                self.count += 1
        shutil.rmtree(batch)

    def feed_url(self, feed: int) -> str:
        return f"{self.bases[feed % self.hosts]}/feed/{feed}.xml"

    def feed_body(self, feed: int) -> tuple[bytes, str]:
        """The feed's RSS and its ETag (which changes when an entry is added)."""
        base = self.bases[feed % self.hosts]
        with self.lock:
            entries = list(self.entries[feed])
        items = "".join(f"<item><title>Sample edition {i}</title><link>{base}/a/{i}</link>"
                        f"<guid>{base}/a/{i}</guid></item>" for i in entries)
        rss = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
               f"<title>Sample feed {feed} (fictional)</title><link>{base}/</link>"
               f"<description>benchmark sample</description>{items}</channel></rss>")
        return rss.encode(), f'"feed{feed}-{len(entries)}"'


def make_server(site: Site, address: str) -> ThreadingHTTPServer:
    """A server of the site's feeds and pages on `address`."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's name)
            feed = re.fullmatch(r"/feed/(\d+)\.xml", self.path)
            if feed and int(feed.group(1)) < site.feeds:
                body, etag = site.feed_body(int(feed.group(1)))
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.reply(body, "application/rss+xml", {"ETag": etag})
            elif self.path in site.pages:
                self.reply(site.pages[self.path], "text/html; charset=utf-8", {})
            else:
                self.send_error(404)

        def reply(self, body: bytes, content_type: str, headers: dict):
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return http_server(Handler, address)


# -- Workers ---------------------------------------------------------------------------------


def run_worker_child(host_pause: float | None, threads: int | None, profile: str | None) -> None:
    """Body of a worker process: `factcheck worker`, with HOST_PAUSE overridden and its jobs
    profiled when asked. The jobs run in the consumer's worker thread, so the profiler is
    turned on around each job (`Huey.execute`); the stats are written when SIGTERM stops
    the consumer."""
    from huey.api import Huey

    from factcheck.cli import main
    from factcheck.services import monitoring

    if host_pause is not None:
        monitoring.HOST_PAUSE = host_pause
    if profile:
        profiler, execute = cProfile.Profile(), Huey.execute

        def profiled_execute(self, *args, **kwargs):
            profiler.enable()
            try:
                return execute(self, *args, **kwargs)
            finally:
                profiler.disable()

        Huey.execute = profiled_execute
    try:
        main(["worker"] + (["--threads", str(threads)] if threads else []), standalone_mode=False)
    finally:
        if profile:
            profiler.dump_stats(profile)


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) / 1024


def stop(workers: list[subprocess.Popen], how: signal.Signals = signal.SIGTERM) -> None:
    """Stop the workers with `how` (SIGTERM: a worker's graceful stop, the running job ends
    first; SIGINT: the hard stop), then SIGKILL if one takes over STOP_WAIT seconds."""
    for proc in workers:
        if proc.poll() is None:
            proc.send_signal(how)
    for proc in workers:
        try:
            proc.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_WAIT)


# -- One run ---------------------------------------------------------------------------------


@dataclass
class Run:
    config: str
    workers: int
    articles: int
    import_s: float = 0.0
    seconds: float = 0.0
    per_second: float = 0.0
    extracted: int = 0
    failed: int = 0
    extra_attempts: int = 0  # claims beyond one an item: work begun twice
    stored: int = 0  # articles in the database after the run
    rss_mb: list[float] = field(default_factory=list)
    timed_out: bool = False
    rerun: str = ""  # `worker --burst` right after
    rerun_new: int = 0  # articles it stored
    new_entries: str = ""  # `worker --burst` after 5 entries were added
    new_entries_stored: int = 0
    failures: list[str] = field(default_factory=list)  # a few failed items' reasons
    leased_sources: int = 0  # sources whose poll lease outlives the stopped workers (a poll cut off)
    leased_items: int = 0  # items likewise
    worker_warnings: int = 0  # lines of the workers' logs at WARNING or worse
    first_warning: str = ""


def counts(engine) -> tuple[int, int, int, int]:
    """(extracted, failed, extra attempts, stored articles)."""
    from sqlalchemy import func
    from sqlmodel import select

    from factcheck.store.db import reading
    from factcheck.store.models import Article, IncomingItem

    with reading(engine) as session:
        states = dict(session.exec(select(IncomingItem.state, func.count()).group_by(IncomingItem.state)).all())
        attempts = session.exec(select(func.coalesce(func.sum(IncomingItem.attempts), 0))).one()
        items = session.exec(select(func.count()).select_from(IncomingItem)).one()
        stored = session.exec(select(func.count()).select_from(Article)).one()
    extracted, failed = states.get("extracted", 0), states.get("failed", 0)
    return extracted, failed, max(0, int(attempts) - items), stored


def leased(engine) -> tuple[int, int]:
    """(sources, items) held by a lease: right after the workers stop, the jobs SIGTERM cut off,
    which wait LEASE_SECONDS before a worker takes them again."""
    from sqlalchemy import func
    from sqlmodel import select

    from factcheck.store.db import reading
    from factcheck.store.models import FeedSource, IncomingItem, utcnow

    soon = utcnow() + dt.timedelta(seconds=60)  # every=0: a finished poll leaves next_poll_at = now
    with reading(engine) as session:
        sources = session.exec(select(func.count()).select_from(FeedSource).where(FeedSource.next_poll_at > soon)).one()
        items = session.exec(select(func.count()).select_from(IncomingItem)
                             .where(IncomingItem.lease_owner.is_not(None))).one()
    return sources, items


def burst(env: dict) -> str:
    out = subprocess.run([str(FACTCHECK), "worker", "--burst"], env=env, check=True, capture_output=True,
                         text=True, timeout=600).stdout
    return out.strip().splitlines()[-1]


def measure(config: str, workers: int, site: Site, statements: Path, args, tmp: Path) -> Run:
    from sqlmodel import select

    from factcheck.services.monitoring import add_source
    from factcheck.store.db import forget_engines, get_engine, reading, session_scope
    from factcheck.store.models import IncomingItem

    folder = tmp / f"{config}-{workers}"
    folder.mkdir()
    url, drop = bench_database(folder, args.pg if config == "postgresql" else None)
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "FACTCHECK_INSTANCE": str(folder / "instance")}
    env.pop("FACTCHECK_REDIS_URL", None)
    if not args.semantic:
        env["FACTCHECK_SEMANTIC"] = "0"
    if config == "postgresql":
        import redis

        redis.Redis.from_url(args.redis).flushdb()
        env["FACTCHECK_REDIS_URL"] = args.redis
    total = site.count
    run = Run(config, workers, total)
    procs: list[subprocess.Popen] = []
    try:
        started = time.perf_counter()
        subprocess.run([str(FACTCHECK), "statements", "import", str(statements)], env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=3600)
        run.import_s = time.perf_counter() - started
        engine = get_engine(url)
        with session_scope(engine) as session:
            for feed in range(site.feeds):
                add_source(session, site.feed_url(feed), every=0, allow_private=True)

        child = [sys.executable, str(Path(__file__).resolve()), "--worker-child"]
        if args.host_pause is not None:
            child += ["--host-pause", str(args.host_pause)]
        if args.threads:
            child += ["--threads", str(args.threads)]
        log = open(folder / "workers.log", "w")
        started = time.perf_counter()
        for index in range(workers):
            profile = ["--profile-to", str(args.profile_out)] if args.profile is not None and index == 0 else []
            procs.append(subprocess.Popen(child + profile, env=env, stdout=log, stderr=log, start_new_session=True))
        deadline = started + args.timeout
        while True:
            run.extracted, run.failed, run.extra_attempts, run.stored = counts(engine)
            done = run.extracted + run.failed >= total
            if done or time.perf_counter() > deadline or any(p.poll() is not None for p in procs):
                break
            time.sleep(READ_EVERY)
        run.seconds = time.perf_counter() - started
        run.timed_out = not done
        run.per_second = (run.extracted + run.failed) / run.seconds
        run.rss_mb = [peak_rss_mb(p.pid) for p in procs if p.poll() is None]
        stop(procs, signal.Signals[f"SIG{args.stop_signal}"])
        log.close()
        problems = [line for line in (folder / "workers.log").read_text().splitlines()
                    if re.search(r"WARNING|ERROR|CRITICAL|Traceback", line)]
        run.worker_warnings, run.first_warning = len(problems), (problems[0] if problems else "")
        run.leased_sources, run.leased_items = leased(engine)
        with reading(engine) as session:
            run.failures = list(session.exec(select(IncomingItem.reason).where(IncomingItem.state == "failed")
                                             .limit(3)))

        before = run.stored
        run.rerun = burst(env)
        run.rerun_new = counts(engine)[3] - before
        site.add(NEW_ENTRIES, feed=0)
        before = counts(engine)[3]
        run.new_entries = burst(env)
        run.new_entries_stored = counts(engine)[3] - before
    finally:
        stop(procs)
        forget_engines()
        drop()
    return run


# -- The report ------------------------------------------------------------------------------


def print_table(runs: list[Run], args) -> None:
    print(f"{args.articles:,} articles in {args.feeds} feeds on {args.hosts} loopback host(s), "
          f"{args.statements:,} statements ({'semantic' if args.semantic else 'lexical'}), "
          f"HOST_PAUSE {'as in the code' if args.host_pause is None else args.host_pause}")
    print(f"{'config':<28} {'workers':>7} {'import s':>8} {'run s':>7} {'art/s':>6} {'failed':>6} "
          f"{'2nd try':>7} {'RSS MB/worker':>14}  rerun | +{NEW_ENTRIES} entries")
    for r in runs:
        name = "sqlite + embedded queue" if r.config == "sqlite" else "postgresql + redis"
        rss = "/".join(f"{mb:.0f}" for mb in r.rss_mb) or "-"
        late = " (TIMED OUT)" if r.timed_out else ""
        print(f"{name:<28} {r.workers:>7} {r.import_s:>8.1f} {r.seconds:>7.1f} {r.per_second:>6.1f} "
              f"{r.failed:>6} {r.extra_attempts:>7} {rss:>14}  {r.rerun_new} new | "
              f"{r.new_entries_stored} new{late}")
    for r in runs:
        ok = r.rerun_new == 0 and r.new_entries_stored == NEW_ENTRIES and not r.timed_out
        print(f"{r.config}/{r.workers}: {'ok' if ok else 'CHECK FAILED'}; rerun burst: {r.rerun}; "
              f"after +{NEW_ENTRIES}: {r.new_entries}")
        for reason in r.failures:
            print(f"    failed item: {reason}")
        if r.leased_sources or r.leased_items:
            print(f"    left leased by the stopped workers: {r.leased_sources} sources, {r.leased_items} items")
        if r.worker_warnings:
            print(f"    {r.worker_warnings} warning lines in the workers' logs, the first: {r.first_warning}")


def print_profile(path: Path, top: int = 25) -> None:
    if not path.exists():
        print("(no profile written)")
        return
    print(f"\nProfile of worker 1's jobs (last run; cumulative time, top {top}):")
    pstats.Stats(str(path)).strip_dirs().sort_stats("cumulative").print_stats(top)
    print(f"Profile of worker 1's jobs (own time, top {top}):")
    pstats.Stats(str(path)).strip_dirs().sort_stats("tottime").print_stats(top)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--feeds", type=int, default=20)
    ap.add_argument("--hosts", type=int, default=None, help="loopback hosts the feeds are spread over [one a feed]")
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--configs", default="sqlite,postgresql")
    ap.add_argument("--pg", default=PG, help="the PostgreSQL server to make throwaway databases on")
    ap.add_argument("--redis", default=REDIS, help="a Redis database of this benchmark's own (flushed)")
    ap.add_argument("--semantic", action="store_true", help="embed statements and match semantically too")
    ap.add_argument("--host-pause", type=float, help="HOST_PAUSE in the workers [the code's]")
    ap.add_argument("--threads", type=int, help="each worker's --threads [its default]")
    ap.add_argument("--profile", nargs="?", const="", metavar="FILE",
                    help="profile the first worker of each run (and keep the last run's profile in FILE)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds a run may take at most")
    ap.add_argument("--stop-signal", choices=("INT", "TERM"), default="TERM",
                    help="how the workers are stopped: TERM lets a running job end, INT cuts it off")
    ap.add_argument("--json", action="store_true", help="print the runs as JSON too")
    ap.add_argument("--worker-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--profile-to", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker_child:
        run_worker_child(args.host_pause, args.threads, args.profile_to)
        return 0
    args.hosts = args.hosts or args.feeds
    if not args.semantic:
        os.environ["FACTCHECK_SEMANTIC"] = "0"

    tmp = Path(tempfile.mkdtemp(prefix="monitoring-bench-"))
    args.profile_out = Path(args.profile) if args.profile else tmp / "worker.prof"
    runs: list[Run] = []
    try:
        statements = tmp / "statements.jsonl"
        write_statements(statements, args.statements, seed=7)
        for config in args.configs.split(","):
            for workers in (int(n) for n in args.workers.split(",")):
                site = Site(tmp / f"site-{config}-{workers}", args.articles, args.feeds, args.hosts)
                with ExitStack() as serving_all:
                    site.bases = [serving_all.enter_context(serving(server)) for server in site.servers]
                    runs.append(measure(config, workers, site, statements, args, tmp))
                print(f"[{config}, {workers} worker(s)] {runs[-1].seconds:.1f} s, "
                      f"{runs[-1].per_second:.1f} articles/s", file=sys.stderr, flush=True)
        print_table(runs, args)
        if args.profile is not None:
            print_profile(args.profile_out)
        if args.json:
            print(json.dumps([asdict(r) for r in runs], indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ok = all(r.rerun_new == 0 and r.new_entries_stored == NEW_ENTRIES and not r.timed_out for r in runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
