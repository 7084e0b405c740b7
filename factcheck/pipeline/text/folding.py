"""Folding text and words for comparison: the differences that do not count.

Everything here is for *comparing* text, never for display: the matcher keeps the
original words to show, and compares these folded forms.

- `normalize` folds a whole text (Unicode forms, case, quotation marks, dashes, spaces).
- `word_key` folds one word further by dropping the punctuation around it.
- The rest is small English word knowledge the matcher uses to explain a change:
  negations and contractions (stop words are in stopwords.py, numbers in numbers.py).
  Other languages simply get no help from it (their words are all treated as content
  words).
"""
from __future__ import annotations

import itertools
import re
import unicodedata

_SINGLE_QUOTES = "‘’‚‛′‹›`´ʼ"
_DOUBLE_QUOTES = "“”„‟″«»〝〞「」『』"
_DASHES = "‐‑‒–—―⸺⸻−﹘﹣"
# Soft hyphens and zero-width spaces are common in scraped HTML and invisible to readers.
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"

_DOUBLE_HYPHEN = re.compile(r"-{2,}")
_FOLD = str.maketrans(
    {
        **dict.fromkeys(map(ord, _SINGLE_QUOTES), "'"),
        **dict.fromkeys(map(ord, _DOUBLE_QUOTES), '"'),
        **dict.fromkeys(map(ord, _DASHES), "-"),
        **dict.fromkeys(map(ord, _INVISIBLE), None),
    }
)


def normalize(text: str) -> str:
    """Fold `text` for comparison only.

    Unicode NFKC (full-width letters, ligatures, "…" becomes "..."), case folding,
    curly and straight quotation marks and apostrophes made one, every dash (and "--")
    made a hyphen, invisible soft hyphens and zero-width spaces removed, and runs of white
    space turned into one space.
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    text = _DOUBLE_HYPHEN.sub("-", text)  # "--" is how a keyboard writes a dash
    return " ".join(text.split())


def strip_accents(text: str) -> str:
    """`text` with its accents and other combining marks removed ("José" -> "Jose")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_punctuation(ch: str) -> bool:
    """True for a Unicode punctuation character (quotes, commas, brackets, dashes...).

    Symbols such as "%" or "$" are not punctuation: they change what a number says.
    """
    return unicodedata.category(ch).startswith("P")


def strip_punctuation(word: str, *, left: bool = True, right: bool = True) -> str:
    """`word` without the punctuation at its start and/or end ("'finished.'" -> "finished")."""
    start, end = 0, len(word)
    while left and start < end and is_punctuation(word[start]):
        start += 1
    while right and end > start and is_punctuation(word[end - 1]):
        end -= 1
    return word[start:end]


def word_key(norm_word: str) -> str:
    """The comparison key of an already normalized word: its punctuation stripped.

    Inner punctuation stays ("don't", "20,000", "well-known"); a word that is only
    punctuation ("-", "...") has the empty key.
    """
    return strip_punctuation(norm_word)


def letters(text: str) -> str:
    """`text` with its punctuation and spaces removed: equal letters mean only punctuation differs."""
    return "".join(ch for ch in text if not ch.isspace() and not is_punctuation(ch))


# English first, then a few unambiguous ones from German, French, Spanish, Portuguese,
# Italian, Russian, Arabic and Chinese (a Chinese character is a token of its own).
NEGATIONS = frozenset(
    """
    not no never nobody nothing none neither nor nowhere cannot
    nicht kein keine keinen keinem keiner nie niemals pas jamais nunca não nem non
    не нет ни никогда لا لن لم ليس 不 没 别
    """.split()
)


def is_negation(key: str) -> bool:
    """True for a negating word ("not", "never", "don't", "cannot"...)."""
    return key in NEGATIONS or key.endswith("n't")


# Contractions and what they may stand for. "'s" and "'d" are ambiguous ("it's" is
# "it is" or "it has"), so a contraction may have several expansions. "'s" is only
# expanded after pronouns, where it cannot be a possessive.
_IRREGULAR = {
    "won't": [("will", "not")],
    "can't": [("can", "not")],
    "cannot": [("can", "not")],
    "shan't": [("shall", "not")],
    "let's": [("let", "us")],
}
_SUFFIXES = {
    "n't": [("not",)],
    "'re": [("are",)],
    "'ve": [("have",)],
    "'ll": [("will",)],
    "'m": [("am",)],
    "'d": [("would",), ("had",)],
    "'s": [("is",), ("has",)],
}
_S_BASES = frozenset("it he she that what there here who where how when why this".split())
_MAX_EXPANSIONS = 64  # a long block with many "'s" would otherwise explode


def _expansions(key: str) -> list[tuple[str, ...]]:
    """The ways to write `key` without a contraction ("don't" -> [("do", "not")])."""
    if key in _IRREGULAR:
        return _IRREGULAR[key]
    for suffix, endings in _SUFFIXES.items():
        base = key[: -len(suffix)]
        if key.endswith(suffix) and base and (suffix != "'s" or base in _S_BASES):
            return [(base,) + ending for ending in endings]
    return [(key,)]


def spelled_out(key: str) -> tuple[str, ...]:
    """The words `key` stands for when aligning: a contraction spelled out its first way.

    "won't" -> ("will", "not"), so "I won't" lines up word for word with "I will not".
    """
    return _expansions(key)[0]


def expanded_forms(keys: list[str]) -> set[tuple[str, ...]]:
    """Every way to write the words `keys` with contractions spelled out.

    Two word runs differ only by contractions when their sets intersect:
    ["we're"] and ["we", "are"] both give ("we", "are").
    """
    choices = [_expansions(k) for k in keys]
    forms = itertools.islice(itertools.product(*choices), _MAX_EXPANSIONS)
    return {tuple(w for part in form for w in part) for form in forms}
