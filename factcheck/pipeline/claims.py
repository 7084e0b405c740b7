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
In articles, `checkworthiness` blends the two (the rules carry what makes a news sentence a
claim, the model what makes it worth checking), and DEFAULT_THRESHOLD (0.5) on it decides
which sentences `find_claims` reports. A sentence that does not reach the threshold because
of non-claim cues reports no kinds: it reads as opinion, mood or rhetoric.

`find_claims` applies the scorer to an article. Quotations (four words or more inside
quotation marks) belong to the quote extractor, so they are cut out first. What remains
of each sentence is cut into clauses (at ";", dashes, and ", " before a dependent clause
such as ", trying to ..."), and each run of neighbouring clauses that reach the threshold
is reported as one claim. A factual sentence is thus reported whole, and a fact followed
by commentary is reported without the commentary.

A claim is a whole statement, never a fragment of an attribution: the clause beside a
quotation that holds a cue ("“…,” Roe said on Friday", "Roe told reporters: “…”") is
the quotation's frame and is left out; a clause without its own subject ("whose city
has ...", "who told members that ...") takes in the clause before it, or, after a frame,
keeps only what its cue reports. The cues are the attribution package's
(attribution/frames.py). Headlines and captions are not claims, and a claim's kinds are
not read from look-alike phrases ("declined to take sides" is no comparison).
"""
from __future__ import annotations

import json
import math
import re
import string
import zlib
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from factcheck.pipeline.attribution import is_headline
from factcheck.pipeline.attribution.frames import has_cue, opens_inside, reported_start
from factcheck.pipeline.lexicons import entries
from factcheck.pipeline.lexicons.attribution import RELATIVES
from factcheck.pipeline.records import Claim
from factcheck.pipeline.text.memo import Memo
from factcheck.pipeline.text.numbers import NUMBER, PERCENT, YEAR_OR_DATE
from factcheck.pipeline.text.sentences import split_sentences
from factcheck.pipeline.text.tokens import COUNTED_WORD, LEXICON_WORD

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


class _Lexicons:
    """Whole-word, case-blind matcher of the phrases of several lexicon files at once.

    One-word phrases are looked up word by word (`labels_of_word`), longer phrases found
    by one set intersection with a sentence's word pairs (then, for three words or more,
    word by word).
    """

    def __init__(self, files: dict[str, str]):
        """`files` maps a label (a feature name) to the lexicon file of its phrases."""
        self.by_word: dict[str, set[str]] = {}  # one-word phrase -> its labels
        self.by_pair: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}  # first two words -> (phrase, label)
        for label, name in files.items():
            for entry in entries(name):
                words = tuple(LEXICON_WORD.findall(entry.lower().replace("’", "'")))
                if len(words) == 1:
                    self.by_word.setdefault(words[0], set()).add(label)
                elif words:
                    self.by_pair.setdefault(words[:2], []).append((words, label))
        self.pairs = frozenset(self.by_pair)

    def labels_of_word(self, word: str) -> set[str]:
        """The labels of `word` as a one-word phrase."""
        return self.by_word.get(word, set())

    def labels_of_phrases(self, words: list[str], pairs: list[tuple[str, str]]) -> set[str]:
        """The labels with a phrase of two words or more in a sentence of `words` and word `pairs`."""
        labels: set[str] = set()
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


# "bigger than", "more patients than" ("rather than" and "other than" compare nothing).
_COMPARATIVE = re.compile(
    r"\b(?!rather\b|other\b)\w+er\s+than\b|\b(?:more|less|fewer)\s+(?:\w+\s+){1,3}?than\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")

# The phrases of each kind and non-claim cue, and for some kinds a pattern for what a word
# list cannot hold (digits, years, "-er than"), tried only when the sentence has a digit
# (or "than" for comparisons).
_NON_CLAIM_CUES = ("opinion", "emotion", "hedge", "scene", "question", "fragment")
_CUE_LEXICONS = _Lexicons({
    **{"kind:" + kind: "claims_" + kind.replace("/", "_") for kind in KINDS},
    **{"cue:" + cue: "claims_" + cue for cue in _NON_CLAIM_CUES[:4]},
})
_KIND_PATTERNS = {"kind:quantity": NUMBER, "kind:statistic": PERCENT, "kind:comparison": _COMPARATIVE,
                  "kind:date/time": YEAR_OR_DATE}
# A capitalised word (or an acronym) that does not open the sentence or a quotation (the
# capital comes first so that the regex engine skips to capitals).
_ENTITY = re.compile(r"[A-Z](?<=[^\s.!?\"“‘(]\s[A-Z])(?:[a-z]|[A-Z]+\b)")


def _at_least_words(n: int) -> re.Pattern:
    """A pattern that matches where `n` words follow (as `COUNTED_WORD` finds them one after
    another): it reads only those words, where counting them all would read the whole text.
    (Possessive and atomic, so that it never splits a word in two to make up the number.)"""
    return re.compile(r"(?:\W*+(?>" + COUNTED_WORD.pattern + r")){" + str(n) + "}")


_FRAGMENT_WORDS = _at_least_words(_MIN_WORDS)
_QUOTATION_WORDS = _at_least_words(_MIN_QUOTATION_WORDS)
_CLAUSE_WORDS = _at_least_words(_MIN_CLAUSE_WORDS)
# ASCII text (most clauses) is split into words faster by mapping characters to spaces
# than by a regex, with the same words: the lexicons' words are the runs of word
# characters and inner apostrophes (stray apostrophes are blanked first), and `COUNTED_WORD`'s
# words are those runs once its inner marks are deleted.
_ASCII_WORD_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_")
_ASCII_LEX_WORDS = str.maketrans({
    c: c.lower() if c in _ASCII_WORD_CHARACTERS or c == "'" else " " for c in map(chr, range(128))})
_ASCII_WORDS = str.maketrans({
    c: c if c in _ASCII_WORD_CHARACTERS else None if c in "/.,'-" else " " for c in map(chr, range(128))})
_STRAY_APOSTROPHE = re.compile(r"'(?!\w)|(?<!\w)'")

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
    """What the rules read in one sentence: its named features and its words."""

    # Feature names: "kind:<kind>" for each claim kind, "cue:<cue>" for each non-claim cue
    # (opinion, emotion, hedge, scene, question, fragment), "entity" for a capitalised
    # word inside the sentence, "len:<n>" for its length in bands of five words, and
    # "digit", "unit", "superlative", "first_person". A frozen set, so that what is worked
    # out from it (weights, kinds) is looked up once per distinct set.
    features: frozenset[str]
    words: list[str]  # the sentence's words, lower-cased, for the lexicons and the model
    pairs: list[tuple[str, str]]  # its pairs of neighbouring words


_UNIT = frozenset(("percent", "million", "billion", "trillion", "thousand", "hundred", "dollars", "dollar"))
# Superlatives: words ending in "-est" ("biggest"), and these.
_SUPERLATIVE = frozenset(("most", "least", "first", "last", "only", "never", "ever", "history", "record", "worst"))
_FIRST_PERSON = frozenset(("i", "i'm", "i've", "i'd", "i'll", "me", "my", "we", "we're", "we've", "our", "us"))
_LENGTH_BANDS = tuple(f"len:{band}" for band in range(9))


def _features_of_word(word: str) -> frozenset[str]:
    """The features one word gives a sentence: its one-word phrases' labels, and the rest."""
    features = _CUE_LEXICONS.labels_of_word(word).copy()
    if _DIGIT.search(word):
        features.add("digit")
    if word in _UNIT:
        features.add("unit")
    if word in _SUPERLATIVE or word.endswith("est"):
        features.add("superlative")
    if word in _FIRST_PERSON:
        features.add("first_person")
    return frozenset(features)


# The words of a sentence are those of a language: most were seen before.
_WORD_FEATURES = Memo(_features_of_word)


def read_cues(text: str) -> Reading:
    """The rule cues of one sentence (the model's named features, and the visible reasons)."""
    folded = text.replace("’", "'")  # one apostrophe for the lexicons ("won't")
    words = _lex_words(folded)
    pairs = list(zip(words, words[1:]))
    features = set().union(*map(_WORD_FEATURES.__getitem__, words))
    features.update(_CUE_LEXICONS.labels_of_phrases(words, pairs))
    digits = "digit" in features  # every digit is inside a word
    if digits or "than" in words:
        for kind, pattern in _KIND_PATTERNS.items():
            if kind not in features and (("than" in words) if kind == "kind:comparison" else digits) and pattern.search(folded):
                features.add(kind)
    if "?" in folded and folded.rstrip().rstrip("\"”’'").endswith("?"):
        features.add("cue:question")
    if _is_fragment(text):
        features.add("cue:fragment")
    if _ENTITY.search(text):
        features.add("entity")
    if "%" in text or "$" in text:
        features.add("unit")
    features.add(_LENGTH_BANDS[min(len(words) // 5, 8)])
    return Reading(frozenset(features), words, pairs)


def _lex_words(folded: str) -> list[str]:
    """The lexicons' words of `folded`, lower-cased: `LEXICON_WORD.findall(folded.lower())`."""
    if not folded.isascii():
        return LEXICON_WORD.findall(folded.lower())
    if "'" in folded:
        folded = _STRAY_APOSTROPHE.sub(" ", folded)
    return folded.translate(_ASCII_LEX_WORDS).split()


def _is_fragment(text: str) -> bool:
    """Fewer than _MIN_WORDS words, a number or a date counting as one."""
    if text.isascii():
        return len(text.translate(_ASCII_WORDS).split()) < _MIN_WORDS
    return not _FRAGMENT_WORDS.match(text)


# The named features in the order they are listed (and their weights added up).
_CONTEXT_FEATURES = (*("kind:" + k for k in KINDS), *("cue:" + c for c in _NON_CLAIM_CUES), "entity")
_NAMED_FEATURES = (*_CONTEXT_FEATURES, *_LENGTH_BANDS, "digit", "unit", "superlative", "first_person")


class _Rules(NamedTuple):
    """What the rules make of a set of features."""

    logit: float  # the hand-set log-odds
    kinds: tuple[str, ...]  # the claim kinds, in KINDS order
    non_claim: bool  # whether a non-claim cue is among them


def _rules(features: frozenset[str]) -> _Rules:
    kinds = tuple(kind for kind in KINDS if "kind:" + kind in features)
    cues = [cue for cue in _NON_CLAIM_CUES if "cue:" + cue in features]
    logit = _BIAS + sum(map(_KIND_WEIGHTS.__getitem__, kinds)) + sum(map(_CUE_WEIGHTS.__getitem__, cues))
    return _Rules(logit + _ENTITY_WEIGHT if "entity" in features else logit, kinds, bool(cues))


_RULES = Memo(_rules)


def rule_logit(reading: Reading) -> float:
    """The hand-set log-odds of the rules for a reading."""
    return _RULES[reading.features].logit


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
# `find_claims` decides claims in articles by `checkworthiness`, the model blended with the rules.

# `checkworthiness` (articles): rules + ARTICLE_MODEL_WEIGHT * (model - its mean on debates) +
# ARTICLE_SHIFT. The weight and the shift put DEFAULT_THRESHOLD midway between the fictional
# claims and non-claims of tests/pipeline/test_claims.py and the shared sample's gold
# (checked there); retraining the model may call for a new shift.
ARTICLE_MODEL_WEIGHT = 0.5
ARTICLE_SHIFT = 0.30
MODEL_FILE = Path(__file__).with_name("checkworthy_model.json")


def named_features(reading: Reading) -> list[str]:
    """The named features of one sentence's reading: its context features, then its own."""
    return [f for f in _NAMED_FEATURES if f in reading.features]


def context_features(reading: Reading) -> list[str]:
    """What a sentence tells about its neighbours: its kinds, cues, and a name."""
    return [f for f in _CONTEXT_FEATURES if f in reading.features]


def ngrams(reading: Reading) -> set[str | tuple[str, str]]:
    """The sentence's distinct words and word pairs, digits folded ("20,000" is "0 0").

    A pair is a tuple of its words, the sentence's start and end the words "<s>" and
    "</s>"; `gram_text` spells one out.
    """
    words, pairs = reading.words, reading.pairs
    if not words:
        return {("<s>", "</s>")}
    if "digit" in reading.features:
        words = list(map(_FOLDED_DIGITS.__getitem__, words))
        pairs = zip(words, words[1:])
    grams = set(words)
    grams.update(pairs)
    grams.add(("<s>", words[0]))
    grams.add((words[-1], "</s>"))
    return grams


_DIGITS = re.compile(r"\d+")
_FOLDED_DIGITS = Memo(lambda word: _DIGITS.sub("0", word))


def gram_text(gram: str | tuple[str, str]) -> str:
    """An n-gram as hashed: a word, or a pair's words joined by a space ("<s> the")."""
    return gram if isinstance(gram, str) else " ".join(gram)


def bucket(gram: str | tuple[str, str], bits: int) -> int:
    """The hash bucket of an n-gram: CRC-32 of its text (stable across runs and machines)."""
    return zlib.crc32(gram_text(gram).encode("utf-8")) & ((1 << bits) - 1)


def sentence_features(readings: list[Reading], i: int, context: bool = True) -> tuple[list[str], set[str | tuple[str, str]]]:
    """Named features and n-grams of sentence `i` of a run of sentences (its neighbours are context)."""
    named = named_features(readings[i])
    if context:
        if i > 0:
            named += ["prev:" + f for f in context_features(readings[i - 1])]
        if i + 1 < len(readings):
            named += ["next:" + f for f in context_features(readings[i + 1])]
    return named, ngrams(readings[i])


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
        # Each n-gram is hashed once per process, then found by name; each set of named
        # features is weighed once.
        self._gram_weights = Memo(lambda gram: self.hashed.get(bucket(gram, self.bits), 0.0))
        self._named_logits = Memo(self._named_logit)
        self._context_logits = Memo(self._context_logit)

    def _named_logit(self, features: frozenset[str]) -> float:
        named = self.named
        return self.bias + sum(named.get(f, 0.0) for f in _NAMED_FEATURES if f in features)

    def _context_logit(self, features: frozenset[str]) -> tuple[float, float]:
        if not self.context:
            return 0.0, 0.0
        feats = [f for f in _CONTEXT_FEATURES if f in features]
        named = self.named
        return sum(named.get("prev:" + f, 0.0) for f in feats), sum(named.get("next:" + f, 0.0) for f in feats)

    def own_logit(self, reading: Reading) -> float:
        """A sentence's log-odds without context."""
        return self._named_logits[reading.features] + sum(map(self._gram_weights.__getitem__, ngrams(reading)))

    def context_logits(self, reading: Reading) -> tuple[float, float]:
        """What a sentence adds to the log-odds of the sentence after it (as its "prev:"
        context) and of the sentence before it (as "next:")."""
        return self._context_logits[reading.features]


@cache
def model() -> _Model:
    return _Model(MODEL_FILE)


def _article_logit(rules: _Rules, model_logit: float) -> float:
    return ARTICLE_MODEL_WEIGHT * (model_logit - model().center) + ARTICLE_SHIFT + rules.logit


def _logistic(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))


def _kinds(rules: _Rules, article_logit: float) -> list[str]:
    """The visible reasons: the kinds read, none when non-claim cues keep it from being a claim."""
    if rules.non_claim and _logistic(article_logit) < DEFAULT_THRESHOLD:
        return []  # opinion, mood, rhetoric or a fragment, whatever numbers it mentions
    return list(rules.kinds)


def score_sentence(text: str, speaker: str | None = None) -> tuple[float, list[str]]:
    """Check-worthiness of one sentence on its own by the model: a score in 0..1 (for
    ranking: a debate has about one check-worthy sentence in 90) and the claim kinds found.

    `speaker` is accepted for the batch interface and not used: the scorer reads the words.
    """
    reading = read_cues(text)
    logit = model().own_logit(reading)
    rules = _RULES[reading.features]
    return _logistic(logit), _kinds(rules, _article_logit(rules, logit))


def checkworthiness(text: str) -> tuple[float, list[str]]:
    """Whether a sentence or clause of an article states a claim: a score in 0..1 (a claim
    from DEFAULT_THRESHOLD up) and the claim kinds found.

    The model's log-odds relative to the average debate sentence, half-weighted, plus the
    rules' log-odds. The model ranks what speakers say by how worth checking it is; the
    rules add what makes a news sentence a claim at all (an event, a source), and keep
    opinion, mood and scene-setting out.
    """
    reading = read_cues(text)
    rules = _RULES[reading.features]
    logit = _article_logit(rules, model().own_logit(reading))
    return _logistic(logit), _kinds(rules, logit)


def score_batch(rows: Iterable[dict]) -> Iterator[dict]:
    """Score `{"id", "text", "speaker"?}` rows; yield `{"id", "score", "checkworthy", "kinds"}` in input order.

    Each row is scored with the rows just before and after it as context (a transcript's
    neighbouring sentences), so rows are read one ahead.
    """
    m = model()
    pending = None  # (row, its kinds, its log-odds + the previous row's context), a row behind
    as_prev = 0.0  # the context the last row read gives the row after it
    for row in rows:
        reading = read_cues(str(row.get("text") or ""))
        own = m.own_logit(reading)
        rules = _RULES[reading.features]
        this_as_prev, this_as_next = m.context_logits(reading)
        if pending is not None:
            prow, pkinds, plogit = pending
            score = _logistic(plogit + this_as_next)
            yield {"id": prow["id"], "score": round(score, 6), "checkworthy": score >= DEFAULT_THRESHOLD, "kinds": pkinds}
        pending = (row, _kinds(rules, _article_logit(rules, own)), own + as_prev)
        as_prev = this_as_prev
    if pending is not None:
        prow, pkinds, plogit = pending
        score = _logistic(plogit)
        yield {"id": prow["id"], "score": round(score, 6), "checkworthy": score >= DEFAULT_THRESHOLD, "kinds": pkinds}


def find_claims(text: str, threshold: float | None = None) -> list[Claim]:
    """The sentences or clauses of `text` that score at or above `threshold`, in text order.

    `threshold` defaults to DEFAULT_THRESHOLD. Offsets index `text`; quoted words are
    never part of a claim, nor is the frame that attributes them (`_without_frames`), and
    headlines and captions are not claims (`_is_heading`).
    """
    if threshold is None:
        threshold = DEFAULT_THRESHOLD
    quotations = _quotations(text)
    claims = []
    for start, end in split_sentences(text):
        if _is_heading(text, start, end):
            continue
        for part_start, part_end in _outside(quotations, start, end):
            clauses = _clauses(text, part_start, part_end)
            # A stretch that does not reach the sentence's edge stops at a quotation.
            after_quotation, before_quotation = part_start > start, part_end < end
            clauses = _without_frames(text, clauses, after_quotation, before_quotation, part_end)
            claims.extend(_claims_in_clauses(text, clauses, threshold))
    return claims


def _is_heading(text: str, start: int, end: int) -> bool:
    """True for a line that is not the article's prose: a headline or a caption.

    That is a whole line without final punctuation, a Title Case line (a headline even
    with a full stop), or a line opened by a caption's label ("Photo: ...", "Pictured:
    ..."). A headline compresses what the article's first sentences state in full, and
    those sentences are the claims to report; a caption describes a picture.
    """
    if text[start - 1:start] not in ("", "\n") or text[end:end + 1] not in ("", "\n"):
        return False  # a sentence of a paragraph
    line = text[start:end]
    return line[-1] not in ".!?…\"”’'" or is_headline(line, first=True) or _CAPTION_LABEL.match(line) is not None


# "Photo:", "(Pictured)", "File photo |": the label of a caption line.
_CAPTION_LABEL = re.compile(r"[(\[]?(?:" + _phrases("claims_caption_labels") + r")\b\s*[:)\]|]", re.IGNORECASE)


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
    return [(s, e) for s, e in spans if _QUOTATION_WORDS.match(text, s, e)]


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
    breaks = list(_CLAUSE_BREAK.finditer(text, start, end))
    if not breaks:
        start, end = _trim(text, start, end)  # one clause: most sentences
        return [(start, end)] if COUNTED_WORD.search(text, start, end) else []
    pieces, at = [], start
    for m in breaks:
        pieces.append(_trim(text, at, m.start()))
        at = m.end()
    pieces.append(_trim(text, at, end))
    clauses: list[tuple[int, int]] = []
    # Each clause's word count (counts add up: breaks are not words), where any count from
    # _MIN_CLAUSE_WORDS up is as good as the exact one.
    words: list[int] = []
    for s, e in pieces:
        n = _MIN_CLAUSE_WORDS if _CLAUSE_WORDS.match(text, s, e) else len(COUNTED_WORD.findall(text, s, e))
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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` without white space and clause punctuation at its edges."""
    piece = text[start:end]
    kept = piece.lstrip(_EDGE_PUNCTUATION)
    start += len(piece) - len(kept)
    return start, start + len(kept.rstrip(_EDGE_PUNCTUATION))


def _without_frames(text: str, clauses: list[tuple[int, int]], after_quotation: bool,
                    before_quotation: bool, end: int) -> list[tuple[int, int] | None]:
    """The clauses of a stretch of a sentence (ending at `end`), less the frame of a
    quotation beside it.

    The clause that touches a quotation and holds an attribution cue reports it ("“…,”
    Roe said on Friday", "said Jane Roe, a pharmacist", "Roe told reporters: “…”"): it is
    the quotation's frame, a fragment without it. Only what its cue reports after "that"
    may stay, as a clause of its own, unless it runs into the quotation ("Roe said that
    the minister was “…”"; a colon ends it). The rest is left out, as None, so that the
    clause after it knows what it followed.
    """
    kept: list[tuple[int, int] | None] = list(clauses)
    if not kept:
        return kept
    if after_quotation and has_cue(text, *clauses[0]):
        runs_in = before_quotation and len(clauses) == 1 and not _ends_at_colon(text, clauses[0][1], end)
        kept[0] = None if runs_in else _reported(text, *clauses[0])
    if before_quotation and kept[-1] is not None and has_cue(text, *clauses[-1]):
        kept[-1] = _reported(text, *clauses[-1]) if _ends_at_colon(text, clauses[-1][1], end) else None
    return kept


def _ends_at_colon(text: str, clause_end: int, end: int) -> bool:
    """Whether a colon ends the clause before the quotation at `end` ("... said: “…”")."""
    return text[clause_end:end].strip().startswith(":")


def _reported(text: str, start: int, end: int) -> tuple[int, int] | None:
    """What a cue in the clause `start..end` reports after "that", as a clause, or None."""
    at = reported_start(text, start, end)
    return (at, end) if at is not None and COUNTED_WORD.search(text, at, end) else None


# A clause opened by a relative pronoun tells of a noun in the clause before it.
_RELATIVE_PRONOUNS = RELATIVES | frozenset(("whom", "whose"))


def _lacks_subject(text: str, start: int, end: int) -> bool:
    """True for a clause whose subject stands in the clause before it: one opened by a
    relative pronoun ("whose city has offered ...") or by a cue ("adding that ...",
    "who told members that ...")."""
    first = COUNTED_WORD.search(text, start, end)
    return (first is not None and first.group().lower() in _RELATIVE_PRONOUNS) or opens_inside(text, start, end)


def _claims_in_clauses(text: str, clauses: list[tuple[int, int] | None], threshold: float) -> list[Claim]:
    """One claim per run of neighbouring clauses that each reach `threshold`; a left-out
    frame (None) ends a run, and a run never opens with a clause that lacks its subject
    (`_with_subject`)."""
    claims: list[Claim] = []
    joined = False  # whether the previous clause was a claim, so this one extends it
    previous: tuple[int, int] | None = None  # the clause before this one, unless a frame
    for clause in clauses:
        before, previous = previous, clause
        if clause is None:
            joined = False
            continue
        start, end = clause
        score, kinds = checkworthiness(text[start:end])
        if score < threshold:
            joined = False
            continue
        kinds = _visible_kinds(text[start:end], kinds)
        if joined:
            last = claims[-1]
            kinds = [k for k in KINDS if k in kinds or k in last.kinds]
            claims[-1] = Claim(text[last.start:end], last.start, end, max(score, last.score), kinds)
            continue
        if _lacks_subject(text, start, end):
            whole = _with_subject(text, before, start, end, score, kinds, threshold)
            if whole is None:
                continue
            start, score, kinds = whole
        claims.append(Claim(text[start:end], start, end, score, kinds))
        joined = True
    return claims


def _with_subject(text: str, before: tuple[int, int] | None, start: int, end: int, score: float,
                  kinds: list[str], threshold: float) -> tuple[int, float, list[str]] | None:
    """A whole claim from a clause that lacks its subject: (its start, score, kinds), or None.

    It takes in the clause before it, where its subject is ("Mayor Roe, whose city has
    offered $1 million, said ..."). After a quotation's frame (`before` None) only what a
    cue in it reports after "that" can stand alone ("said Roe, who told members that
    <water inflows had tripled>"), if it is a claim by itself.
    """
    if before is not None:
        earlier = _visible_kinds(text[before[0]:before[1]], checkworthiness(text[before[0]:before[1]])[1])
        return before[0], score, [k for k in KINDS if k in kinds or k in earlier]
    reported = reported_start(text, start, end)
    if reported is None:
        return None
    score, kinds = checkworthiness(text[reported:end])
    return (reported, score, _visible_kinds(text[reported:end], kinds)) if score >= threshold else None


# A look-alike phrase, unless a number follows it ("declined to 300" is a fall).
_LOOKALIKE = re.compile(r"\b(?:" + _phrases("claims_lookalikes") + r")\b(?!\s*[$£€\d])", re.IGNORECASE)


def _visible_kinds(text: str, kinds: list[str]) -> list[str]:
    """`kinds` less those that only a look-alike phrase gave (claims_lookalikes.txt).

    The scorer reads the phrases as they are, as its model was trained; the kinds shown
    as the claim's reasons are read again with the phrases blanked out.
    """
    if not kinds or _LOOKALIKE.search(text) is None:
        return kinds
    still = _RULES[read_cues(_LOOKALIKE.sub(lambda m: " " * len(m.group()), text)).features].kinds
    return [k for k in kinds if k in still]
