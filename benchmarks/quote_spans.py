"""Quotes that span statements imported one sentence a record: label and statements found.

    .venv/bin/python benchmarks/quote_spans.py [--documents 60] [--distractors 400]
        [--seed 11] [--database-url postgresql://postgres@127.0.0.1:5432/test]

Generates fictional source documents (press releases by invented speakers, 4-7 sentences
each, one `source_title` and date), imports them one sentence a record through
services.statements.import_statements, mixed with distractor statements (other speakers,
no source; some restate a document's sentence with other figures), then matches quotes
with services.matching.match_text, as `factcheck match` does:

- `whole`: two or three consecutive sentences, word for word (`exact`);
- `tail`: the end of one sentence and the start of the next (`exact`);
- `single`: one sentence (`exact`, that statement alone);
- `elided`: the start of one sentence, "...", the end of a later one (`elided`);
- `altered`: two sentences with a figure changed (`altered`);
- `recycled`: a whole run quoted 90 days after it was said (`exact`, flagged `earlier`).

A case is right when the result's label is the expected one, its best match names exactly
the quoted statements (from the first quoted to the last, in order; `statement_ids`), and
a recycled quote is flagged `earlier`. The same quotes are also matched without runs
(`match_quote` on the same candidates, no `around`): the figure before quotes could span
statements. SQLite by default (a temporary file); with --database-url, a throwaway
PostgreSQL database on that server, dropped afterwards. Everything is invented.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("FACTCHECK_SEMANTIC", "0")  # quote matching is lexical

from matching_scale import pg_database  # noqa: E402  (benchmarks/ is the script's own folder)

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai")]
SUBJECTS = ("ferry", "bridge", "school", "clinic", "harbour", "library", "tunnel", "market", "depot", "park")
VERBS = ("will open", "will close", "has cost", "will need", "was given", "will add", "has lost", "will hire")
UNITS = ("crowns", "workers", "beds", "boats", "places", "tonnes", "metres", "days")
MONTHS = ("January", "March", "April", "June", "August", "October", "November", "December")
WINDOW_DAYS = 30
KINDS = ("whole", "tail", "single", "elided", "altered", "recycled")


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def sentence(rng: random.Random, place: str) -> str:
    """One fictional sentence: an invented place, a figure, a month."""
    return (f"The {place} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.randint(12, 980)} "
            f"{rng.choice(UNITS)} by {rng.choice(MONTHS)}, said the {name(rng)} office of {name(rng)}.")


def make_library(documents: int, distractors: int, seed: int):
    """(records to import in order, documents): each document is (speaker, date, refs, texts)."""
    rng = random.Random(seed)
    docs, records = [], []
    for d in range(documents):
        speaker = f"{name(rng)} {name(rng)}"
        date = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(300))
        place = name(rng)
        texts = [sentence(rng, place) for _ in range(rng.randint(4, 7))]
        refs = [f"D{d}S{i}" for i in range(len(texts))]
        docs.append((speaker, date, refs, texts))
        for ref, text in zip(refs, texts):
            records.append({"id": ref, "text": text, "speaker": speaker, "date": date.isoformat(),
                            "source_title": f"{place} press release {d}"})
    for n in range(distractors):
        speaker, date, _, texts = rng.choice(docs)
        if n % 2:  # another speaker restating a document's sentence with other figures
            words = [str(rng.randint(12, 980)) if w.isdigit() else w for w in rng.choice(texts).split()]
            text = " ".join(words)
        else:
            text = sentence(rng, name(rng))
        records.insert(rng.randrange(len(records) + 1),
                       {"id": f"X{n}", "text": text, "speaker": f"{name(rng)} {name(rng)}", "date": date.isoformat()})
    return records, docs


def make_quotes(docs, seed: int):
    """(kind, quote, speaker, quote date, expected label, expected refs) for each document and kind."""
    rng = random.Random(seed + 1)
    out = []
    for speaker, date, refs, texts in docs:
        soon = date + dt.timedelta(days=3)
        i = rng.randrange(len(texts) - 2)
        n = rng.choice((2, 3))
        out.append(("whole", " ".join(texts[i : i + n]), speaker, soon, "exact", refs[i : i + n]))
        a, b = texts[i].split(), texts[i + 1].split()
        out.append(("tail", " ".join(a[len(a) // 2 :] + b[: len(b) // 2]), speaker, soon, "exact", refs[i : i + 2]))
        out.append(("single", texts[i + 1], speaker, soon, "exact", [refs[i + 1]]))
        j = i + rng.choice((1, 2))
        c = texts[j].split()
        out.append(("elided", " ".join(a[:6]) + " ... " + " ".join(c[-6:]), speaker, soon, "elided", refs[i : j + 1]))
        changed = [str(int(w) + 7) if w.isdigit() else w for w in b]
        out.append(("altered", texts[i] + " " + " ".join(changed), speaker, soon, "altered", refs[i : i + 2]))
        out.append(("recycled", " ".join(texts[i : i + 2]), speaker, date + dt.timedelta(days=90), "exact",
                    refs[i : i + 2]))
    return out


def right(kind: str, result, label: str, refs: list[str]) -> bool:
    if result.label != label or not result.matches:
        return False
    best = result.matches[0]
    found = [s.ref for s in best.statements]
    return found == refs and (kind != "recycled" or "earlier" in best.flags)


def run(url: str, args) -> dict:
    from factcheck.pipeline.matching import match_quote
    from factcheck.services.matching import candidates, match_text
    from factcheck.services.people import same_person_test
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine, session_scope

    records, docs = make_library(args.documents, args.distractors, args.seed)
    quotes = make_quotes(docs, args.seed)
    with tempfile.TemporaryDirectory(prefix="quotespans") as tmp:
        path = Path(tmp) / "statements.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        engine = get_engine(url)
        report = import_statements(engine, str(path))
        print(f"import: {report.summary()}", flush=True)
    now, before = Counter(), Counter()
    wrong = []
    t = time.perf_counter()
    with session_scope(engine) as session:
        for kind, quote, speaker, date, label, refs in quotes:
            result = match_text(session, quote, speaker=speaker, date=date, window_days=WINDOW_DAYS)
            if right(kind, result, label, refs):
                now[kind] += 1
            else:
                wrong.append((kind, quote, label, refs, result.label,
                              [s.ref for s in result.matches[0].statements] if result.matches else []))
        seconds = time.perf_counter() - t
        for kind, quote, speaker, date, label, refs in quotes:
            single = match_quote(quote, candidates(session, quote), speaker=speaker, date=date,
                                 window_days=WINDOW_DAYS, same_speaker=same_person_test(session))
            before[kind] += right(kind, single, label, refs)
    total = Counter(kind for kind, *_ in quotes)
    out = {
        "backend": url.split(":", 1)[0], "statements": len(records), "quotes": len(quotes),
        "right": round(sum(now.values()) / len(quotes), 3),
        "right_without_runs": round(sum(before.values()) / len(quotes), 3),
        "ms_per_quote": round(1000 * seconds / len(quotes), 1),
        "by_kind": {k: f"{now[k]}/{total[k]} (without runs {before[k]})" for k in KINDS},
    }
    for case in wrong[: args.show]:
        print("wrong:", case, flush=True)
    print(json.dumps(out), flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=60)
    ap.add_argument("--distractors", type=int, default=400)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--database-url", help="a PostgreSQL server: the benchmark runs in a throwaway database on it")
    ap.add_argument("--show", type=int, default=5, help="print this many wrong cases")
    args = ap.parse_args()
    from factcheck.store.db import forget_engines

    if args.database_url:
        url, drop = pg_database(args.database_url)
        try:
            run(url, args)
        finally:
            drop()
    else:
        with tempfile.TemporaryDirectory(prefix="quotespans-db") as tmp:
            try:
                run(f"sqlite:///{Path(tmp) / 'bench.db'}", args)
            finally:
                forget_engines()
    return 0


if __name__ == "__main__":
    sys.exit(main())
