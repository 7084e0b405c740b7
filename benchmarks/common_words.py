"""Quote matching in a library of common words only: the cost of one candidate search.

    .venv/bin/python benchmarks/common_words.py [--size 300000] [--queries 100]
        [--words 40] [--backends sqlite,postgresql] [--pg postgresql://postgres@127.0.0.1:5432/test]
        [--unbounded 30]

The worst case for the candidate search: every statement is written from the same few
dozen common words (seeded; `--words` of them, drawn uniformly), so every word of a quote
is held by most of the library and no rare word narrows the search. The statements are
imported through services.statements.import_statements into a fresh database (an
SQLite file, or a throwaway PostgreSQL database dropped afterwards); then quotes
(fragments of 6-16 words of random statements, half with one word changed) are matched
with services.matching.match_text, and the candidate search alone
(store.search.candidate_ids) is timed apart. Prints p50/p95/max per quote and database,
and the share of quotes whose best match is the statement they were cut from (in such a
library many statements hold the same fragment, so this says little about recall).
With `--unbounded N`, the first N quotes' candidate searches are timed again in the same
run with every hit ranked (the backend's RANKED_HITS off): the cost before the bound.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FACTCHECK_SEMANTIC", "0")  # quote matching is lexical

from matching_scale import bench_database  # noqa: E402  (benchmarks/ is on the path when run)

# Common English words, function and content alike: a newsroom's most frequent.
COMMON = (
    "the of and to a in is that it for on was with as be by at this are from people "
    "government year said we will tax health money country state new time jobs more "
    "percent million president public work school care police city plan vote law"
).split()


def write_statements(path: Path, n: int, vocabulary: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            words = [rng.choice(vocabulary) for _ in range(rng.randint(10, 40))]
            text = " ".join(words).capitalize() + "."
            texts.append(text)
            f.write(json.dumps({"id": f"common-{i}", "text": text, "speaker": "Sample Speaker",
                                "date": "2024-01-01"}) + "\n")
    return texts


def make_quotes(texts: list[str], vocabulary: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    """`count` fragments, every other one with a word changed, and their sources."""
    rng = random.Random(seed + 1)
    quotes = []
    while len(quotes) < count:
        source = rng.choice(texts)
        words = source.rstrip(".").split()
        length = rng.randint(6, min(16, len(words)))
        start = rng.randrange(len(words) - length + 1)
        fragment = words[start : start + length]
        if len(quotes) % 2:
            i = rng.randrange(1, len(fragment) - 1)
            fragment[i] = rng.choice([w for w in vocabulary if w != fragment[i].casefold()])
        quotes.append((" ".join(fragment), source))
    return quotes


def percentiles(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "max_ms": round(ms[-1], 1)}


def run(backend: str, data: Path, texts: list[str], quotes: list[tuple[str, str]], args) -> dict:
    from factcheck.services.matching import match_text
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine, session_scope
    from factcheck.store.search import candidate_ids

    url, drop = bench_database(data.parent, args.pg if backend == "postgresql" else None)
    try:
        engine = get_engine(url)
        t0 = time.time()
        import_statements(engine, str(data))
        print(f"[{backend}] imported {len(texts):,} statements in {time.time() - t0:.1f} s", flush=True)
        match_ms, search_ms, source_first = [], [], 0
        with session_scope(engine) as session:
            for quote, _ in quotes[:4]:  # warm the caches
                match_text(session, quote)
            for quote, source in quotes:
                t = time.perf_counter()
                candidate_ids(session, quote)
                search_ms.append(1000 * (time.perf_counter() - t))
                t = time.perf_counter()
                result = match_text(session, quote)
                match_ms.append(1000 * (time.perf_counter() - t))
                source_first += bool(result.matches) and result.matches[0].statement.text == source
        out = {"backend": backend, "size": len(texts), "words": args.words, "queries": len(quotes)}
        out.update({f"match_{k}": v for k, v in percentiles(match_ms).items()})
        out.update({f"search_{k}": v for k, v in percentiles(search_ms).items()})
        out["source_first"] = round(source_first / len(quotes), 3)
        if args.unbounded:
            out.update({f"unbounded_search_{k}": v for k, v in time_unbounded(engine, quotes[: args.unbounded]).items()})
        print(json.dumps(out), flush=True)
        return out
    finally:
        drop()


def time_unbounded(engine, quotes: list[tuple[str, str]]) -> dict:
    """The candidate searches' times with every hit ranked (the baseline)."""
    from factcheck.store.backends import backend_for
    from factcheck.store.db import session_scope
    from factcheck.store.search import candidate_ids

    backend = backend_for(engine)
    bound, backend.RANKED_HITS = backend.RANKED_HITS, None
    try:
        search_ms = []
        with session_scope(engine) as session:
            for quote, _ in quotes:
                t = time.perf_counter()
                candidate_ids(session, quote)
                search_ms.append(1000 * (time.perf_counter() - t))
        return percentiles(search_ms)
    finally:
        backend.RANKED_HITS = bound


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=300_000)
    ap.add_argument("--queries", type=int, default=100, help="quotes matched per database")
    ap.add_argument("--words", type=int, default=40, help=f"vocabulary size (at most {len(COMMON)})")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--unbounded", type=int, default=0, help="also time this many searches ranking every hit")
    args = ap.parse_args()
    vocabulary = COMMON[: args.words]
    tmp = Path(tempfile.mkdtemp(prefix="commonwords"))
    try:
        data = tmp / "statements.jsonl"
        texts = write_statements(data, args.size, vocabulary, args.seed)
        quotes = make_quotes(texts, vocabulary, args.queries, args.seed)
        rows = [run(backend, data, texts, quotes, args) for backend in args.backends.split(",")]
    finally:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()
    print(f"{'database':>10} {'match p50':>10} {'match p95':>10} {'match max':>10} {'search p50':>11} "
          f"{'search p95':>11} {'unbounded p50':>14} {'unbounded p95':>14}")
    for r in rows:
        print(f"{r['backend']:>10} {r['match_p50_ms']:>10} {r['match_p95_ms']:>10} {r['match_max_ms']:>10} "
              f"{r['search_p50_ms']:>11} {r['search_p95_ms']:>11} {r.get('unbounded_search_p50_ms', '-'):>14} "
              f"{r.get('unbounded_search_p95_ms', '-'):>14}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
