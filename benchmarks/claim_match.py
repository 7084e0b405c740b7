"""Claim retrieval on CheckThat! 2021 Task 2B: measure MAP@5, and fit the claim ranker.

    .venv/bin/python benchmarks/claim_match.py [--data DIR] [--db URL] [--fit] [--calibrate] [--lexical]
                                               [--static DIMS:WEIGHTING[:RIDGE] [--static-cache DIR]]

Imports the verified claims into a fresh SQLite database (or reuses --db), then, for the
train and dev queries, gathers each query's candidates and features exactly as
`factcheck match --mode claim` does (services.matching.claim_candidates and
pipeline.claim_matching.claim_features). It prints MAP@5 with the ranker's built-in weights;
with --fit it also fits a logistic model on the train split (L2, by scikit-learn: the
`training` extra) and prints the weights to paste into pipeline/claim_matching.py with their dev
MAP@5. MAP@5 ranks every candidate, as match_claim does (one under the `related`
threshold keeps its place, labelled none). With --calibrate it scores each train query by
a model fitted on the other four fifths (5-fold cross-validation), and also the query's
negative: the same query with its true claims taken out of the candidates, which is what
a sentence that repeats no checked claim looks like to the ranker. The label thresholds
are chosen on that mix from each query's best candidate (what the result's label stands
for): `same` from the lowest score at which SAME_PRECISION of the best candidates scoring
that much are right, `related` from the score under which NONE_SHARE of the negatives'
best candidates fall (the thresholds of pipeline/claim_matching.py). It prints the share
of held-out negatives answered none with the chosen and the built-in thresholds.
Settings are chosen on train; dev is a check; the test split is held out. --lexical
leaves sentence embeddings out. --static swaps MiniLM for the static encoder distilled from
it (benchmarks/static_encoder.py, e.g. --static 256:log-rank; with a ridge, 384:sif:0.001,
its rows learnt from the corpus; here only, the product is unchanged), to measure it
through the real ranker; --static-cache reuses static_encoder.py --cache's vectors.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
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


def gather(session, queries, semantic: bool, rel):
    """Each query's (id, candidate refs, feature rows), and its negative: the same with its
    true claims taken out of the candidates, which is what the candidates of a sentence
    that repeats no checked claim look like (the features are relative to the best
    candidate, so they are computed again without them)."""
    from factcheck.pipeline import claim_matching
    from factcheck.services.matching import claim_candidates
    from factcheck.services.people import same_person_test
    from factcheck.store.search import statement_total, term_counts

    total = statement_total(session)
    same = same_person_test(session)

    def features(q, records, evidence):
        date = dt.date.fromisoformat(q["date"]) if q.get("date") else None
        rows = claim_matching.claim_features(
            q["text"], records, speaker=q.get("speaker"), date=date, evidence=evidence,
            document_counts=lambda terms: term_counts(session, terms), total=total, same_speaker=same,
        ) if records else []
        return (q["id"], [r.ref for r in records], rows)

    out, negatives = [], []
    for q in queries:
        [(records, evidence)] = claim_candidates(session, [q["text"]], semantic=semantic)
        out.append(features(q, records, evidence))
        kept = [i for i, r in enumerate(records) if r.ref not in rel.get(q["id"], ())]
        negatives.append(features(q, [records[i] for i in kept],
                                  {n: evidence[i] for n, i in enumerate(kept) if i in evidence}))
    return out, negatives


def claims_library(db: str | None, data: Path, prefix: str):
    """The engine of a database holding the verified claims: `db` as it is, or a fresh
    SQLite file (named after `prefix`) into which they are imported now."""
    from factcheck.services.statements import import_statements
    from factcheck.store.db import get_engine

    engine = get_engine(db or f"sqlite:///{tempfile.mkdtemp(prefix=prefix)}/c.db")
    if not db:
        t0 = time.time()
        report = import_statements(engine, str(data / "verified_claims.jsonl"))
        print(f"import: {report.summary()} in {time.time() - t0:.1f} s", flush=True)
    return engine


def average_precision(ranked, relevant) -> float:
    hits, total = 0, 0.0
    for i, ref in enumerate(ranked[:5], 1):
        if ref in relevant:
            hits += 1
            total += hits / i
    return total / min(len(relevant), 5)


def scored(gathered, weights, bias):
    """Each query's (id, refs, scores): the ranker's score (0-100) of each candidate."""
    from factcheck.pipeline.claim_matching import claim_score

    return [(qid, refs, [claim_score(row, weights, bias) for row in rows]) for qid, refs, rows in gathered]


def evaluate(gathered, rel, weights, bias) -> float:
    """MAP@5 of the ranking these weights give (every candidate ranked, as match_claim
    does: a candidate labelled none keeps its place)."""
    return map_at_5(scored(gathered, weights, bias), rel)


def map_at_5(scores, rel) -> float:
    aps = []
    for qid, refs, values in scores:
        if qid not in rel:
            continue
        kept = sorted(range(len(values)), key=lambda i: -values[i])
        aps.append(average_precision([refs[i] for i in kept], rel[qid]))
    return sum(aps) / max(len(aps), 1)


def none_share(scores, related: float) -> float:
    """The share of queries whose best candidate scores under `related` (answered none)."""
    tops = [max(values) for _, _, values in scores if values]
    return (sum(v < related for v in tops) + sum(not values for _, _, values in scores)) / max(len(scores), 1)


def cross_validate(gathered, negatives, rel, l2: float, folds: int = 5):
    """Held-out scores of every train query and of its negative, each scored by a model
    fitted on the other folds' queries (dealt to folds in file order, round robin; a
    negative goes with its query)."""
    held_queries, held_negatives = [], []
    for k in range(folds):
        model = fit([g for i, g in enumerate(gathered) if i % folds != k], rel, l2)
        held_queries += scored([g for i, g in enumerate(gathered) if i % folds == k], *model)
        held_negatives += scored([g for i, g in enumerate(negatives) if i % folds == k], *model)
    return held_queries, held_negatives


def _best_pairs(scores, rel):
    """(score, relevant?) of each query's best candidate, best score first: what the
    result's label stands for."""
    return sorted(
        ((max(values), refs[values.index(max(values))] in rel.get(qid, ())) for qid, refs, values in scores if values),
        reverse=True,
    )


def precision_threshold(scores, rel, precision: float) -> float:
    """The lowest score at which the queries' best candidates scoring at least that much
    are relevant `precision` of the time or more (100.0 when no score reaches it)."""
    best, hits = 100.0, 0
    for n, (value, hit) in enumerate(_best_pairs(scores, rel), 1):
        hits += hit
        if hits / n >= precision:
            best = value
    return round(best, 1)


def none_threshold(negatives, share: float) -> float:
    """The lowest score (to 0.1) under which the best candidates of at least `share` of the
    negatives fall: with it as `related`, that share of sentences that repeat no checked
    claim are answered none."""
    tops = sorted(max(values) for _, _, values in negatives if values)
    needed = math.ceil(share * len(negatives)) - sum(not values for _, _, values in negatives)
    if needed <= 0:
        return 0.0
    if needed > len(tops):
        return 100.0
    return math.floor(tops[needed - 1] * 10 + 1) / 10


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
    ap.add_argument("--static", metavar="DIMS:WEIGHTING[:RIDGE]", help="embed with the distilled static encoder")
    ap.add_argument("--static-cache", type=Path, help="the token rows' folder of static_encoder.py --cache")
    a = ap.parse_args()
    if a.lexical:
        os.environ["FACTCHECK_SEMANTIC"] = "0"
    if a.static:
        use_static_encoder(a.static, a.static_cache)

    from factcheck.pipeline import claim_matching
    from factcheck.store.db import session_scope

    engine = claims_library(a.db, a.data, "claimmatch")
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
            results[split] = (*gather(session, queries, semantic, rel), rel)
            print(f"{split}: {len(queries)} queries gathered in {time.time() - t0:.1f} s", flush=True)
    if a.cache:
        import pickle

        pickle.dump(results, open(a.cache, "wb"))
    has_vectors = any(row[9] for _, _, rows in results["dev"][0] for row in rows)
    weights, bias = (
        (claim_matching.SEMANTIC_WEIGHTS, claim_matching.SEMANTIC_BIAS) if has_vectors
        else (claim_matching.LEXICAL_WEIGHTS, claim_matching.LEXICAL_BIAS)
    )
    for split in ("train", "dev"):
        gathered, _, rel = results[split]
        print(f"built-in weights ({'semantic' if has_vectors else 'lexical'}): {split} "
              f"MAP@5={evaluate(gathered, rel, weights, bias):.3f}")
    train, train_negatives, rel = results["train"]
    if a.fit:
        w, b = fit(train, rel, l2=a.l2)
        print("fitted:", dict(zip(claim_matching.CLAIM_FEATURES, w)), "bias", b)
        print("WEIGHTS =", tuple(w), "\nBIAS =", b)
        for split in ("train", "dev"):
            gathered, _, split_rel = results[split]
            print(f"fitted weights: {split} MAP@5={evaluate(gathered, split_rel, w, b):.3f}")
    if a.calibrate:
        queries, negatives = cross_validate(train, train_negatives, rel, l2=a.l2)
        mix = queries + negatives
        same = precision_threshold(mix, rel, claim_matching.SAME_PRECISION)
        related = none_threshold(negatives, claim_matching.NONE_SHARE)
        print(f"train 5-fold CV: MAP@5={map_at_5(queries, rel):.3f}")
        print(f"thresholds (same, related) = ({same}, {related})  (on held-out train queries and their "
              f"negatives: same where the best candidate is right {claim_matching.SAME_PRECISION:.0%} of the time; "
              f"related where {claim_matching.NONE_SHARE:.0%} of the negatives are answered none)")
        for name, (s_, r_) in (("chosen", (same, related)), ("built-in", thresholds_of(claim_matching, has_vectors))):
            top_right = sum(hit for v, hit in _best_pairs(queries, rel) if v >= r_) / max(len(queries), 1)
            print(f"  {name} ({s_}, {r_}): held-out negatives answered none {none_share(negatives, r_):.3f}; "
                  f"queries whose best candidate is labelled related or same and right {top_right:.3f}; "
                  f"queries answered none {none_share(queries, r_):.3f}")
    return 0


def use_static_encoder(settings: str, cache: Path | None) -> None:
    """Make the static encoder of these settings the one the services load, in this
    process only (services.embeddings loads its encoder by `_bundled_encoder`)."""
    from static_encoder import corpus_vectors, minilm, static_encoder, token_rows

    from factcheck.services import embeddings

    dims, weighting, *ridge = settings.split(":")
    encoder, model_dir = minilm()
    tokens, seconds = token_rows(encoder, cache)
    corpus = corpus_vectors(encoder, cache) if ridge else None
    static = static_encoder(tokens, model_dir, int(dims), weighting, corpus, *map(float, ridge))
    print(f"static encoder {static.name} (distilled in {seconds:.1f} CPU-s; 0 when cached)", flush=True)
    embeddings._bundled_encoder = lambda: static


def thresholds_of(claim_matching, semantic: bool) -> tuple[float, float]:
    return claim_matching.SEMANTIC_THRESHOLDS if semantic else claim_matching.LEXICAL_THRESHOLDS


if __name__ == "__main__":
    sys.exit(main())
