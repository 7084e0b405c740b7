"""Web writes while a long job runs: how long a verdict save waits, and whether it fails.

    .venv/bin/python benchmarks/writes_during_jobs.py --job import [--statements 300000]
    .venv/bin/python benchmarks/writes_during_jobs.py --job ingest [--articles 1000] [--library 100000]
        [--backend sqlite|postgresql] [--pg postgresql://postgres@127.0.0.1:5432/test]
        [--interval 0.25] [--limit 1800]

On a fresh database (an SQLite file, or a throwaway PostgreSQL database), the project's
fictional sample articles are ingested and a fact-checker's account made. Then a job
runs as its own `factcheck` process, as a newsroom would run it beside the web app:

* `import`: `factcheck statements import` of --statements synthetic statements (the
  seeded generator of `matching_scale.py`), lexical only unless --semantic;
* `ingest`: `factcheck ingest` of --articles fictional articles (the samples, each copy
  with its own first line), after --library synthetic statements are imported.

While it runs, this process saves a verdict on a sample quote through the web app
(a test client of `create_app`, CSRF on: each save reads the review page, then posts
the form) every --interval seconds, and times each post. The baseline is the same
saves with no job running, measured first in the same run. Prints, for both, the
number of saves, those that failed (status 500 or 503), and the median, p95 and
slowest save in milliseconds; and the job's own time. The job is stopped after
--limit seconds.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matching_scale import bench_database, write_statements  # noqa: E402

SAMPLES = ROOT / "factcheck" / "samples" / "articles"
FACTCHECK = Path(sys.executable).with_name("factcheck")
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
PASSWORD = "a long benchmark password"


def write_articles(folder: Path, count: int) -> None:
    """`count` article files: the samples in turn, each with a first line of its own."""
    samples = sorted(p for p in SAMPLES.iterdir() if p.suffix == ".txt")
    folder.mkdir()
    for i in range(count):
        sample = samples[i % len(samples)]
        text = sample.read_text(encoding="utf-8")
        (folder / f"{i:05d}-{sample.name}").write_text(f"Sample edition {i}.\n\n{text}", encoding="utf-8")


def prepare(url: str) -> int:
    """Ingest the samples and make the checker's account; the id of a quote to save verdicts on."""
    from sqlmodel import select

    from factcheck.services.articles import ingest_sources
    from factcheck.services.users import create_user
    from factcheck.store.db import get_engine, session_scope
    from factcheck.store.models import Quote

    engine = get_engine(url)
    ingest_sources(engine, [str(SAMPLES)])
    with session_scope(engine) as session:
        create_user(session, "checker", PASSWORD, "checker")
        return session.exec(select(Quote.id).order_by(Quote.id)).first()


class Writer:
    """A logged-in fact-checker saving a verdict on one quote, again and again."""

    def __init__(self, url: str, quote_id: int):
        from factcheck.web.app import create_app

        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "benchmark", "SECURE_COOKIES": False})
        self.client = app.test_client()
        self.page = f"/review/quote/{quote_id}"
        self.post("/login", {"username": "checker", "password": PASSWORD})
        self.times: list[float] = []
        self.failed = 0

    def post(self, url: str, data: dict):
        form = dict(HIDDEN.findall(self.client.get(url).text))
        return self.client.post(url, data={**form, **data})

    def save(self) -> None:
        started = time.perf_counter()
        response = self.post(self.page, {"rating": "Accurate", "explanation": "Checked against the sample transcript.",
                                         "status": "draft", "note": ""})
        self.times.append(time.perf_counter() - started)
        self.failed += response.status_code >= 500

    def summary(self) -> str:
        ms = sorted(t * 1000 for t in self.times)
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
        return (f"{len(ms)} saves, {self.failed} failed; median {statistics.median(ms):.0f} ms, "
                f"p95 {p95:.0f} ms, slowest {ms[-1]:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--job", choices=("import", "ingest"), required=True)
    parser.add_argument("--statements", type=int, default=300_000, help="statements the import job imports")
    parser.add_argument("--articles", type=int, default=1000, help="articles the ingest job ingests")
    parser.add_argument("--library", type=int, default=100_000, help="statements imported before the ingest job")
    parser.add_argument("--semantic", action="store_true", help="embed imported statements (slow: ~100 a second)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between two saves")
    parser.add_argument("--baseline", type=int, default=20, help="saves with no job running, first")
    parser.add_argument("--limit", type=float, default=1800, help="seconds after which the job is stopped")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="writes-during-jobs"))
    url, drop = bench_database(tmp, args.pg if args.backend == "postgresql" else None)
    env = {**os.environ, "FACTCHECK_DATABASE_URL": url, "FACTCHECK_INSTANCE": str(tmp / "instance")}
    if not args.semantic:
        env["FACTCHECK_SEMANTIC"] = "0"
    try:
        os.environ.update({k: env[k] for k in ("FACTCHECK_INSTANCE", *(("FACTCHECK_SEMANTIC",) if not args.semantic else ()))})
        quote_id = prepare(url)
        if args.job == "import":
            data = tmp / "statements.jsonl"
            write_statements(data, args.statements, seed=7)
            command = [str(FACTCHECK), "statements", "import", str(data)]
            what = f"import of {args.statements:,} statements"
        else:
            if args.library:
                data = tmp / "library.jsonl"
                write_statements(data, args.library, seed=7)
                subprocess.run([str(FACTCHECK), "statements", "import", str(data)], env=env, check=True,
                               stdout=subprocess.DEVNULL)
            write_articles(tmp / "articles", args.articles)
            command = [str(FACTCHECK), "ingest", str(tmp / "articles")]
            what = f"ingest of {args.articles:,} articles ({args.library:,} statements loaded)"

        idle = Writer(url, quote_id)
        for _ in range(args.baseline):
            idle.save()
            time.sleep(args.interval)
        busy = Writer(url, quote_id)
        started = time.perf_counter()
        job = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while job.poll() is None and time.perf_counter() - started < args.limit:
            busy.save()
            time.sleep(args.interval)
        if job.poll() is None:
            job.kill()
            print(f"the job was stopped after {args.limit:.0f} s")
        seconds = time.perf_counter() - started
        errors = job.stderr.read().strip()
        print(f"backend {args.backend}; job: {what}, {seconds:.1f} s, exit {job.returncode}")
        if job.returncode:
            print(f"job's last words: {errors.splitlines()[-1] if errors else '(none)'}")
        print(f"verdict saves, no job (baseline): {idle.summary()}")
        print(f"verdict saves, during the job:    {busy.summary()}")
        return 0 if job.returncode == 0 and busy.failed == 0 else 1
    finally:
        drop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
