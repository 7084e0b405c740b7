"""Check-worthy claims: which sentences (or clauses) of an article state a checkable fact.

The scorer reads a sentence for cues of two sorts, each listed in a lexicon file:

* claim kinds, the visible reasons a sentence is worth checking: a quantity, a
  statistic, a comparison, a date or time, an event (who did what), a cause, an
  attribution to a source, a prediction;
* non-claim cues: opinion, emotion, hedged or imagined statements, scene-setting,
  questions, which a fact-checker cannot rate true or false, and fragments too short
  to state anything.

Two scores are made of them. `rule_logit` adds a fixed, hand-set weight per cue. The
check-worthiness model (`score_sentence`, `score_batch`, the `checkworthy` command) is a
logistic regression trained on political debates (CheckThat! 2020 Task 5) over these
cues, the cues of the neighbouring sentences and hashed word uni- and bigrams; its weights
ship in checkworthy_model.json, made by `python -m factcheck.training.train_checkworthy`.
In articles, `claim_score` blends the two (the rules carry what makes a news sentence a
claim, the model what makes it worth checking), and DEFAULT_THRESHOLD (0.5) on it decides
which sentences `find_claims` reports. A sentence that does not reach the threshold because
of non-claim cues reports no kinds: it reads as opinion, mood or rhetoric.

`find_claims` applies the scorer to an article. Quotations (four words or more inside
quotation marks) belong to the quote extractor, so they are cut out first. What remains
of each sentence is cut into clauses (at ";", dashes, and ", " before a dependent clause
such as ", trying to ..."), and each run of neighbouring clauses that reach the threshold
is reported as one claim. A factual sentence is thus reported whole, and a fact followed
by commentary is reported without the commentary.
"""
from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from factcheck.pipeline.lexicons import entries
from factcheck.pipeline.records import Claim
from factcheck.pipeline.sentences import split_sentences

DEFAULT_THRESHOLD = 0.5

KINDS = ("quantity", "statistic", "comparison", "date/time", "event", "causal", "attribution", "prediction")

# Log-odds weights. A sentence with no cue at all scores logistic(_BIAS) ~ 0.22; one solid
# kind (a count, an event) lifts it over 0.5; one opinion or emotion word costs about as
# much as one kind adds, and a question or a hedge costs more.
_BIAS = -1.25
_KIND_WEIGHTS = {
    "quantity": 1.4,
    "statistic": 1.0,
    "comparison": 1.0,
    "date/time": 0.8,
    "event": 1.4,
    "causal": 0.8,
    "attribution": 1.0,
    "prediction": 0.6,
}
# A fragment (fewer than _MIN_WORDS words, such as a byline "Paul Riverbank, 12/5/2025")
# is too short to state a claim.
_CUE_WEIGHTS = {"opinion": -1.2, "emotion": -1.0, "hedge": -1.5, "scene": -1.0, "question": -2.5, "fragment": -2.0}
_MIN_WORDS = 5
# A capitalised word inside the sentence (a person, place, body) makes a fact specific.
_ENTITY_WEIGHT = 0.3

# A quotation of fewer words is a scare quote or a title and stays part of the sentence.
_MIN_QUOTATION_WORDS = 4
# Clauses shorter than this ("often untold", "according to officials") join a neighbour.
_MIN_CLAUSE_WORDS = 3


def _phrases(name: str) -> str:
    """A regex alternation of a lexicon's phrases, longest first, white space flexible."""
    phrases = sorted(entries(name), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)


# Words for the lexicons: letters and digits, with an apostrophe inside ("won't"); a hyphen
# or any other mark separates words, so "all-time" is the two words "all time".
_LEX_WORD = re.compile(r"\w+(?:'\w+)*")


class _Lexicon:
    """Whole-word, case-blind matcher of the phrases of a lexicon file.

    A phrase is its words joined by one space; `search` takes the set of a sentence's word
    n-grams (`_grams`), so a look-up in sets does what a regex alternation of the phrases
    would do, many times faster.
    """

    longest = 1  # words in the longest phrase of any lexicon

    def __init__(self, name: str):
        phrases = set()
        for entry in entries(name):
            words = _LEX_WORD.findall(entry.lower().replace("’", "'"))
            if words:
                phrases.add(" ".join(words))
                _Lexicon.longest = max(_Lexicon.longest, len(words))
        self.phrases = frozenset(phrases)

    def search(self, grams: set[str]) -> bool:
        return not self.phrases.isdisjoint(grams)


def _grams(words: list[str]) -> set[str]:
    """The words of a sentence and its word n-grams up to the longest lexicon phrase."""
    grams = set(words)
    for n in range(2, _Lexicon.longest + 1):
        grams.update(map(" ".join, zip(*(words[i:] for i in range(n)))))
    return grams


# Digits other than a bare year or a part of a numeric date, ordinals ("230th"); money.
_NUMBER = re.compile(r"(?<![\w/])(?!(?:1[89]|20)\d\d\b)\d[\d,.]*(?:st|nd|rd|th)?(?![\w/])|[$€£]\s?\d")
_YEAR_OR_DATE = re.compile(r"\b(?:1[89]|20)\d\d(?:s)?\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_PERCENT = re.compile(r"\d\s?%")
# "bigger than", "more patients than" ("rather than" and "other than" compare nothing).
_COMPARATIVE = re.compile(
    r"\b(?!rather\b|other\b)\w+er\s+than\b|\b(?:more|less|fewer)\s+(?:\w+\s+){1,3}?than\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")

# Each kind: its lexicon, and the pattern for what a word list cannot hold (digits, years,
# "-er than"), tried only when the sentence has a digit (or "than" for comparisons).
_KIND_CUES = {
    "quantity": (_Lexicon("claims_quantity"), _NUMBER),
    "statistic": (_Lexicon("claims_statistic"), _PERCENT),
    "comparison": (_Lexicon("claims_comparison"), _COMPARATIVE),
    "date/time": (_Lexicon("claims_date_time"), _YEAR_OR_DATE),
    "event": (_Lexicon("claims_event"), None),
    "causal": (_Lexicon("claims_causal"), None),
    "attribution": (_Lexicon("claims_attribution"), None),
    "prediction": (_Lexicon("claims_prediction"), None),
}
_NON_CLAIM_CUES = {
    "opinion": _Lexicon("claims_opinion"),
    "emotion": _Lexicon("claims_emotion"),
    "hedge": _Lexicon("claims_hedge"),
    "scene": _Lexicon("claims_scene"),
}
_QUESTION = re.compile(r"\?[\"”’']*\s*$")
# A capitalised word (or an acronym) that does not open the sentence or a quotation.
_ENTITY = re.compile(r"(?<=[^\s.!?\"“‘(]\s)[A-Z](?:[a-z]|[A-Z]+\b)")
# A word, a number ("20,000", "3.5") or a date ("12/5/2025") counts once.
_WORD = re.compile(r"\w(?:[\w/.,'’-]*\w)?")

_CLAUSE_BREAK = re.compile(
    r"\s*[;—]\s*"  # semicolons and em dashes
    r"|\s+(?:–|--?)\s+"  # spaced en dashes and hyphens used as dashes
    r"|,\s+(?=(?:" + _phrases("claims_clause_openers") + r")\b)"  # ", which", ", but"
    r"|,\s+(?=(?!(?:" + _phrases("claims_not_participles") + r")\b)[a-z]+ing\b)"  # ", trying to"
    r"|,\s+(?=[a-z]+ed\s+by\b)"  # ", marked by"
)
# Punctuation left at the edges of a clause once the text around it is cut away.
_EDGE_PUNCTUATION = " \t\r\n,;:—–-"


class Reading(NamedTuple):
    """What the rules read in one sentence: claim kinds, non-claim cues, size, names."""

    kinds: list[str]  # in KINDS order
    cues: list[str]  # opinion, emotion, hedge, scene, question, fragment
    words: list[str]  # the sentence's words, lower-cased, for the lexicons and the model
    entity: bool  # a capitalised word inside the sentence


def read_cues(text: str) -> Reading:
    """The rule cues of one sentence (the model's named features, and the visible reasons)."""
    folded = text.replace("’", "'")  # one apostrophe for the lexicons ("won't")
    words = _LEX_WORD.findall(folded.lower())
    grams = _grams(words)
    digits = _DIGIT.search(folded) is not None
    kinds = []
    for kind in KINDS:
        lexicon, pattern = _KIND_CUES[kind]
        if lexicon.search(grams):
            kinds.append(kind)
        elif pattern is not None and (digits or (kind == "comparison" and "than" in words)) \
                and pattern.search(folded):
            kinds.append(kind)
    cues = [cue for cue, lexicon in _NON_CLAIM_CUES.items() if lexicon.search(grams)]
    if _QUESTION.search(folded):
        cues.append("question")
    if _word_count(text, 0, len(text)) < _MIN_WORDS:
        cues.append("fragment")
    return Reading(kinds, cues, words, _ENTITY.search(text) is not None)


def rule_logit(reading: Reading) -> float:
    """The hand-set log-odds of the rules for a reading."""
    logit = _BIAS + sum(_KIND_WEIGHTS[k] for k in reading.kinds) + sum(_CUE_WEIGHTS[c] for c in reading.cues)
    return logit + _ENTITY_WEIGHT if reading.entity else logit


# -- the trained model -------------------------------------------------------------------------
#
# A logistic regression over two sorts of features of a sentence, trained on the first 40
# debates of CheckThat! 2020 Task 5 by `python -m factcheck.training.train_checkworthy`:
#
# * named features: the rule cues above (each kind and non-claim cue, a capitalised name,
#   the sentence's length in bands, digits, units, superlatives, first-person words), and
#   the kinds and cues of the sentences before and after it when the caller gives them;
# * the sentence's words and word pairs, lower-cased with digits folded to "0", hashed
#   into 2**bits buckets (only weights ship: no text of the debates).
#
# `score_sentence` and `score_batch` (the `checkworthy` command) score by the model alone;
# `find_claims` decides claims in articles by `claim_score`, the model blended with the rules.

# `claim_score` (articles): rules + ARTICLE_MODEL_WEIGHT * (model - its mean on debates) +
# ARTICLE_SHIFT. The weight and the shift put DEFAULT_THRESHOLD midway between the fictional
# claims and non-claims of tests/pipeline/test_claims.py and the shared sample's gold
# (checked there); retraining the model may call for a new shift.
ARTICLE_MODEL_WEIGHT = 0.5
ARTICLE_SHIFT = 0.30
MODEL_FILE = Path(__file__).with_name("checkworthy_model.json")
_UNIT = frozenset(("percent", "million", "billion", "trillion", "thousand", "hundred", "dollars", "dollar", "%", "$"))
_SUPERLATIVE = re.compile(r"\b(?:\w+est|most|least|first|last|only|never|ever|history|record|biggest|largest|highest|lowest|worst|best)\b")
_FIRST_PERSON = frozenset(("i", "i'm", "i've", "i'd", "i'll", "me", "my", "we", "we're", "we've", "our", "us"))


def named_features(reading: Reading, text: str, prefix: str = "") -> list[str]:
    """The named features of one sentence's reading (`prefix` marks a neighbour's)."""
    feats = [prefix + "kind:" + k for k in reading.kinds] + [prefix + "cue:" + c for c in reading.cues]
    if reading.entity:
        feats.append(prefix + "entity")
    if prefix:
        return feats
    n = len(reading.words)
    feats.append("len:" + str(min(n // 5, 8)))
    if _DIGIT.search(text):
        feats.append("digit")
    if not _UNIT.isdisjoint(reading.words) or "%" in text or "$" in text:
        feats.append("unit")
    if _SUPERLATIVE.search(" ".join(reading.words)):
        feats.append("superlative")
    if not _FIRST_PERSON.isdisjoint(reading.words):
        feats.append("first_person")
    return feats


def ngram_features(reading: Reading) -> list[str]:
    """The sentence's words and word pairs, digits folded ("20,000" is "0 0")."""
    words = [w if w.isalpha() else _DIGITS.sub("0", w) for w in reading.words]
    padded = ["<s>", *words, "</s>"]
    return words + [a + " " + b for a, b in zip(padded, padded[1:])]


_DIGITS = re.compile(r"\d+")


def bucket(feature: str, bits: int) -> int:
    """The hash bucket of an n-gram feature: CRC-32 (stable across runs and machines)."""
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


def sentence_features(readings: list[Reading], texts: list[str], i: int, context: bool = True) -> tuple[list[str], list[str]]:
    """Named and n-gram features of sentence `i` of a run of sentences (its neighbours are context)."""
    named = named_features(readings[i], texts[i])
    if context:
        if i > 0:
            named += named_features(readings[i - 1], texts[i - 1], "prev:")
        if i + 1 < len(readings):
            named += named_features(readings[i + 1], texts[i + 1], "next:")
    return named, ngram_features(readings[i])


class _Model:
    """The shipped weights, read once."""

    def __init__(self, path: Path):
        data = json.loads(path.read_text(encoding="utf-8"))
        self.bits = data["bits"]
        self.context = data["context"]
        self.bias = data["bias"]
        self.center = data["center"]
        self.named = data["named"]
        self.hashed = {int(k): v for k, v in data["hashed"].items()}
        self._gram_weights: dict[str, float] = {}  # n-gram -> weight, filled as n-grams come

    def _gram_weight(self, gram: str) -> float:
        w = self._gram_weights.get(gram)
        if w is None:
            if len(self._gram_weights) > 500_000:
                self._gram_weights.clear()
            w = self._gram_weights[gram] = self.hashed.get(bucket(gram, self.bits), 0.0)
        return w

    def partials(self, reading: Reading, text: str) -> tuple[float, float, float]:
        """A sentence's own log-odds, and what it adds to the sentence after it (as that
        sentence's "prev:" context) and to the sentence before it (as "next:")."""
        named = self.named
        own = self.bias + sum(named.get(f, 0.0) for f in named_features(reading, text))
        own += sum(self._gram_weight(g) for g in set(ngram_features(reading)))
        if not self.context:
            return own, 0.0, 0.0
        plain = named_features(reading, text, "_")
        as_prev = sum(named.get("prev:" + f[1:], 0.0) for f in plain)
        as_next = sum(named.get("next:" + f[1:], 0.0) for f in plain)
        return own, as_prev, as_next


@cache
def model() -> _Model:
    return _Model(MODEL_FILE)


def _article_logit(reading: Reading, model_logit: float) -> float:
    m = model()
    return ARTICLE_MODEL_WEIGHT * (model_logit - m.center) + ARTICLE_SHIFT + rule_logit(reading)


def _logistic(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))


def _kinds(reading: Reading, model_logit: float) -> list[str]:
    """The visible reasons: the kinds read, none when non-claim cues keep it from being a claim."""
    if reading.cues and _logistic(_article_logit(reading, model_logit)) < DEFAULT_THRESHOLD:
        return []  # opinion, mood, rhetoric or a fragment, whatever numbers it mentions
    return reading.kinds


def score_sentence(text: str, speaker: str | None = None) -> tuple[float, list[str]]:
    """Check-worthiness of one sentence on its own by the model: a score in 0..1 (for
    ranking: a debate has about one check-worthy sentence in 90) and the claim kinds found.

    `speaker` is accepted for the batch interface and not used: the scorer reads the words.
    """
    reading = read_cues(text)
    logit = model().partials(reading, text)[0]
    return _logistic(logit), _kinds(reading, logit)


def claim_score(text: str) -> tuple[float, list[str]]:
    """Whether a sentence or clause of an article states a claim: a score in 0..1 (a claim
    from DEFAULT_THRESHOLD up) and the claim kinds found.

    The model's log-odds relative to the average debate sentence, half-weighted, plus the
    rules' log-odds. The model ranks what speakers say by how worth checking it is; the
    rules add what makes a news sentence a claim at all (an event, a source), and keep
    opinion, mood and scene-setting out.
    """
    reading = read_cues(text)
    logit = model().partials(reading, text)[0]
    return _logistic(_article_logit(reading, logit)), _kinds(reading, logit)


def score_batch(rows: Iterable[dict]) -> Iterator[dict]:
    """Score `{"id", "text", "speaker"?}` rows; yield `{"id", "score", "kinds"}` in input order.

    Each row is scored with the rows just before and after it as context (a transcript's
    neighbouring sentences), so rows are read one ahead.
    """
    m = model()
    pending = None  # (row, reading, own log-odds, + the previous row's context), a row behind
    as_prev = 0.0  # the context the last row read gives the row after it
    for row in rows:
        text = str(row.get("text") or "")
        reading = read_cues(text)
        own, this_as_prev, this_as_next = m.partials(reading, text)
        if pending is not None:
            prow, preading, pown, plogit = pending
            yield {"id": prow["id"], "score": round(_logistic(plogit + this_as_next), 6),
                   "kinds": _kinds(preading, pown)}
        pending = (row, reading, own, own + as_prev)
        as_prev = this_as_prev
    if pending is not None:
        prow, preading, pown, plogit = pending
        yield {"id": prow["id"], "score": round(_logistic(plogit), 6), "kinds": _kinds(preading, pown)}


def find_claims(text: str, threshold: float | None = None) -> list[Claim]:
    """The sentences or clauses of `text` that score at or above `threshold`, in text order.

    `threshold` defaults to DEFAULT_THRESHOLD. Offsets index `text`; quoted words are
    never part of a claim.
    """
    if threshold is None:
        threshold = DEFAULT_THRESHOLD
    quotations = _quotations(text)
    claims = []
    for start, end in split_sentences(text):
        if _is_heading(text, start, end):
            continue
        for part_start, part_end in _outside(quotations, start, end):
            claims.extend(_claims_in_clauses(text, _clauses(text, part_start, part_end), threshold))
    return claims


def _is_heading(text: str, start: int, end: int) -> bool:
    """True for a whole line without final punctuation: a headline, not a sentence.

    A headline compresses what the article's first sentences state in full, and those
    sentences are the claims to report.
    """
    whole_line = text[start - 1:start] in ("", "\n") and text[end:end + 1] in ("", "\n")
    return whole_line and text[end - 1] not in ".!?…\"”’'"


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans of quotations, quotation marks included, of at least _MIN_QUOTATION_WORDS words.

    Curly marks pair as opened and closed; straight double quotes alternate. A quotation
    still open at the end of a paragraph runs to the end of it (the newsroom convention
    for quotes that continue in the next paragraph).
    """
    spans = []
    for paragraph in re.finditer(r"[^\n]+", text):
        opened = None
        for i, ch in enumerate(paragraph.group(), paragraph.start()):
            if opened is None and ch in "“\"«":
                opened = i
            elif opened is not None and ch in "”\"»":
                spans.append((opened, i + 1))
                opened = None
        if opened is not None:
            spans.append((opened, paragraph.end()))
    return [(s, e) for s, e in spans if _word_count(text, s, e) >= _MIN_QUOTATION_WORDS]


def _outside(spans: list[tuple[int, int]], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The stretches of `start..end` that no span in `spans` (sorted) covers."""
    for s, e in spans:
        if e <= start or s >= end:
            continue
        if s > start:
            yield start, s
        start = max(start, e)
    if start < end:
        yield start, end


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of `text[start:end]`, edge punctuation trimmed, short ones joined."""
    pieces, at = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        pieces.append((at, m.start()))
        at = m.end()
    pieces.append((at, end))
    pieces = [span for span in (_trim(text, s, e) for s, e in pieces) if span]
    clauses: list[tuple[int, int]] = []
    for s, e in pieces:
        # A short piece joins the clause before it ("the stories—often untold"), and a
        # short opening piece joins the one after it ("In 2019, the plant ...").
        if clauses and min(_word_count(text, s, e), _word_count(text, *clauses[-1])) < _MIN_CLAUSE_WORDS:
            clauses[-1] = (clauses[-1][0], e)
        else:
            clauses.append((s, e))
    return clauses


def _word_count(text: str, start: int, end: int) -> int:
    """Words in `text[start:end]`, a number or a date counting as one."""
    return len(_WORD.findall(text, start, end))


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`(start, end)` without white space and clause punctuation at its edges."""
    while start < end and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCTUATION:
        end -= 1
    return (start, end) if _WORD.search(text, start, end) else None


def _claims_in_clauses(text: str, clauses: list[tuple[int, int]], threshold: float) -> list[Claim]:
    """One claim per run of neighbouring clauses that each reach `threshold`."""
    claims: list[Claim] = []
    joined = False  # whether the previous clause was a claim, so this one extends it
    for start, end in clauses:
        score, kinds = claim_score(text[start:end])
        if score < threshold:
            joined = False
            continue
        if joined:
            last = claims[-1]
            kinds = [k for k in KINDS if k in kinds or k in last.kinds]
            claims[-1] = Claim(text[last.start:end], last.start, end, max(score, last.score), kinds)
        else:
            claims.append(Claim(text[start:end], start, end, score, kinds))
        joined = True
    return claims
