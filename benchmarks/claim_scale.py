"""`match --mode claim` latency at scale, with sentence embeddings against without.

    .venv/bin/python benchmarks/claim_scale.py [--size 100000] [--queries 119]

Imports --size statements into a fresh SQLite database without embedding them: the
CheckThat! 2021 2B verified claims, repeated under new ids until there are --size (real
words, so the claim ranker's stems and term counts cost what they cost in use), then stores a vector for each as import
would (services.embeddings.EmbeddingIndex.embed stores one row per statement): seeded
random unit vectors, since encoding 100K statements on this machine's numpy would take an
hour and their values do not change the work a search does. The CheckThat! 2021 2B dev
claims are then matched with services.matching.match_claim_text, which encodes each claim
with the bundled encoder and searches the stored vectors, timing each call; the same
claims are timed again lexically (semantic=False) in the same run as the baseline. Prints
median and p95 in ms of both, the time to read the vectors into memory on the first
search, and the process's peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "checkthat-2021-2b"
QUERIES = DATA / "queries-dev.jsonl"


def write_statements(path: Path, size: int) -> None:
    claims = [json.loads(line) for line in open(DATA / "verified_claims.jsonl", encoding="utf-8")]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(size):
            row = dict(claims[i % len(claims)], id=f"copy{i // len(claims)}-{claims[i % len(claims)]['id']}")
            f.write(json.dumps(row) + "\n")


def store_random_vectors(engine, model: str, dimensions: int, seed: int) -> None:
    import numpy as np
    from sqlmodel import Session, select

    from factcheck.services.embeddings import _text_hash
    from factcheck.store.models import Statement, StatementVector

    rng = np.random.default_rng(seed)
    with Session(engine) as session:
        rows = session.exec(select(Statement.id, Statement.text)).all()
        for start in range(0, len(rows), 10_000):
            chunk = rows[start : start + 10_000]
            vectors = rng.normal(size=(len(chunk), dimensions)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            session.add_all(
                StatementVector(statement_id=sid, model=model, text_hash=_text_hash(text), vector=v.tobytes())
                for (sid, text), v in zip(chunk, vectors)
            )
            session.commit()


def percentiles(ms: list[float]) -> str:
    ms = sorted(ms)
    return f"median {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=119)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    if not QUERIES.exists():
        print(f"skip: {QUERIES} is absent")
        return 0
    from factcheck.services.embeddings import semantic_encoder
    from factcheck.services.matching import match_claim_text
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine, session_scope

    encoder = semantic_encoder()
    if encoder is None:
        print("skip: no sentence encoder (FACTCHECK_SEMANTIC=0, or the weights package is not installed)")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="claimscale"))
    write_statements(tmp / "s.jsonl", a.size)
    engine = get_engine(f"sqlite:///{tmp / 'bench.db'}")
    t0 = time.time()
    os.environ["FACTCHECK_SEMANTIC"] = "0"  # imported without vectors: they are stored below
    import_statements(engine, str(tmp / "s.jsonl"))
    os.environ["FACTCHECK_SEMANTIC"] = "1"
    store_random_vectors(engine, encoder.name, encoder.dimensions, a.seed)
    print(f"[{a.size:,}] statements and vectors stored in {time.time() - t0:.1f} s", flush=True)
    claims = [json.loads(line)["text"] for line in open(QUERIES, encoding="utf-8")][: a.queries]
    with session_scope(engine) as session:
        t0 = time.perf_counter()
        match_claim_text(session, claims[0])
        print(f"first claim (reads the vectors into memory): {1000 * (time.perf_counter() - t0):.0f} ms", flush=True)
        timings = {}
        for semantic in (True, False):
            ms = []
            for claim in claims:
                t0 = time.perf_counter()
                match_claim_text(session, claim, semantic=semantic)
                ms.append(1000 * (time.perf_counter() - t0))
            timings[semantic] = ms
    print(f"[{a.size:,}] match --mode claim, {len(claims)} claims: with embeddings {percentiles(timings[True])}; "
          f"lexical only {percentiles(timings[False])}; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
