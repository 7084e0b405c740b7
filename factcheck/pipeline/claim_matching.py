"""Claim matching: which known statements state the same claim as a sentence.

A claim is a paraphrase, not a quote, so no word diff can judge it. `match_claim` ranks
candidate statements with a logistic model over lexical features (BM25 over the text and
the source title, content-word overlap, speaker and dates) and, when the sentence encoder
is on, the embeddings' cosine (`ClaimEvidence.similarity`); `claim_label` turns the
model's score into `same`, `related` or `none` by thresholds calibrated on the CheckThat!
2021 2B training queries (benchmarks/claim_match.py). Numbers are compared by meaning
(`text.quantities`): a match is flagged `numbers_differ` only between comparable quantities.
"""
from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from .matching import OTHER_NUMBER_PENALTY, SAME_NUMBER_BONUS
from .records import Match, MatchResult, Statement
from .text.folding import normalize, strip_punctuation
from .text.memo import Memo
from .text.names import same_person
from .text.quantities import numbers_differ, same_quantities
from .text.stemming import stem
from .text.stopwords import CLAIM_STOPWORDS
from .text.tokens import WORD

__all__ = ["ClaimEvidence", "claim_features", "claim_label", "claim_score", "claim_similarity", "match_claim"]


@dataclass
class ClaimEvidence:
    """What the claim ranker knows about one candidate besides its text.

    `title` is the statement's source title (a fact-check's headline often restates the
    claim); `similarity` is the cosine similarity of the claim's and the statement's
    sentence embeddings, absent when the encoder is turned off (FACTCHECK_SEMANTIC=0).
    """

    title: str | None = None
    similarity: float | None = None


# The claim ranker is a logistic model over the features of `claim_features`, fitted on
# the CheckThat! 2021 2B training queries (benchmarks/claim_match.py --fit prints them).
# Two weight sets: lexical features only, and lexical plus sentence embeddings.
CLAIM_FEATURES = (
    "bm25", "bm25_text", "bm25_title", "bm25_abs", "overlap", "same_speaker",
    "days_before", "undated", "later", "similarity", "similarity_gap",
)
LEXICAL_WEIGHTS = (2.423, 2.539, 1.56, 0.89, 1.262, 1.096, -0.526, -2.552, -6.01, 0.0, 0.0)
LEXICAL_BIAS = -7.467
SEMANTIC_WEIGHTS = (1.772, 1.365, 0.335, 0.24, 1.525, 1.991, -0.365, -1.446, -9.124, 4.414, 8.755)
SEMANTIC_BIAS = -6.275
# Labels: with each weight set, a score (the model's probability x 100) at or above the
# first threshold is the same claim, at or above the second a related one, and under it
# `none`. Both are chosen on the CheckThat! 2021 2B training queries by 5-fold
# cross-validation (benchmarks/claim_match.py --calibrate), on each held-out query and its
# negative (the query with its true claims taken out of the candidates, as a sentence that
# repeats nothing looks to the ranker), from each one's best candidate: `same` where
# SAME_PRECISION of the best candidates scoring that much are the checked claim, `related`
# where NONE_SHARE of the negatives score less. Most sentences of the news repeat no
# checked claim, so `related` is set by how rarely it fires on them, not by its F1 on a
# half-and-half mix, which flagged one unrelated news sentence in five. The negatives are
# hard ones (a tweet about the very subject of a checked claim, its claim taken away), so
# 90% of them answered none stands for a far larger share of ordinary news sentences.
SAME_PRECISION = 0.9
NONE_SHARE = 0.9
LEXICAL_THRESHOLDS = (93.8, 46.4)
SEMANTIC_THRESHOLDS = (98.9, 53.7)
BM25_K1, BM25_B = 1.2, 0.75
# A statement dated more than this many days after the claim cannot be an earlier verdict of it.
LATER_SLACK_DAYS = 1


def match_claim(
    text: str,
    candidates: Iterable[Statement],
    *,
    limit: int = 5,
    speaker: str | None = None,
    date: datetime.date | None = None,
    evidence: dict[int, ClaimEvidence] | None = None,
    document_counts: Callable[[list[str]], dict[str, float]] | None = None,
    total: int | None = None,
    same_speaker: Callable[[str, str], bool] | None = None,
) -> MatchResult:
    """Rank candidate statements that state the same claim as `text` (a paraphrase).

    `evidence` maps a candidate's position in `candidates` to its `ClaimEvidence`;
    `document_counts(terms)` gives how many stored statements hold each term and `total`
    how many there are (BM25's idf); without them the candidates themselves are the
    collection. Labels: `same`, `related` or `none` from the weight set's thresholds
    (`claim_label`); candidates under the `related` threshold stay in the ranking, labelled
    `none` (the contract lets a claim match say so), so that the ranking does not depend on
    the thresholds. Best first (by the ranker's score), at most `limit`; the result's label
    is the best match's, so "none" when no candidate reaches `related`. A match is flagged
    `numbers_differ` when the two texts state comparable quantities that disagree
    (`text.quantities.numbers_differ`: an amount against an amount, a year against a
    year, never an amount against a year).
    """
    statements = list(candidates)
    if not statements or not _claim_terms(text):
        return MatchResult("none", [])
    rows = claim_features(
        text, statements, speaker=speaker, date=date, evidence=evidence or {},
        document_counts=document_counts, total=total, same_speaker=same_speaker or same_person,
    )
    semantic = any(e.similarity is not None for e in (evidence or {}).values())
    weights, bias, thresholds = (
        (SEMANTIC_WEIGHTS, SEMANTIC_BIAS, SEMANTIC_THRESHOLDS) if semantic
        else (LEXICAL_WEIGHTS, LEXICAL_BIAS, LEXICAL_THRESHOLDS)
    )
    scored = sorted(((claim_score(features, weights, bias), statement, features)
                     for statement, features in zip(statements, rows)), key=lambda m: -m[0])
    ranked = [
        Match(statement, score, claim_label(score, thresholds),
              flags=["numbers_differ"] if numbers_differ(text, statement.text) else [],
              reasons=_claim_reasons(text, statement, features))
        for score, statement, features in scored[:limit]
    ]
    return MatchResult(ranked[0].label if ranked else "none", ranked)


def claim_score(features: list[float], weights: tuple[float, ...], bias: float) -> float:
    """The ranker's score (0-100) of one row of CLAIM_FEATURES: its logistic probability x 100."""
    z = bias + sum(w * f for w, f in zip(weights, features))
    return 100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def claim_label(score: float, thresholds: tuple[float, float]) -> str:
    """`same`, `related` or `none` for a ranker's score and its (same, related) thresholds."""
    same, related = thresholds
    return "same" if score >= same else "related" if score >= related else "none"


def claim_features(
    text: str,
    statements: list[Statement],
    *,
    speaker: str | None = None,
    date: datetime.date | None = None,
    evidence: dict[int, ClaimEvidence] | None = None,
    document_counts: Callable[[list[str]], dict[str, float]] | None = None,
    total: int | None = None,
    same_speaker: Callable[[str, str], bool] = None,
) -> list[list[float]]:
    """One row of CLAIM_FEATURES per statement (see match_claim for the arguments)."""
    evidence = evidence or {}
    same_speaker = same_speaker or same_person
    query = _bm25_terms(text)
    docs = [_bm25_terms(s.text) for s in statements]
    titles = [_bm25_terms(evidence.get(i, ClaimEvidence()).title or "") for i in range(len(statements))]
    surface = sorted({w for w in query.values()})
    if document_counts is not None and total:
        counts, n = document_counts(surface), total
    else:
        counts = Counter(w for d in docs for w in set(d.values()))
        n = len(statements)
    idf = {term: math.log(1 + (n - counts.get(w, 0) + 0.5) / (counts.get(w, 0) + 0.5)) for term, w in query.items()}
    text_scores = _bm25(idf, [list(d) for d in docs])
    title_scores = _bm25(idf, [list(t) for t in titles])
    both_scores = _bm25(idf, [list(d) + list(t) for d, t in zip(docs, titles)])
    top = max(both_scores) or 1.0
    top_text = max(text_scores) or 1.0
    top_title = max(title_scores) or 1.0
    similarities = [e.similarity for e in evidence.values() if e.similarity is not None]
    top_similarity = max(similarities) if similarities else 0.0
    rows = []
    for i, statement in enumerate(statements):
        found = evidence.get(i, ClaimEvidence())
        days = (date - statement.date).days if date and statement.date else None
        overlap, _ = claim_similarity(text, statement.text)
        rows.append([
            both_scores[i] / top,
            text_scores[i] / top_text,
            title_scores[i] / top_title,
            both_scores[i] / 10.0,
            overlap / 100.0,
            1.0 if speaker and statement.speaker and same_speaker(speaker, statement.speaker) else 0.0,
            math.log1p(max(days, 0)) if days is not None else 0.0,
            1.0 if days is None else 0.0,
            1.0 if days is not None and days < -LATER_SLACK_DAYS else 0.0,
            found.similarity or 0.0,
            ((found.similarity or 0.0) - top_similarity) if similarities else 0.0,
        ])
    return rows


def _bm25_terms(text: str) -> dict[str, str]:
    """{stem: surface word} for the content words of `text`, in order (repeats kept by
    stem). The dict is shared (memoised): read it, never change it."""
    return _BM25_TERMS[text]


def _read_bm25_terms(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for word in WORD.findall(normalize(text)):
        if word not in CLAIM_STOPWORDS:
            out.setdefault(stem(word), word)
    return out


# The candidates of an article's claims overlap (they share its topic), and many share a
# source title: each text is read once, as `_CLAIM_TERMS` reads it for the overlap.
_BM25_TERMS = Memo(_read_bm25_terms, limit=100_000)


def _bm25(idf: dict[str, float], docs: list[list[str]]) -> list[float]:
    lengths = [len(d) for d in docs]
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    average = average or 1.0
    scores = []
    for doc, length in zip(docs, lengths):
        tf = Counter(doc)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * length / average)
        scores.append(sum(idf[t] * tf[t] * (BM25_K1 + 1) / (tf[t] + norm) for t in idf if t in tf))
    return scores


def _claim_reasons(text: str, statement: Statement, features: list[float]) -> list[str]:
    _, reasons = claim_similarity(text, statement.text)
    named = dict(zip(CLAIM_FEATURES, features))
    if named["same_speaker"]:
        reasons.append(f"same speaker: {statement.speaker}")
    if named["similarity"]:
        reasons.append(f"meaning similarity {named['similarity']:.2f}")
    if named["later"]:
        reasons.append("dated after the claim")
    return reasons


def claim_similarity(claim: str, statement: str) -> tuple[float, list[str]]:
    """How strongly `statement` states the same claim as `claim`: 0-100, with reasons.

    The overlap of the two texts' content words (CLAIM_STOPWORDS left out, stemmed by
    Snowball; the shared count over the geometric mean of the two counts), blended with
    rapidfuzz's token-set ratio, then adjusted for number agreement. It is one feature
    of the ranker (`overlap`) and gives the reasons shown beside a match.
    """
    a, b = _claim_terms(claim), _claim_terms(statement)
    if not a or not b:
        return 0.0, []
    shared = a & b
    overlap = 100 * len(shared) / math.sqrt(len(a) * len(b))
    score = 0.8 * overlap + 0.2 * fuzz.token_set_ratio(" ".join(sorted(a)), " ".join(sorted(b)))
    reasons = [f"shared words: {', '.join(sorted(shared)[:10])}"] if shared else []
    same = same_quantities(claim, statement)
    differ = numbers_differ(claim, statement)
    if same:
        score += SAME_NUMBER_BONUS
        reasons.append(f"same number: {', '.join(dict.fromkeys(q.text for q in same))}")
    elif differ:
        score -= OTHER_NUMBER_PENALTY
        reasons.append(
            f"numbers differ: {', '.join(dict.fromkeys(a.text for a, _ in differ))}"
            f" vs {', '.join(dict.fromkeys(b.text for _, b in differ))}"
        )
    return max(0.0, min(100.0, score)), reasons


def _claim_words(text: str) -> list[str]:
    return [k for k in (strip_punctuation(w) for w in normalize(text).split()) if k]


def _claim_terms(text: str) -> frozenset[str]:
    return _CLAIM_TERMS[text]


# The claim's terms are compared with each of its candidates': read once a text.
_CLAIM_TERMS = Memo(lambda text: frozenset(stem(k) for k in _claim_words(text) if k not in CLAIM_STOPWORDS), limit=100_000)
