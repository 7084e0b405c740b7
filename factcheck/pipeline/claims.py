"""Check-worthy claims: which sentences (or clauses) of an article state a checkable fact.

The scorer reads a sentence for cues of two sorts, each listed in a lexicon file:

* claim kinds, the visible reasons a sentence is worth checking: a quantity, a
  statistic, a comparison, a date or time, an event (who did what), a cause, an
  attribution to a source, a prediction;
* non-claim cues: opinion, emotion, hedged or imagined statements, scene-setting,
  questions, which a fact-checker cannot rate true or false, and fragments too short
  to state anything.

Each cue adds a fixed weight to a log-odds sum, and the score is the logistic of that
sum, so it lies between 0 and 1 and DEFAULT_THRESHOLD (0.5) means "the cues for a claim
outweigh the cues against". A sentence that does not reach the threshold because of
non-claim cues reports no kinds: it reads as opinion, mood or rhetoric.

`find_claims` applies the scorer to an article. Quotations (four words or more inside
quotation marks) belong to the quote extractor, so they are cut out first. What remains
of each sentence is cut into clauses (at ";", dashes, and ", " before a dependent clause
such as ", trying to ..."), and each run of neighbouring clauses that reach the threshold
is reported as one claim. A factual sentence is thus reported whole, and a fact followed
by commentary is reported without the commentary.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator

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


def _cue_pattern(name: str, extra: str = "") -> re.Pattern:
    """Whole-word, case-blind matcher of lexicon `name`, plus an optional extra regex."""
    pattern = r"\b(?:" + _phrases(name) + r")\b"
    return re.compile(pattern + ("|" + extra if extra else ""), re.IGNORECASE)


# Digits other than a bare year or a part of a numeric date, ordinals ("230th"); money.
_NUMBER = r"(?<![\w/])(?!(?:1[89]|20)\d\d\b)\d[\d,.]*(?:st|nd|rd|th)?(?![\w/])|[$€£]\s?\d"
_YEAR_OR_DATE = r"\b(?:1[89]|20)\d\d(?:s)?\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"
_PERCENT = r"\d\s?%"
# "bigger than", "more patients than" ("rather than" and "other than" compare nothing).
_COMPARATIVE = r"\b(?!rather\b|other\b)\w+er\s+than\b|\b(?:more|less|fewer)\s+(?:\w+\s+){1,3}?than\b"

_KIND_PATTERNS = {
    "quantity": _cue_pattern("claims_quantity", _NUMBER),
    "statistic": _cue_pattern("claims_statistic", _PERCENT),
    "comparison": _cue_pattern("claims_comparison", _COMPARATIVE),
    "date/time": _cue_pattern("claims_date_time", _YEAR_OR_DATE),
    "event": _cue_pattern("claims_event"),
    "causal": _cue_pattern("claims_causal"),
    "attribution": _cue_pattern("claims_attribution"),
    "prediction": _cue_pattern("claims_prediction"),
}
_CUE_PATTERNS = {
    "opinion": _cue_pattern("claims_opinion"),
    "emotion": _cue_pattern("claims_emotion"),
    "hedge": _cue_pattern("claims_hedge"),
    "scene": _cue_pattern("claims_scene"),
    "question": re.compile(r"\?[\"”’']*\s*$"),
}
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


def score_sentence(text: str, speaker: str | None = None) -> tuple[float, list[str]]:
    """Check-worthiness of one sentence: a score in 0..1 and the claim kinds found.

    `speaker` is accepted for the batch interface and not used by the rules.
    """
    folded = text.replace("’", "'")  # one apostrophe for the lexicons ("won't")
    kinds = [kind for kind in KINDS if _KIND_PATTERNS[kind].search(folded)]
    cues = [cue for cue, pattern in _CUE_PATTERNS.items() if pattern.search(folded)]
    if _word_count(text, 0, len(text)) < _MIN_WORDS:
        cues.append("fragment")
    logit = _BIAS + sum(_KIND_WEIGHTS[k] for k in kinds) + sum(_CUE_WEIGHTS[c] for c in cues)
    if _ENTITY.search(text):
        logit += _ENTITY_WEIGHT
    score = 1.0 / (1.0 + math.exp(-logit))
    if cues and score < DEFAULT_THRESHOLD:
        kinds = []  # opinion, mood, rhetoric or a fragment, whatever numbers it mentions
    return score, kinds


def score_batch(rows: Iterable[dict]) -> Iterator[dict]:
    """Score `{"id", "text", "speaker"?}` rows; yield `{"id", "score", "kinds"}` in input order."""
    for row in rows:
        score, kinds = score_sentence(row["text"], row.get("speaker"))
        yield {"id": row["id"], "score": round(score, 4), "kinds": kinds}


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
        score, kinds = score_sentence(text[start:end])
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
