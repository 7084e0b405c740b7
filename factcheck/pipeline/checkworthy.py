"""Check-worthiness: how likely a sentence is a factual claim worth checking.

The model is a logistic regression trained by `python -m factcheck.training.train_checkworthy`
on 22,501 sentences of US presidential debates labelled by ClaimBuster's crowd (a sentence
is check-worthy when it states a fact the public would want checked) and on the first 40
debates of CheckThat! 2020 Task 5 (see docs/checkworthiness-experiments.md). It reads the
sentence alone:

* the rule cues of `claim_cues.read_cues` (claim kinds, non-claim cues, names, digits,
  units, length), which also give the visible reasons (`kinds`);
* the word uni-, bi- and trigrams, and the character 2- to 5-grams of each word, each family
  weighted by TF-IDF (log term frequency, L2-normalised) and hashed into 2**bits buckets,
  so that only numbers ship: no text of the data.

`score` is the model's probability (0-1): of ClaimBuster's sentences, about that share of
those scored so are check-worthy. `checkworthy` is `score >= threshold`, the threshold
chosen by cross-validation on the training sentences (the F1 of the check-worthy class).

For articles, `assess` also gives `claim`: whether a news sentence states a claim at all
(check-worthy or not), the rules' log-odds plus the model's, which `claims.find_claims`
reads to decide what to report.
"""
from __future__ import annotations

import json
import math
import zlib
from array import array
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from factcheck.pipeline.claim_cues import NAMED_FEATURES, Reading, read_cues, rules
from factcheck.pipeline.text.memo import Memo

MODEL_FILE = Path(__file__).with_name("checkworthy_model.json")
# The bucket tables (float32, little-endian): per family, each bucket's IDF, then its weight.
TABLES_FILE = MODEL_FILE.with_suffix(".bin")
FAMILIES = ("words", "chars")

# `claim` in articles: the rules' log-odds + ARTICLE_MODEL_WEIGHT * the model's log-odds
# above its threshold + ARTICLE_SHIFT, a claim from 0 up. The weight and shift put the line
# midway between the fictional claims and non-claims of tests/pipeline/test_claims.py and the
# shared sample's gold (checked there); retraining the model may call for a new shift.
ARTICLE_MODEL_WEIGHT = 0.5
ARTICLE_SHIFT = 0.75


class Assessment(NamedTuple):
    score: float  # the model's probability that the sentence is a check-worthy claim
    checkworthy: bool  # score at or above the model's threshold
    kinds: list[str]  # the visible reasons; none when non-claim cues make it opinion or mood
    claim: float  # articles: log-odds that a news sentence states a claim (from 0 up)


def word_grams(words: list[str]) -> list[str]:
    """The word uni-, bi- and trigrams of a sentence, its edges marked "<s>" and "</s>"."""
    padded = ["<s>", *words, "</s>"]
    grams = list(words)
    grams += [f"{a} {b}" for a, b in zip(padded, padded[1:])]
    grams += [f"{a} {b} {c}" for a, b, c in zip(padded, padded[1:], padded[2:])]
    return grams


def char_grams(word: str) -> list[str]:
    """The character 2- to 5-grams of one word, padded with a space at each end."""
    padded = f" {word} "
    return [padded[i:i + n] for n in (2, 3, 4, 5) for i in range(len(padded) - n + 1)]


def bucket(gram: str, bits: int) -> int:
    """The hash bucket of an n-gram: CRC-32 of its text (stable across runs and machines)."""
    return zlib.crc32(gram.encode("utf-8")) & ((1 << bits) - 1)


class Features(NamedTuple):
    named: list[str]  # the reading's named features, in NAMED_FEATURES order
    words: dict[int, int]  # bucket -> count of the word n-grams in it
    chars: dict[int, int]  # bucket -> count of the character n-grams in it


def features(reading: Reading, bits: int) -> Features:
    """What the model reads in a sentence."""
    return Features(
        [f for f in NAMED_FEATURES if f in reading.features],
        _counts(bucket(g, bits) for g in word_grams(reading.words)),
        _counts(b for word in reading.words for b in _char_buckets(word, bits)),
    )


@cache
def _char_bucket_memo(bits: int) -> Memo:
    return Memo(lambda word: [bucket(g, bits) for g in char_grams(word)])


def _char_buckets(word: str, bits: int) -> list[int]:
    return _char_bucket_memo(bits)[word]


def _counts(buckets: Iterable[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for b in buckets:
        counts[b] = counts.get(b, 0) + 1
    return counts


class Model:
    """A trained model: named weights, per-family bucket IDF and weights, bias, threshold."""

    def __init__(self, about: dict, tables: bytes):
        self.bits = about["bits"]
        self.bias = about["bias"]
        self.threshold = about["threshold"]
        self.named = about["named"]
        size = 1 << self.bits
        numbers = array("f")
        numbers.frombytes(tables)
        if len(numbers) != 2 * size * len(FAMILIES):
            raise ValueError(f"{TABLES_FILE.name}: expected {2 * size * len(FAMILIES)} numbers, found {len(numbers)}")
        # Per family: (IDF by bucket, weight by bucket), as lists: faster to index than arrays.
        self.tables = {
            family: (numbers[(2 * k) * size:(2 * k + 1) * size].tolist(),
                     numbers[(2 * k + 1) * size:(2 * k + 2) * size].tolist())
            for k, family in enumerate(FAMILIES)
        }
        self.threshold_logit = math.log(self.threshold / (1 - self.threshold))

    def logit(self, found: Features) -> float:
        """The model's log-odds that the sentence is check-worthy."""
        total = self.bias + sum(self.named.get(f, 0.0) for f in found.named)
        for family, counts in zip(FAMILIES, (found.words, found.chars)):
            idf, weight = self.tables[family]
            norm = dot = 0.0
            for b, count in counts.items():
                value = (1.0 + math.log(count)) * idf[b]
                norm += value * value
                dot += value * weight[b]
            if norm:
                total += dot / math.sqrt(norm)
        return total


@cache
def model() -> Model:
    return Model(json.loads(MODEL_FILE.read_text(encoding="utf-8")), TABLES_FILE.read_bytes())


def logistic(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))


def assess_reading(reading: Reading) -> Assessment:
    m = model()
    logit = m.logit(features(reading, m.bits))
    found = rules(reading)
    score = logistic(logit)
    checkworthy = logit >= m.threshold_logit
    claim = found.logit + ARTICLE_MODEL_WEIGHT * (logit - m.threshold_logit) + ARTICLE_SHIFT
    # Opinion, mood, rhetoric or a fragment, whatever numbers it mentions, shows no reasons.
    kinds = [] if found.non_claim and not checkworthy and claim < 0 else list(found.kinds)
    return Assessment(score, checkworthy, kinds, claim)


def assess(text: str) -> Assessment:
    """The check-worthiness of one sentence or clause."""
    return assess_reading(read_cues(text))


def score_batch(rows: Iterable[dict]) -> Iterator[dict]:
    """Score `{"id", "text", "speaker"?}` rows; yield `{"id", "score", "checkworthy", "kinds"}`
    in input order. The speaker is not read: the model judges the words."""
    for row in rows:
        a = assess(str(row.get("text") or ""))
        yield {"id": row.get("id"), "score": round(a.score, 6), "checkworthy": a.checkworthy, "kinds": a.kinds}
