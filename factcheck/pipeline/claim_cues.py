"""The cues of a claim: what the rules read in one sentence.

Two sorts of cue, each listed in a lexicon file (`factcheck/pipeline/lexicons/claims_*.txt`):

* claim kinds, the visible reasons a sentence is worth checking: a quantity, a
  statistic, a comparison, a date or time, an event (who did what), a cause, an
  attribution to a source, a prediction;
* non-claim cues: opinion, emotion, hedged or imagined statements, scene-setting,
  questions, which a fact-checker cannot rate true or false, and fragments too short
  to state anything.

`read_cues` reads them (and a few more features: names, digits, units, length) into a
`Reading`; `rules` weighs a reading by fixed, hand-set log-odds per cue. The
check-worthiness model (`checkworthy.py`) learns from the same features and the words.
"""
from __future__ import annotations

import re
import string
from typing import NamedTuple

from factcheck.pipeline.lexicons import entries
from factcheck.pipeline.text.memo import Memo
from factcheck.pipeline.text.numbers import NUMBER, PERCENT, YEAR_OR_DATE
from factcheck.pipeline.text.tokens import COUNTED_WORD, LEXICON_WORD


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

def phrases(name: str) -> str:
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

    def labels_ofphrases(self, words: list[str], pairs: list[tuple[str, str]]) -> set[str]:
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


def at_least_words(n: int) -> re.Pattern:
    """A pattern that matches where `n` words follow (as `COUNTED_WORD` finds them one after
    another): it reads only those words, where counting them all would read the whole text.
    (Possessive and atomic, so that it never splits a word in two to make up the number.)"""
    return re.compile(r"(?:\W*+(?>" + COUNTED_WORD.pattern + r")){" + str(n) + "}")


_FRAGMENT_WORDS = at_least_words(_MIN_WORDS)
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
    features.update(_CUE_LEXICONS.labels_ofphrases(words, pairs))
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
NAMED_FEATURES = (*("kind:" + k for k in KINDS), *("cue:" + c for c in _NON_CLAIM_CUES), "entity", *_LENGTH_BANDS,
                  "digit", "unit", "superlative", "first_person")


class Rules(NamedTuple):
    """What the rules make of a set of features."""

    logit: float  # the hand-set log-odds
    kinds: tuple[str, ...]  # the claim kinds, in KINDS order
    non_claim: bool  # whether a non-claim cue is among them


def _weigh(features: frozenset[str]) -> Rules:
    kinds = tuple(kind for kind in KINDS if "kind:" + kind in features)
    cues = [cue for cue in _NON_CLAIM_CUES if "cue:" + cue in features]
    logit = _BIAS + sum(map(_KIND_WEIGHTS.__getitem__, kinds)) + sum(map(_CUE_WEIGHTS.__getitem__, cues))
    return Rules(logit + _ENTITY_WEIGHT if "entity" in features else logit, kinds, bool(cues))


_RULES = Memo(_weigh)


def rules(reading: Reading) -> Rules:
    """What the rules make of a reading: hand-set log-odds, the kinds, any non-claim cue."""
    return _RULES[reading.features]
