"""Quote matching at scale: import rate, latency and recall against brute force.

    .venv/bin/python benchmarks/matching_scale.py [--sizes 10000,100000,1000000]
        [--queries 200] [--backend sqlite|postgresql] [--pg postgresql://postgres@127.0.0.1:5432/test]

For each size it generates that many synthetic statements (seeded; pseudo-words drawn
from a Zipf-like vocabulary, not third-party text), imports them through
services.statements.import_statements into a fresh database (an SQLite file, or a
throwaway PostgreSQL database that is dropped afterwards), then matches sampled quotes
with services.matching.match_text (retrieval + matching), timing each:

- `exact`: a contiguous fragment (6-16 words) of a random statement;
- `changed`: the same fragment with one word replaced by another.

After the timed matching, each quote is also matched by brute force,
`rapidfuzz.process.extractOne(quote, all_texts, scorer=fuzz.partial_ratio)`; recall is
the share of quotes whose best match scores as high under partial_ratio as the
brute-force best (ties count: a fragment can occur in more than one statement; --brute N
checks only the first N quotes of each kind, brute force being slow: about 10 s a quote
at 1M). `source_first` is the share of quotes whose best match is the statement they
were cut from. `candidate_recall` is the share of quotes for which the candidate search
(store.search.candidate_ids, run again untimed) holds a statement scoring as high as the
brute-force best: recall above it is lost by the matcher (which, for one, finds no match
when under 60% of a quote's content words are in the statement), not by the search.
Memory is the process's peak RSS.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FACTCHECK_SEMANTIC", "0")  # quote matching is lexical

SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
FUNCTION_WORDS = (
    "the of and to a in is that it for on was with as be by at this are from or have not an "
    "they which we will would there been has their more if can all were when who our"
).split()


class Generator:
    """Seeded synthetic statements: Zipf-like content words between function words."""

    def __init__(self, seed: int = 7, vocabulary: int = 50_000):
        self.rng = random.Random(seed)
        words = set()
        while len(words) < vocabulary:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(1, 4))))
        self.words = sorted(words)
        self.rng.shuffle(self.words)
        # Zipf-like weights: the k-th word is drawn in proportion to 1/(k+10).
        self.cumulative = []
        total = 0.0
        for k in range(len(self.words)):
            total += 1.0 / (k + 10)
            self.cumulative.append(total)
        self.speakers = [f"{self.rng.choice(self.words).title()} {self.rng.choice(self.words).title()}" for _ in range(500)]

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cumulative)[0]

    def sentence(self) -> str:
        n = self.rng.randint(10, 40)
        out = [self.word() if self.rng.random() < 0.6 else self.rng.choice(FUNCTION_WORDS) for _ in range(n)]
        if self.rng.random() < 0.3:
            out.insert(self.rng.randrange(n), f"{self.rng.randint(2, 99_999):,}")
        out[0] = out[0].title()
        return " ".join(out) + self.rng.choice(".!?.")

    def statement(self, i: int) -> dict:
        text = " ".join(self.sentence() for _ in range(self.rng.choice((1, 1, 1, 2, 3))))
        year, day = self.rng.randint(2015, 2025), self.rng.randint(1, 28)
        return {
            "id": f"syn-{i}", "text": text, "speaker": self.rng.choice(self.speakers),
            "date": f"{year}-{self.rng.randint(1, 12):02d}-{day:02d}",
        }


def write_statements(path: Path, n: int, seed: int) -> list[str]:
    gen = Generator(seed)
    texts = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            row = gen.statement(i)
            texts.append(row["text"])
            f.write(json.dumps(row) + "\n")
    return texts


def make_quotes(texts: list[str], count: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed + 1)
    gen = Generator(seed)  # the same vocabulary for replacement words
    quotes = []
    while len(quotes) < 2 * count:
        source = rng.choice(texts)
        words = source.split()
        if len(words) < 8:
            continue
        length = rng.randint(6, min(16, len(words)))
        start = rng.randrange(len(words) - length + 1)
        fragment = words[start : start + length]
        quotes.append(("exact", " ".join(fragment), source))
        changed = list(fragment)
        i = rng.randrange(1, len(changed) - 1)
        replacement = gen.word()
        while replacement == changed[i]:
            replacement = gen.word()
        changed[i] = replacement
        quotes.append(("changed", " ".join(changed), source))
    return quotes


def brute_force_check(to_check: list[tuple[str, str, str, list[str]]], texts: list[str]) -> tuple[dict, dict, dict, float]:
    """For each (kind, quote, our best match, the candidates' texts), whether our match,
    and whether any candidate, scores as high under partial_ratio as the best of all
    `texts` (ties count). Returns the hits of the matches and of the candidates and the
    checks per kind, and the brute force's time per quote, in ms. Run after the timed
    matching, so that it does not disturb the latencies.
    """
    from rapidfuzz import fuzz, process

    hits = {"exact": 0, "changed": 0}
    candidate_hits = {"exact": 0, "changed": 0}
    checked = {"exact": 0, "changed": 0}
    t = time.perf_counter()
    for kind, quote, ours, candidates in to_check:
        _, best_score, _ = process.extractOne(quote, texts, scorer=fuzz.partial_ratio)
        hits[kind] += fuzz.partial_ratio(quote, ours) >= best_score - 1e-9
        candidate_hits[kind] += any(fuzz.partial_ratio(quote, c) >= best_score - 1e-9 for c in candidates)
        checked[kind] += 1
    per_quote = 1000 * (time.perf_counter() - t) / max(len(to_check), 1)
    return hits, candidate_hits, checked, per_quote


def pg_database(server: str):
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = make_url(server)
    name = f"factcheck_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        from factcheck.store.db import forget_engines

        forget_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.set(database=name).render_as_string(hide_password=False), drop


def bench_database(folder: Path, server: str | None):
    """(url, drop) of a throwaway database: an SQLite file in `folder`, or, given a
    PostgreSQL `server`, a new database on it that drop() removes."""
    if server is None:
        from factcheck.store.db import forget_engines

        return f"sqlite:///{folder / 'bench.db'}", forget_engines
    return pg_database(server)


def run(size: int, args) -> dict:
    from factcheck.services.matching import candidates, match_text
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine, session_scope

    tmp = Path(tempfile.mkdtemp(prefix="matchscale"))
    data = tmp / "statements.jsonl"
    t0 = time.time()
    texts = write_statements(data, size, args.seed)
    print(f"[{size:,}] generated in {time.time() - t0:.1f} s", flush=True)
    url, drop = bench_database(tmp, args.pg if args.backend == "postgresql" else None)
    try:
        engine = get_engine(url)
        t0 = time.time()
        report = import_statements(engine, str(data))
        import_seconds = time.time() - t0
        rate = size / import_seconds
        print(f"[{size:,}] import: {report.summary()} in {import_seconds:.1f} s = {rate:,.0f} statements/s", flush=True)
        quotes = make_quotes(texts, args.queries, args.seed)
        latencies = {"exact": [], "changed": []}
        found = {"exact": 0, "changed": 0}  # the statement the quote was cut from comes first
        to_check = []  # (kind, quote, our best match's text, the candidates' texts) for brute force
        with session_scope(engine) as session:
            for kind, quote, _ in quotes[:4]:  # warm the caches
                match_text(session, quote)
            for n, (kind, quote, source) in enumerate(quotes):
                t = time.perf_counter()
                result = match_text(session, quote)
                latencies[kind].append(1000 * (time.perf_counter() - t))
                ours = result.matches[0].statement.text if result.matches else ""
                found[kind] += ours == source
                if n < 2 * args.brute:
                    to_check.append((kind, quote, ours, [c.text for c in candidates(session, [quote])[0]]))
        hits, candidate_hits, checked, brute_ms = brute_force_check(to_check, texts)
        out = {"size": size, "backend": args.backend, "import_per_s": round(rate), "queries": len(quotes)}
        for kind in ("exact", "changed"):
            ms = sorted(latencies[kind])
            out[f"{kind}_median_ms"] = round(statistics.median(ms), 1)
            out[f"{kind}_p95_ms"] = round(ms[int(0.95 * (len(ms) - 1))], 1)
            out[f"{kind}_recall"] = round(hits[kind] / max(checked[kind], 1), 3)
            out[f"{kind}_candidate_recall"] = round(candidate_hits[kind] / max(checked[kind], 1), 3)
            out[f"{kind}_brute_checked"] = checked[kind]
            out[f"{kind}_source_first"] = round(found[kind] / len(ms), 3)
        both = sorted(latencies["exact"] + latencies["changed"])
        out["median_ms"] = round(statistics.median(both), 1)
        out["p95_ms"] = round(both[int(0.95 * (len(both) - 1))], 1)
        out["brute_force_ms_per_quote"] = round(brute_ms, 1)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(json.dumps(out), flush=True)
        return out
    finally:
        drop()
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--queries", type=int, default=200, help="quotes of each kind per size")
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--brute", type=int, default=10**9, help="compare only this many quotes of each kind with brute force")
    args = ap.parse_args()
    rows = [run(int(size), args) for size in args.sizes.split(",")]
    print(f"{'size':>9} {'import/s':>9} {'median':>8} {'p95':>8} {'recall exact':>13} {'recall changed':>15} "
          f"{'candidates changed':>19} {'brute ms':>9} {'RSS MB':>7}")
    for r in rows:
        print(
            f"{r['size']:>9,} {r['import_per_s']:>9,} {r['median_ms']:>8} {r['p95_ms']:>8} {r['exact_recall']:>13} "
            f"{r['changed_recall']:>15} {r['changed_candidate_recall']:>19} {r['brute_force_ms_per_quote']:>9} "
            f"{r['peak_rss_mb']:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
