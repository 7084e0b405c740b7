"""Quotes that span statements imported one sentence a record: label and statements found.

    .venv/bin/python benchmarks/quote_spans.py [--documents 60] [--distractors 400]
        [--seed 11] [--hard 20] [--database-url postgresql://postgres@127.0.0.1:5432/test]

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

Harder groups, on documents of their own (`--hard` documents of each kind):

- `reissued` (a): a document re-issued word for word under another title 120 days later;
  a run quoted 3 days after the re-issue is `exact` on the re-issue and not `earlier`,
  quoted 90 days after it, `exact` and flagged `earlier`;
- `twin` (b): a twin document by the same speaker, a few days apart, whose sentences
  differ from the original's in one word; a run quoted from either is `exact` on that one;
- `not_run` (c): words of two neighbouring sentences scattered (spliced without an
  ellipsis, or interleaved), and a sentence of one document followed by one of another
  document by the same speaker: `altered` on one statement or `none`, never a run;
- `speakers` (d): a transcript-like document (one title and date, two speakers taking
  turns): a run of one speaker's sentences is `exact` on them alone, and a quote running
  over the speaker change is not a run (as `not_run`);
- `long` (e): four or five consecutive sentences, word for word (`exact`).

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
# The harder groups and their kinds of quote.
GROUPS = {
    "reissued": ("reissued_near", "reissued_late"),
    "twin": ("twin_original", "twin_copy"),
    "not_run": ("spliced", "interleaved", "cross_document"),
    "speakers": ("one_speaker", "over_speakers"),
    "long": ("long",),
}
GROUP_OF = {kind: group for group, kinds in GROUPS.items() for kind in kinds} | {k: "original" for k in KINDS}
# Kinds that must not come out as a run: `altered` on one statement, or `none`.
NOT_RUN = ("spliced", "interleaved", "cross_document", "over_speakers")


def name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def sentence(rng: random.Random, place: str) -> str:
    """One fictional sentence: an invented place, a figure, a month."""
    return (f"The {place} {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.randint(12, 980)} "
            f"{rng.choice(UNITS)} by {rng.choice(MONTHS)}, said the {name(rng)} office of {name(rng)}.")


def make_library(documents: int, distractors: int, seed: int, hard: int = 0):
    """(records to import in order, documents, hard documents): each document is (speaker,
    date, refs, texts); the hard ones are a dict of kind to a list of tuples (see make_hard)."""
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
    blocks, hard_docs = make_hard(hard, seed)
    for block in blocks:  # a document's records stay together, in order
        at = rng.randrange(len(records) + 1)
        records[at:at] = block
    return records, docs, hard_docs


def _record(ref, text, speaker, date, title):
    return {"id": ref, "text": text, "speaker": speaker, "date": date.isoformat(), "source_title": title}


def _one_word_changed(rng: random.Random, text: str) -> str:
    """`text` with its subject swapped for another (one word of the sentence)."""
    words = text.split()
    words[2] = rng.choice([s for s in SUBJECTS if s != words[2]])
    return " ".join(words)


def make_hard(count: int, seed: int):
    """The harder groups' records, one list a document, and their documents by group
    (`count` of each)."""
    rng = random.Random(seed + 2)
    records, out = [], {g: [] for g in GROUPS}

    def document(tag, speaker, date, title, texts, speakers=None):
        refs = [f"{tag}S{i}" for i in range(len(texts))]
        records.append([_record(r, t, (speakers or [speaker] * len(texts))[i], date, title)
                        for i, (r, t) in enumerate(zip(refs, texts))])
        return refs

    def start() -> dt.date:
        return dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(200))

    for d in range(count):
        speaker, date, place = f"{name(rng)} {name(rng)}", start(), name(rng)
        texts = [sentence(rng, place) for _ in range(rng.randint(4, 6))]
        first = document(f"RA{d}", speaker, date, f"{place} statement {d}", texts)
        again = date + dt.timedelta(days=120)
        second = document(f"RB{d}", speaker, again, f"{place} statement {d}, re-issued", texts)
        out["reissued"].append((speaker, date, again, first, second, texts))

        speaker, date, place = f"{name(rng)} {name(rng)}", start(), name(rng)
        texts = [sentence(rng, place) for _ in range(rng.randint(4, 6))]
        copy = [_one_word_changed(rng, t) for t in texts]
        original = document(f"TA{d}", speaker, date, f"{place} notice {d}", texts)
        twin = document(f"TB{d}", speaker, date + dt.timedelta(days=4), f"{place} notice {d}, revised", copy)
        out["twin"].append((speaker, date, original, texts, twin, copy))

        speaker, date = f"{name(rng)} {name(rng)}", start()
        one = [sentence(rng, name(rng)) for _ in range(rng.randint(4, 6))]
        other = [sentence(rng, name(rng)) for _ in range(rng.randint(4, 6))]
        refs_one = document(f"NA{d}", speaker, date, f"Morning briefing {d}", one)
        refs_other = document(f"NB{d}", speaker, date + dt.timedelta(days=1), f"Evening briefing {d}", other)
        out["not_run"].append((speaker, date, refs_one, one, refs_other, other))

        host, guest, date, place = f"{name(rng)} {name(rng)}", f"{name(rng)} {name(rng)}", start(), name(rng)
        texts = [sentence(rng, place) for _ in range(6)]
        # Two sentences by the guest, one by the host, two by the guest, one by the host.
        turns = [guest, guest, host, guest, guest, host]
        refs = document(f"SP{d}", None, date, f"{place} radio interview {d}", texts, speakers=turns)
        out["speakers"].append((guest, host, date, refs, texts))

        speaker, date, place = f"{name(rng)} {name(rng)}", start(), name(rng)
        texts = [sentence(rng, place) for _ in range(rng.randint(5, 7))]
        refs = document(f"LG{d}", speaker, date, f"{place} annual report {d}", texts)
        out["long"].append((speaker, date, refs, texts))
    return records, out


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


def make_hard_quotes(hard, seed: int):
    """The harder groups' quotes, in make_quotes's shape (expected label None: not a run)."""
    rng = random.Random(seed + 3)
    out = []
    for speaker, date, again, first, second, texts in hard["reissued"]:
        i = rng.randrange(len(texts) - 1)
        quote = " ".join(texts[i : i + 2])
        out.append(("reissued_near", quote, speaker, again + dt.timedelta(days=3), "exact", second[i : i + 2]))
        out.append(("reissued_late", quote, speaker, again + dt.timedelta(days=90), "exact", second[i : i + 2]))
    for speaker, date, original, texts, twin, copy in hard["twin"]:
        i = rng.randrange(len(texts) - 1)
        soon = date + dt.timedelta(days=6)
        out.append(("twin_original", " ".join(texts[i : i + 2]), speaker, soon, "exact", original[i : i + 2]))
        out.append(("twin_copy", " ".join(copy[i : i + 2]), speaker, soon, "exact", twin[i : i + 2]))
    for speaker, date, refs_one, one, refs_other, other in hard["not_run"]:
        soon = date + dt.timedelta(days=3)
        i = rng.randrange(len(one) - 1)
        a, b = one[i].split(), one[i + 1].split()
        out.append(("spliced", " ".join(a[: len(a) // 2] + b[len(b) // 2 :]), speaker, soon, None, []))
        mixed = a[:4] + b[:4] + a[4:8] + b[4:8]
        out.append(("interleaved", " ".join(mixed), speaker, soon, None, []))
        j = rng.randrange(len(other))
        out.append(("cross_document", f"{one[-1]} {other[j]}", speaker, soon, None, []))
    for guest, host, date, refs, texts in hard["speakers"]:
        soon = date + dt.timedelta(days=3)
        i = rng.choice((0, 3))
        out.append(("one_speaker", " ".join(texts[i : i + 2]), guest, soon, "exact", refs[i : i + 2]))
        out.append(("over_speakers", " ".join(texts[i + 1 : i + 3]), guest, soon, None, []))
    for speaker, date, refs, texts in hard["long"]:
        n = rng.choice((4, 5))
        i = rng.randrange(len(texts) - n + 1)
        out.append(("long", " ".join(texts[i : i + n]), speaker, date + dt.timedelta(days=3), "exact", refs[i : i + n]))
    return out


def right(kind: str, result, label: str | None, refs: list[str]) -> bool:
    if kind in NOT_RUN:
        # Not a run: nothing, or a changed quote of one statement.
        return result.label == "none" or (result.label == "altered" and len(result.matches[0].statements) == 1)
    if result.label != label or not result.matches:
        return False
    best = result.matches[0]
    found = [s.ref for s in best.statements]
    earlier = "earlier" in best.flags
    if kind in ("recycled", "reissued_late"):
        return found == refs and earlier
    return found == refs and not earlier


def run(url: str, args) -> dict:
    from factcheck.pipeline.matching import match_quote
    from factcheck.services.matching import candidates, match_text
    from factcheck.services.people import same_person_test
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine, session_scope

    records, docs, hard = make_library(args.documents, args.distractors, args.seed, args.hard)
    quotes = make_quotes(docs, args.seed) + make_hard_quotes(hard, args.seed)
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
            single = match_quote(quote, candidates(session, [quote])[0], speaker=speaker, date=date,
                                 window_days=WINDOW_DAYS, same_speaker=same_person_test(session))
            before[kind] += right(kind, single, label, refs)
    total = Counter(kind for kind, *_ in quotes)
    kinds = [*KINDS, *(k for g in GROUPS.values() for k in g)]
    groups = {}
    for kind in kinds:
        g = groups.setdefault(GROUP_OF[kind], [0, 0])
        g[0] += now[kind]
        g[1] += total[kind]
    out = {
        "backend": url.split(":", 1)[0], "statements": len(records), "quotes": len(quotes),
        "right": round(sum(now.values()) / len(quotes), 3),
        "right_without_runs": round(sum(before.values()) / len(quotes), 3),
        "ms_per_quote": round(1000 * seconds / len(quotes), 1),
        "by_group": {g: round(n / t, 3) if t else None for g, (n, t) in groups.items()},
        "by_kind": {k: f"{now[k]}/{total[k]} (without runs {before[k]})" for k in kinds},
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
    ap.add_argument("--hard", type=int, default=20, help="documents of each harder group")
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
