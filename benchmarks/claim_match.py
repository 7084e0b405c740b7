"""Claim retrieval on CheckThat! 2021 Task 2B: measure MAP@5, and fit the claim ranker.

    .venv/bin/python benchmarks/claim_match.py [--data DIR] [--db URL] [--fit] [--calibrate] [--lexical]

Imports the verified claims into a fresh SQLite database (or reuses --db), then, for the
train and dev queries, gathers each query's candidates and features exactly as
`factcheck match --mode claim` does (services.matching.claim_candidates and
pipeline.matching.claim_features). It prints MAP@5 with the ranker's built-in weights;
with --fit it also fits a logistic model on the train split (L2, by scikit-learn: the
`training` extra) and prints the weights to paste into pipeline/matching.py with their dev
MAP@5. With --calibrate it scores each train query by a model fitted on the other four
fifths (5-fold cross-validation) and chooses the label thresholds on those held-out
scores: `same` from the lowest score at which SAME_PRECISION of the top-5 candidates
scoring that much are relevant, `related` from the score that gives the best F1 of
calling the top-5 candidates relevant (the thresholds of pipeline/matching.py).
Settings are chosen on train; dev is a check; the test split is held out. --lexical
leaves sentence embeddings out.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "checkthat-2021-2b"


def load(data: Path, split: str):
    queries = [json.loads(line) for line in open(data / f"queries-{split}.jsonl", encoding="utf-8")]
    rel = collections.defaultdict(set)
    for line in open(data / f"qrels-{split}.tsv", encoding="utf-8"):
        p = line.split()
        if len(p) >= 4 and p[3] != "0":
            rel[p[0]].add(p[2])
    return queries, rel


def gather(session, queries, semantic: bool):
    from factcheck.pipeline import matching
    from factcheck.services.matching import claim_candidates
    from factcheck.services.people import same_person_test
    from factcheck.store.search import statement_total, term_counts

    total = statement_total(session)
    same = same_person_test(session)
    out = []
    for q in queries:
        date = dt.date.fromisoformat(q["date"]) if q.get("date") else None
        records, evidence = claim_candidates(session, q["text"], semantic=semantic)
        rows = matching.claim_features(
            q["text"], records, speaker=q.get("speaker"), date=date, evidence=evidence,
            document_counts=lambda terms: term_counts(session, terms), total=total, same_speaker=same,
        ) if records else []
        out.append((q["id"], [r.ref for r in records], rows))
    return out


def average_precision(ranked, relevant) -> float:
    hits, total = 0, 0.0
    for i, ref in enumerate(ranked[:5], 1):
        if ref in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), 5)


def scored(gathered, weights, bias):
    """Each query's (id, refs, scores): the ranker's score (0-100) of each candidate."""
    from factcheck.pipeline.matching import claim_score

    return [(qid, refs, [claim_score(row, weights, bias) for row in rows]) for qid, refs, rows in gathered]


def evaluate(gathered, rel, weights, bias, floor: float) -> float:
    """MAP@5 of the ranking these weights give, leaving out what match_claim labels none
    (scores under `floor`, the `related` threshold; 0 keeps all)."""
    return map_at_5(scored(gathered, weights, bias), rel, floor)


def map_at_5(scores, rel, floor: float) -> float:
    aps = []
    for qid, refs, values in scores:
        if qid not in rel:
            continue
        kept = sorted((i for i, v in enumerate(values) if v >= floor), key=lambda i: -values[i])
        aps.append(average_precision([refs[i] for i in kept], rel[qid]))
    return sum(aps) / max(len(aps), 1)


def cross_validate(gathered, rel, l2: float, folds: int = 5):
    """Held-out scores of every train query, each scored by a model fitted on the other
    folds (queries dealt to folds in file order, round robin)."""
    out = []
    for k in range(folds):
        train = [g for i, g in enumerate(gathered) if i % folds != k]
        held = [g for i, g in enumerate(gathered) if i % folds == k]
        out += scored(held, *fit(train, rel, l2))
    return out


def _top5_pairs(scores, rel):
    """(score, relevant?) of each query's five best candidates, best score first."""
    return sorted(
        ((v, ref in rel.get(qid, ())) for qid, refs, values in scores
         for ref, v in sorted(zip(refs, values), key=lambda p: -p[1])[:5]),
        reverse=True,
    )


def precision_threshold(scores, rel, precision: float) -> float:
    """The lowest score at which the top-5 candidates scoring at least that much are
    relevant `precision` of the time or more (100.0 when no score reaches it)."""
    best, hits = 100.0, 0
    for n, (value, hit) in enumerate(_top5_pairs(scores, rel), 1):
        hits += hit
        if hits / n >= precision:
            best = value
    return round(best, 1)


def f1_threshold(scores, rel) -> float:
    """The score from which calling the top-5 candidates relevant has the best F1."""
    pairs = _top5_pairs(scores, rel)
    relevant = sum(hit for _, hit in pairs) or 1
    best, best_f1, hits = 100.0, 0.0, 0
    for n, (value, hit) in enumerate(pairs, 1):
        hits += hit
        f1 = 2 * hits / (n + relevant)
        if f1 > best_f1:
            best, best_f1 = value, f1
    return round(best, 1)


def fit(gathered, rel, l2: float = 1.0):
    """A logistic model by scikit-learn (the `training` extra), C = 1/l2."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for qid, refs, rows in gathered:
        for ref, row in zip(refs, rows):
            X.append(row)
            y.append(1.0 if ref in rel.get(qid, ()) else 0.0)
    model = LogisticRegression(C=1 / l2, max_iter=5000).fit(np.array(X), np.array(y))
    return [round(float(v), 3) for v in model.coef_[0]], round(float(model.intercept_[0]), 3)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--db", help="an SQLAlchemy URL with the verified claims already imported")
    ap.add_argument("--fit", action="store_true")
    ap.add_argument("--calibrate", action="store_true",
                    help="choose SAME and RELATED by 5-fold cross-validation on train")
    ap.add_argument("--lexical", action="store_true", help="leave sentence embeddings out")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--cache", help="keep the gathered features in this pickle (and reuse them)")
    a = ap.parse_args()
    if a.lexical:
        os.environ["FACTCHECK_SEMANTIC"] = "0"

    from factcheck.pipeline import matching
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine, session_scope

    url = a.db or f"sqlite:///{tempfile.mkdtemp(prefix='claimmatch')}/c.db"
    engine = get_engine(url)
    if not a.db:
        t0 = time.time()
        report = import_statements(engine, str(a.data / "verified_claims.jsonl"))
        print(f"import: {report.summary()} in {time.time() - t0:.1f} s", flush=True)
    semantic = not a.lexical
    results = {}
    if a.cache and os.path.exists(a.cache):
        import pickle

        results = pickle.load(open(a.cache, "rb"))
    with session_scope(engine) as session:
        for split in ("train", "dev"):
            if split in results:
                continue
            queries, rel = load(a.data, split)
            t0 = time.time()
            results[split] = (gather(session, queries, semantic), rel)
            print(f"{split}: {len(queries)} queries gathered in {time.time() - t0:.1f} s", flush=True)
    if a.cache:
        import pickle

        pickle.dump(results, open(a.cache, "wb"))
    has_vectors = any(row[9] for _, _, rows in results["dev"][0] for row in rows)
    weights, bias, thresholds = (
        (matching.SEMANTIC_WEIGHTS, matching.SEMANTIC_BIAS, matching.SEMANTIC_THRESHOLDS) if has_vectors
        else (matching.LEXICAL_WEIGHTS, matching.LEXICAL_BIAS, matching.LEXICAL_THRESHOLDS)
    )
    for split in ("train", "dev"):
        print(f"built-in weights ({'semantic' if has_vectors else 'lexical'}): {split} "
              f"MAP@5={evaluate(*results[split], weights, bias, thresholds[1]):.3f}")
    if a.fit:
        w, b = fit(*results["train"], l2=a.l2)
        print("fitted:", dict(zip(matching.CLAIM_FEATURES, w)), "bias", b)
        print("WEIGHTS =", tuple(w), "\nBIAS =", b)
        for split in ("train", "dev"):
            print(f"fitted weights: {split} MAP@5={evaluate(*results[split], w, b, thresholds[1]):.3f}")
    if a.calibrate:
        held = cross_validate(*results["train"], l2=a.l2)
        rel = results["train"][1]
        same = precision_threshold(held, rel, matching.SAME_PRECISION)
        related = f1_threshold(held, rel)
        print(f"train 5-fold CV: MAP@5={map_at_5(held, rel, 0.0):.3f} with every candidate, "
              f"{map_at_5(held, rel, related):.3f} with those labelled related or same")
        print(f"thresholds (same, related) = ({same}, {related})  (same: top-5 precision >= "
              f"{matching.SAME_PRECISION}; related: best F1, on held-out train)")
        w, b = fit(*results["train"], l2=a.l2)
        print(f"fitted on all train, dev MAP@5={evaluate(*results['dev'], w, b, related):.3f} at RELATED = {related}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
