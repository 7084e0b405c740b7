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
from itertools import repeat
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


class _Lexicons:
    """Whole-word, case-blind matcher of the phrases of several lexicon files at once.

    One-word phrases are found by one set intersection with a sentence's words, longer
    phrases by one with its word pairs (then, for three words or more, word by word).
    """

    def __init__(self, files: dict[str, str]):
        """`files` maps a label (a kind, a cue) to the lexicon file of its phrases."""
        self.by_word: dict[str, set[str]] = {}  # one-word phrase -> its labels
        self.by_pair: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first two words -> (phrase, label)
        for label, name in files.items():
            for entry in entries(name):
                words = tuple(_LEX_WORD.findall(entry.lower().replace("’", "'")))
                if len(words) == 1:
                    self.by_word.setdefault(words[0], set()).add(label)
                elif words:
                    self.by_pair.setdefault(" ".join(words[:2]), []).append((words, label))
        self.words = frozenset(self.by_word)
        self.pairs = frozenset(self.by_pair)

    def found(self, words: list[str], pairs: list[str]) -> set[str]:
        """The labels with a phrase in a sentence of `words` and word `pairs`."""
        labels: set[str] = set()
        for word in self.words.intersection(words):
            labels.update(self.by_word[word])
        for pair in self.pairs.intersection(pairs):
            for phrase, label in self.by_pair[pair]:
                if len(phrase) == 2 or _occurs(phrase, words):
                    labels.add(label)
        return labels


def _occurs(phrase: tuple[str, ...], words: list[str]) -> bool:
    """Whether the words of `phrase` occur in a row in `words` (its first word is there)."""
    at = words.index(phrase[0])
    while True:
        if tuple(words[at:at + len(phrase)]) == phrase:
            return True
        try:
            at = words.index(phrase[0], at + 1)
        except ValueError:
            return False


# Digits other than a bare year or a part of a numeric date, ordinals ("230th"); money.
_NUMBER = re.compile(r"(?<![\w/])(?!(?:1[89]|20)\d\d\b)\d[\d,.]*(?:st|nd|rd|th)?(?![\w/])|[$€£]\s?\d")
_YEAR_OR_DATE = re.compile(r"\b(?:1[89]|20)\d\d(?:s)?\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
_PERCENT = re.compile(r"\d\s?%")
# "bigger than", "more patients than" ("rather than" and "other than" compare nothing).
_COMPARATIVE = re.compile(
    r"\b(?!rather\b|other\b)\w+er\s+than\b|\b(?:more|less|fewer)\s+(?:\w+\s+){1,3}?than\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")

# The phrases of each kind and non-claim cue, and for some kinds a pattern for what a word
# list cannot hold (digits, years, "-er than"), tried only when the sentence has a digit
# (or "than" for comparisons).
_CUE_LEXICONS = _Lexicons({
    **{kind: "claims_" + kind.replace("/", "_") for kind in KINDS},
    **{cue: "claims_" + cue for cue in ("opinion", "emotion", "hedge", "scene")},
})
_KIND_PATTERNS = {"quantity": _NUMBER, "statistic": _PERCENT, "comparison": _COMPARATIVE, "date/time": _YEAR_OR_DATE}
_NON_CLAIM_CUES = ("opinion", "emotion", "hedge", "scene")
# A capitalised word (or an acronym) that does not open the sentence or a quotation (the
# capital comes first so that the regex engine skips to capitals).
_ENTITY = re.compile(r"[A-Z](?<=[^\s.!?\"“‘(]\s[A-Z])(?:[a-z]|[A-Z]+\b)")
# A word, a number ("20,000", "3.5") or a date ("12/5/2025") counts once.
_WORD = re.compile(r"\w+(?:[/.,'’-]+\w+)*")

# Each pattern opens with the break's own character, so the regex engine skips straight to
# candidates. The white space around a break is trimmed from the clauses afterwards.
_CLAUSE_BREAK = re.compile(
    r"[;—,–-](?:"
    r"(?<=[;—])"  # semicolons and em dashes
    r"|(?<=\s[–-])-?(?=\s)"  # spaced en dashes and hyphens used as dashes
    r"|(?<=,)(?="
    r"\s+(?:" + _phrases("claims_clause_openers") + r")\b"  # ", which", ", but"
    r"|\s+(?!(?:" + _phrases("claims_not_participles") + r")\b)[a-z]+ing\b"  # ", trying to"
    r"|\s+[a-z]+ed\s+by\b))"  # ", marked by"
)
# Punctuation left at the edges of a clause once the text around it is cut away.
_EDGE_PUNCTUATION = " \t\r\n,;:—–-"


class Reading(NamedTuple):
    """What the rules read in one sentence: claim kinds, non-claim cues, size, names."""

    kinds: list[str]  # in KINDS order
    cues: list[str]  # opinion, emotion, hedge, scene, question, fragment
    words: list[str]  # the sentence's words, lower-cased, for the lexicons and the model
    pairs: list[str]  # its pairs of neighbouring words, "w1 w2"
    entity: bool  # a capitalised word inside the sentence
    digits: bool  # a digit anywhere in it


def read_cues(text: str) -> Reading:
    """The rule cues of one sentence (the model's named features, and the visible reasons)."""
    folded = text.replace("’", "'")  # one apostrophe for the lexicons ("won't")
    words = _LEX_WORD.findall(folded.lower())
    pairs = list(map(" ".join, zip(words, words[1:])))
    found = _CUE_LEXICONS.found(words, pairs)
    digits = _DIGIT.search(folded) is not None
    if digits or "than" in words:
        for kind, pattern in _KIND_PATTERNS.items():
            if kind not in found and (("than" in words) if kind == "comparison" else digits) and pattern.search(folded):
                found.add(kind)
    kinds = [kind for kind in KINDS if kind in found]
    cues = [cue for cue in _NON_CLAIM_CUES if cue in found]
    if folded.rstrip().rstrip("\"”’'").endswith("?"):
        cues.append("question")
    if _is_fragment(text, words):
        cues.append("fragment")
    return Reading(kinds, cues, words, pairs, _ENTITY.search(text) is not None, digits)


def _is_fragment(text: str, words: list[str]) -> bool:
    """Fewer than _MIN_WORDS words, a number or a date counting as one.

    The lexicons' words split numbers and dates at their marks, so they are at least as
    many; the exact count is needed only when those marks could bring them under the limit.
    """
    if len(words) - sum(map(text.count, "/.,-’'")) >= _MIN_WORDS:
        return False
    return _word_count(text, 0, len(text)) < _MIN_WORDS


def rule_logit(reading: Reading) -> float:
    """The hand-set log-odds of the rules for a reading."""
    logit = _BIAS + sum(map(_KIND_WEIGHTS.__getitem__, reading.kinds)) + sum(map(_CUE_WEIGHTS.__getitem__, reading.cues))
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
# Superlatives: words ending in "-est" ("biggest"), and these.
_SUPERLATIVE = frozenset(("most", "least", "first", "last", "only", "never", "ever", "history", "record", "worst"))
_FIRST_PERSON = frozenset(("i", "i'm", "i've", "i'd", "i'll", "me", "my", "we", "we're", "we've", "our", "us"))


def named_features(reading: Reading, text: str) -> list[str]:
    """The named features of one sentence's reading: its context features, then its own."""
    feats = context_features(reading)
    feats.append("len:" + str(min(len(reading.words) // 5, 8)))
    if reading.digits:
        feats.append("digit")
    if not _UNIT.isdisjoint(reading.words) or "%" in text or "$" in text:
        feats.append("unit")
    if not _SUPERLATIVE.isdisjoint(reading.words) or "est " in " ".join(reading.words) + " ":
        feats.append("superlative")
    if not _FIRST_PERSON.isdisjoint(reading.words):
        feats.append("first_person")
    return feats


def context_features(reading: Reading) -> list[str]:
    """What a sentence tells about its neighbours: its kinds, cues, and a name."""
    feats = ["kind:" + k for k in reading.kinds] + ["cue:" + c for c in reading.cues]
    if reading.entity:
        feats.append("entity")
    return feats


def ngram_features(reading: Reading) -> list[str]:
    """The sentence's words and word pairs, digits folded ("20,000" is "0 0")."""
    words, pairs = reading.words, reading.pairs
    if not words:
        return ["<s> </s>"]
    if reading.digits:
        words = _DIGITS.sub("0", " ".join(words)).split(" ")
        pairs = list(map(" ".join, zip(words, words[1:])))
    return [*words, "<s> " + words[0], *pairs, words[-1] + " </s>"]


_DIGITS = re.compile(r"\d+")


def bucket(feature: str, bits: int) -> int:
    """The hash bucket of an n-gram feature: CRC-32 (stable across runs and machines)."""
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


def sentence_features(readings: list[Reading], texts: list[str], i: int, context: bool = True) -> tuple[list[str], list[str]]:
    """Named and n-gram features of sentence `i` of a run of sentences (its neighbours are context)."""
    named = named_features(readings[i], texts[i])
    if context:
        if i > 0:
            named += ["prev:" + f for f in context_features(readings[i - 1])]
        if i + 1 < len(readings):
            named += ["next:" + f for f in context_features(readings[i + 1])]
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
        # a neighbour's context feature -> its weight, as the previous and as the next sentence
        self.as_prev = {f[5:]: w for f, w in self.named.items() if f.startswith("prev:")}
        self.as_next = {f[5:]: w for f, w in self.named.items() if f.startswith("next:")}
        self.hashed = {int(k): v for k, v in data["hashed"].items()}
        self._gram_weights: dict[str, float] = {}  # n-gram -> weight, filled as n-grams come

    def _grams_logit(self, grams: set[str]) -> float:
        """The summed weights of distinct n-grams. Each n-gram is hashed once per process,
        then found by name: most words of a text were seen before."""
        cached = self._gram_weights
        weights = list(map(cached.get, grams))
        if None not in weights:
            return sum(weights)
        if len(cached) > 500_000:
            cached.clear()
        for gram in grams:
            if gram not in cached:
                cached[gram] = self.hashed.get(bucket(gram, self.bits), 0.0)
        return sum(map(cached.__getitem__, grams))

    def own_logit(self, reading: Reading, text: str) -> float:
        """A sentence's log-odds without context."""
        named = self.named
        logit = self.bias + sum(map(named.get, named_features(reading, text), repeat(0.0)))
        return logit + self._grams_logit(set(ngram_features(reading)))

    def context_logits(self, reading: Reading) -> tuple[float, float]:
        """What a sentence adds to the log-odds of the sentence after it (as its "prev:"
        context) and of the sentence before it (as "next:")."""
        if not self.context:
            return 0.0, 0.0
        feats = context_features(reading)
        return sum(map(self.as_prev.get, feats, repeat(0.0))), sum(map(self.as_next.get, feats, repeat(0.0)))


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
    logit = model().own_logit(reading, text)
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
    logit = model().own_logit(reading, text)
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
        own = m.own_logit(reading, text)
        this_as_prev, this_as_next = m.context_logits(reading)
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
    opened = None
    for mark in _QUOTATION_MARK.finditer(text):
        ch, at = mark.group(), mark.start()
        if ch == "\n":
            if opened is not None:
                spans.append((opened, at))
            opened = None
        elif opened is None and ch in "“\"«":
            opened = at
        elif opened is not None and ch in "”\"»":
            spans.append((opened, at + 1))
            opened = None
    if opened is not None:
        spans.append((opened, len(text)))
    return [(s, e) for s, e in spans if _word_count(text, s, e) >= _MIN_QUOTATION_WORDS]


_QUOTATION_MARK = re.compile("[“”\"«»\n]")


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
    if not _CLAUSE_BREAK.search(text, start, end):
        start, end = _trim(text, start, end)  # one clause: most sentences
        return [(start, end)] if _WORD.search(text, start, end) else []
    pieces, at = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        pieces.append(_trim(text, at, m.start()))
        at = m.end()
    pieces.append(_trim(text, at, end))
    clauses: list[tuple[int, int]] = []
    words: list[int] = []  # each clause's word count (counts add up: breaks are not words)
    for s, e in pieces:
        n = _word_count(text, s, e)
        if not n:
            continue
        # A short piece joins the clause before it ("the stories—often untold"), and a
        # short opening piece joins the one after it ("In 2019, the plant ...").
        if clauses and min(n, words[-1]) < _MIN_CLAUSE_WORDS:
            clauses[-1] = (clauses[-1][0], e)
            words[-1] += n
        else:
            clauses.append((s, e))
            words.append(n)
    return clauses


def _word_count(text: str, start: int, end: int) -> int:
    """Words in `text[start:end]`, a number or a date counting as one."""
    return len(_WORD.findall(text, start, end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` without white space and clause punctuation at its edges."""
    piece = text[start:end]
    kept = piece.lstrip(_EDGE_PUNCTUATION)
    start += len(piece) - len(kept)
    return start, start + len(kept.rstrip(_EDGE_PUNCTUATION))


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
