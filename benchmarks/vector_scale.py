"""Nearest statements in meaning at a million vectors: memory, build time, latency, recall.

    .venv/bin/python benchmarks/vector_scale.py [--size 1000000] [--queries 200] [--db FILE]

Stores --size 384-dimension unit vectors in a fresh SQLite database's statement_vector
table, as import stores the bundled encoder's (one float32 row per statement), and then
searches them through services.embeddings.EmbeddingIndex.nearest, as `match --mode claim`
does: the first search reads the vectors and builds the index (pipeline.vector_index,
faiss's inverted file with 8-bit vectors above EXACT_MAX), the next --queries are timed.
The same run repeats this in a second process with the exact index forced (EXACT_MAX set
above --size: the float32 matrix and one dot product a search, what every search used
before) as the baseline, and prints both: build seconds, median and p95 ms a search, the
process's peak RSS, and recall, the share of the exact top 50 that the search returns.

The vectors are synthetic, since encoding a million sentences with this machine's numpy
would take days: unit vectors grouped as sentence embeddings are (2,000 subjects, 20
topics each, sentences scattered around their topic), and queries drawn the same way, so
that each has near neighbours to find. Their values do not change the work a search does;
recall on real embeddings may differ, and is checked on CheckThat! by the floors.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DIMENSIONS = 384
MODEL = "synthetic"


def grouped_vectors(rng, n, topics):
    import numpy as np

    topic = rng.integers(0, len(topics), n)
    rows = topics[topic] + 0.9 * rng.standard_normal((n, DIMENSIONS)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def topics_of(rng):
    import numpy as np

    subjects = rng.standard_normal((2_000, DIMENSIONS)).astype(np.float32)
    return subjects.repeat(20, axis=0) + 0.7 * rng.standard_normal((40_000, DIMENSIONS)).astype(np.float32)


def write_database(path: Path, size: int, seed: int) -> None:
    """A database at the current schema whose statement_vector holds `size` synthetic rows
    (the statements themselves are left out: the search reads only the vectors)."""
    import numpy as np

    from factcheck.store.db import make_engine, upgrade

    upgrade(make_engine(f"sqlite:///{path}"))
    rng = np.random.default_rng(seed)
    topics = topics_of(rng)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        for start in range(0, size, 50_000):
            rows = grouped_vectors(rng, min(50_000, size - start), topics)
            db.executemany(
                "INSERT INTO statementvector (statement_id, model, text_hash, vector) VALUES (?, ?, '', ?)",
                ((start + i + 1, MODEL, row.tobytes()) for i, row in enumerate(rows)),
            )


def measure(path: Path, queries: int, seed: int, exact: bool) -> dict:
    """One process's figures: build, latency, peak RSS and recall against the exact top 50."""
    import numpy as np
    from sqlmodel import Session

    from factcheck.pipeline import vector_index
    from factcheck.services.embeddings import EmbeddingIndex
    from factcheck.store.db import make_engine

    if exact:
        vector_index.EXACT_MAX = 1 << 62
    rng = np.random.default_rng(seed + 1)
    asked = grouped_vectors(rng, queries + 1, topics_of(np.random.default_rng(seed)))
    index = EmbeddingIndex(lambda: None)
    with Session(make_engine(f"sqlite:///{path}")) as session:
        t = time.perf_counter()
        index.nearest(session, MODEL, asked[0], 50)
        build = time.perf_counter() - t
        found, times = [], []
        for query in asked[1:]:
            t = time.perf_counter()
            found.append(index.nearest(session, MODEL, query, 50))
            times.append((time.perf_counter() - t) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"build_s": build, "median_ms": statistics.median(times),
            "p95_ms": statistics.quantiles(times, n=20)[-1], "peak_rss_mb": peak_mb, "found": found}


def exact_top(path: Path, queries: int, seed: int) -> list[list[int]]:
    """The true top 50 of each query, by a chunked scan of every stored vector."""
    import numpy as np

    asked = grouped_vectors(np.random.default_rng(seed + 1), queries + 1, topics_of(np.random.default_rng(seed)))[1:]
    best_scores = np.full((queries, 50), -np.inf, dtype=np.float32)
    best_ids = np.zeros((queries, 50), dtype=np.int64)
    with sqlite3.connect(path) as db:
        cursor = db.execute("SELECT statement_id, vector FROM statementvector")
        while rows := cursor.fetchmany(100_000):
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
            scores = np.concatenate([best_scores, asked @ matrix.T], axis=1)
            all_ids = np.concatenate([best_ids, np.broadcast_to(ids, (queries, len(ids)))], axis=1)
            keep = np.argsort(-scores, axis=1)[:, :50]
            best_scores = np.take_along_axis(scores, keep, 1)
            best_ids = np.take_along_axis(all_ids, keep, 1)
    return best_ids.tolist()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", type=Path, help="reuse (or write) this database")
    ap.add_argument("--measure", choices=["index", "exact"], help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.measure:
        figures = measure(a.db, a.queries, a.seed, exact=a.measure == "exact")
        print(json.dumps(figures))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = a.db or Path(tmp) / "vectors.db"
        if not path.exists():
            t = time.perf_counter()
            write_database(path, a.size, a.seed)
            print(f"stored {a.size:,} synthetic vectors in {time.perf_counter() - t:.0f} s ({path.stat().st_size / 1e9:.2f} GB)")
        truth = exact_top(path, a.queries, a.seed)
        for kind in ("exact", "index"):
            run = subprocess.run(
                [sys.executable, __file__, "--measure", kind, "--db", str(path), "--queries", str(a.queries),
                 "--seed", str(a.seed)],
                capture_output=True, text=True, check=True, env=dict(os.environ, OMP_NUM_THREADS="1"),
            )
            f = json.loads(run.stdout.strip().splitlines()[-1])
            recall = statistics.mean(len(set(got) & set(want)) / 50 for got, want in zip(f["found"], truth))
            label = "exact float32 (baseline)" if kind == "exact" else "vector_index (faiss IVF, 8-bit)"
            print(f"{label}: {a.size:,} vectors; build {f['build_s']:.1f} s; search median {f['median_ms']:.1f} ms, "
                  f"p95 {f['p95_ms']:.1f} ms; peak RSS {f['peak_rss_mb']:.0f} MB; recall of the exact top 50 {recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
