"""Check-worthiness: how likely a sentence is a factual claim worth checking.

The model is a logistic regression trained by `python -m factcheck.training.train_checkworthy`
on 22,501 sentences of US presidential debates labelled by ClaimBuster's crowd (a sentence
is check-worthy when it states a fact the public would want checked) and on the first 40
debates of CheckThat! 2020 Task 5 (see docs/checkworthiness-experiments.md). It reads the
sentence alone:

* the rule cues of `claim_cues.read_cues` (claim kinds, non-claim cues, names, digits,
  units, length), which also give the visible reasons (`kinds`);
* the word uni-, bi- and trigrams, and the character 2- to 5-grams of each word, hashed into
  2**bits buckets so that only numbers ship (no text of the data). Each family is weighted by
  TF-IDF: every occurrence of an n-gram adds its bucket's IDF, and the family's vector is
  divided by the root of the sum of its occurrences' squared IDF. That is the L2 norm when no
  bucket occurs twice, and it splits over words, so that what a word adds is worked out once
  per process (`Model.logit`), however many sentences use it.

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
    return list(words) + [" ".join(gram) for gram in longer_word_grams(words)]


def longer_word_grams(words: list[str]) -> list[tuple[str, ...]]:
    """The word bi- and trigrams of a sentence, as tuples of words, edges marked."""
    padded = ["<s>", *words, "</s>"]
    return [*zip(padded, padded[1:]), *zip(padded, padded[1:], padded[2:])]


def char_grams(word: str) -> list[str]:
    """The character 2- to 5-grams of one word, padded with a space at each end."""
    padded = f" {word} "
    return [padded[i:i + n] for n in (2, 3, 4, 5) for i in range(len(padded) - n + 1)]


def bucket(gram: str, bits: int) -> int:
    """The hash bucket of an n-gram: CRC-32 of its text (stable across runs and machines)."""
    return zlib.crc32(gram.encode("utf-8")) & ((1 << bits) - 1)


class Features(NamedTuple):
    """What training reads of a sentence (scoring reads the same, word by word)."""

    named: list[str]  # the reading's named features, in NAMED_FEATURES order
    words: dict[int, int]  # bucket -> occurrences of the word n-grams in it
    chars: dict[int, int]  # bucket -> occurrences of the character n-grams in it


def features(reading: Reading, bits: int) -> Features:
    return Features(
        [f for f in NAMED_FEATURES if f in reading.features],
        _counts(bucket(g, bits) for g in word_grams(reading.words)),
        _counts(bucket(g, bits) for word in reading.words for g in char_grams(word)),
    )


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
        self.idf, self.weights = {}, {}
        for k, family in enumerate(FAMILIES):
            self.idf[family] = numbers[(2 * k) * size:(2 * k + 1) * size].tolist()
            self.weights[family] = numbers[(2 * k + 1) * size:(2 * k + 2) * size].tolist()
        self.threshold_logit = math.log(self.threshold / (1 - self.threshold))
        # What one n-gram occurrence adds: (IDF x weight, IDF squared), for the dot product
        # with the weights and the norm. A word adds its unigram's and its character
        # n-grams' (_word_parts), worked out once a process; so are the longer n-grams.
        self._word_parts = Memo(self._word_part)
        self._gram_parts = Memo(lambda gram: self._part("words", " ".join(gram)))
        self._named = Memo(lambda found: self.bias + sum(self.named.get(f, 0.0) for f in NAMED_FEATURES if f in found))

    def _part(self, family: str, gram: str) -> tuple[float, float]:
        b = bucket(gram, self.bits)
        idf = self.idf[family][b]
        return idf * self.weights[family][b], idf * idf

    def _word_part(self, word: str) -> tuple[float, float, float, float]:
        dot, square = self._part("words", word)
        char_dot = char_square = 0.0
        for gram in char_grams(word):
            d, q = self._part("chars", gram)
            char_dot += d
            char_square += q
        return dot, square, char_dot, char_square

    def logit(self, reading: Reading) -> float:
        """The model's log-odds that the sentence is check-worthy."""
        word_dot = word_square = char_dot = char_square = 0.0
        for word in reading.words:
            d, q, cd, cq = self._word_parts[word]
            word_dot += d
            word_square += q
            char_dot += cd
            char_square += cq
        for gram in longer_word_grams(reading.words):
            d, q = self._gram_parts[gram]
            word_dot += d
            word_square += q
        total = self._named[reading.features] + word_dot / math.sqrt(word_square)
        return total + char_dot / math.sqrt(char_square) if char_square else total


@cache
def model() -> Model:
    return Model(json.loads(MODEL_FILE.read_text(encoding="utf-8")), TABLES_FILE.read_bytes())


def logistic(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))


def assess_reading(reading: Reading) -> Assessment:
    m = model()
    logit = m.logit(reading)
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
