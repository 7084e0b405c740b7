"""Ingest cost per article: fetch (a local file), extract, match and store, against a large library.

    .venv/bin/python benchmarks/ingest_speed.py [--statements 100000] [--articles 50]
                                                [--backends sqlite,postgresql] [--baseline REF]

Imports `--statements` synthetic statements (benchmarks/matching_scale.py's, seed 7) and the
fictional sample statements (the sources of the sample articles' quotes), then ingests
copies of the project's fictional sample articles (benchmarks/writes_during_jobs.py's)
with `ingest_sources`, lexical matching only (FACTCHECK_SEMANTIC=0) unless --semantic. A
first batch of 10 articles warms the caches (word lists, term statistics); the next
`--articles` are timed. It prints, per database, the milliseconds per article by the wall
clock and the CPU time of this process per article (`time.process_time`; PostgreSQL's own
work is in the wall clock only), and whether every run stored the same quotes, claims and
matches (a digest of them: a faster ingest must not change what it finds; --dump writes
the rows out). On PostgreSQL the digests agree only when ANALYZE reads every statement
(30,000 or fewer at the default statistics target): beyond, each new database samples
others, and the term statistics it estimates move the claims' scores a little. Issue 15's goal, 40 articles a second with 2 workers on 2 cores, leaves
about 50 ms an article.

Each measure runs in a child process, on a database of its own (an SQLite file, or a new
PostgreSQL database on --pg that is dropped after). --baseline REF measures the code of a
git ref (a branch, a commit) the same way, in a temporary worktree, and prints its figures
beside the current code's.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgresql://postgres@127.0.0.1:5432/test"
WARM_UP = 10


def measure_here(backend: str, statements: int, articles: int, server: str, semantic: bool,
                 dump: str | None = None) -> dict:
    """Time the ingest of `articles` articles with the code of this process's tree."""
    os.environ["FACTCHECK_SEMANTIC"] = "1" if semantic else "0"
    # factcheck first, from the measured tree (PYTHONPATH): the benchmark helpers put
    # this script's tree first on the import path.
    import factcheck
    from factcheck.services.articles import ingest_sources
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from matching_scale import bench_database, write_statements
    from writes_during_jobs import write_articles

    with tempfile.TemporaryDirectory(prefix="ingest-speed-") as tmp:
        folder = Path(tmp)
        url, drop = bench_database(folder, server if backend == "postgresql" else None)
        try:
            engine = get_engine(url)
            write_statements(folder / "statements.jsonl", statements, seed=7)
            import_statements(engine, str(folder / "statements.jsonl"))
            import_statements(engine, str(ROOT / "factcheck" / "samples" / "statements.jsonl"))
            write_articles(folder / "articles", WARM_UP + articles)
            files = sorted(str(p) for p in (folder / "articles").iterdir())
            ingest_sources(engine, files[:WARM_UP])
            wall, cpu = time.perf_counter(), time.process_time()
            ingest_sources(engine, files[WARM_UP:])
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            stored = stored_digest(engine, dump)
        finally:
            drop()
    return {"wall_ms": 1000 * wall / articles, "cpu_ms": 1000 * cpu / articles, "stored": stored,
            "code": str(Path(factcheck.__file__).resolve().parents[1])}


def stored_digest(engine, dump: str | None = None) -> str:
    """A digest of every stored quote, claim and match, by what they say, not by their ids
    (rows may be written in another order); written out to the file `dump` too, if given."""
    from sqlalchemy import text as sql

    queries = [
        "SELECT a.content_hash, q.start, q.\"end\", q.text, q.speaker_name, p.name, q.label, q.flag_count,"
        " q.flag_misattributed, q.flag_earlier FROM quote q JOIN article a ON a.id = q.article_id"
        " LEFT JOIN person p ON p.id = q.person_id",
        "SELECT a.content_hash, c.start, c.\"end\", c.text, c.speaker_name, p.name, c.label, c.checkworthy,"
        " c.score FROM claim c JOIN article a ON a.id = c.article_id LEFT JOIN person p ON p.id = c.person_id",
        "SELECT a.content_hash, coalesce(q.start, c.start), coalesce(q.\"end\", c.\"end\"), q.id IS NULL,"
        " m.statement_id, m.statement_ids, m.rank, m.score, m.label, m.flags, m.diff, m.reasons"
        " FROM match m LEFT JOIN quote q ON q.id = m.quote_id LEFT JOIN claim c ON c.id = m.claim_id"
        " JOIN article a ON a.id = coalesce(q.article_id, c.article_id)",
    ]
    with engine.connect() as conn:
        text = "\n".join(line for query in queries for line in sorted(
            json.dumps([_plain(v) for v in row], default=str) for row in conn.execute(sql(query))))
    if dump:
        Path(dump).write_text(text, encoding="utf-8")
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _plain(value):
    """A column's value as both databases give it (JSON lists come as text from SQLite)."""
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return round(value, 9) if isinstance(value, float) else value


def measure(tree: Path, backend: str, args, name: str) -> dict:
    """Run one measure in a child process with `tree`'s code on its import path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    # This script, not the tree's copy: the baseline's tree may predate it.
    child = [sys.executable, str(Path(__file__).resolve()), "--child", backend,
             "--statements", str(args.statements), "--articles", str(args.articles), "--pg", args.pg,
             *(["--semantic"] if args.semantic else []),
             *(["--dump", str(Path(args.dump).resolve() / f"{name}-{backend}.jsonl")] if args.dump else [])]
    out = subprocess.run(child, env=env, cwd=tree, check=True, capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    if Path(figures["code"]) != tree.resolve():
        raise SystemExit(f"measured the code of {figures['code']}, not of {tree}")
    return figures


def measure_all(tree: Path, args, name: str) -> dict:
    return {backend: measure(tree, backend, args, name) for backend in args.backends.split(",")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--statements", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=50)
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg", default=PG, help="the PostgreSQL server to make throwaway databases on")
    ap.add_argument("--baseline", help="a git ref whose code to measure beside the current code")
    ap.add_argument("--semantic", action="store_true", help="match claims by sentence embeddings too (the default setting)")
    ap.add_argument("--dump", help="a folder to write each run's stored rows to (to see how they differ)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure_here(args.child, args.statements, args.articles, args.pg, args.semantic, args.dump)))
        return
    runs = {"current": measure_all(ROOT, args, "current")}
    if args.baseline:
        from git_checkout import checked_out  # (the parent's import: a child runs without this folder on its path)

        with checked_out(args.baseline) as tree:
            runs[f"baseline {args.baseline}"] = measure_all(tree, args, "baseline")

    print(f"ingest_sources, {args.articles} articles after {WARM_UP} to warm up, {args.statements:,} statements,"
          f" {'semantic' if args.semantic else 'lexical'} matching; ms per article")
    print(f"{'database':12s}" + "".join(f" | {name:^19.19s}" for name in runs))
    print(f"{'':12s}" + f" | {'wall':>9s} {'CPU':>9s}" * len(runs))
    for backend in args.backends.split(","):
        print(f"{backend:12s}" + "".join(f" | {run[backend]['wall_ms']:9.1f} {run[backend]['cpu_ms']:9.1f}"
                                          for run in runs.values()))
    for backend in args.backends.split(","):
        digests = {run[backend]["stored"] for run in runs.values()}
        print(f"{backend}: stored quotes, claims and matches "
              + ("the same in every run" if len(digests) == 1 else "DIFFER: " + ", ".join(sorted(digests))))


if __name__ == "__main__":
    main()
