"""People's names folded for comparison: "Mrs. José Roe" and "jose roe" are one name.

A name is folded to its words -- accents, case and punctuation dropped -- and titles
("Mr.", "President", "First Lady") are left out, since they do not change whom a name
means. `name_key` is the folded form people are stored and looked up by;
`same_person` is the matcher's default test of whether two names are one speaker.
"""
from __future__ import annotations

import re
import unicodedata

from .folding import normalize, strip_accents

# Titles that do not change who a name refers to ("Mrs. Trump" is "Trump").
TITLES = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame mayor president senator sen rep representative"
    " governor gov minister first lady chief judge general gen rev the former secretary".split()
)
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")


def name_words(name: str, *, ascii_only: bool = False) -> list[str]:
    """The words of `name`, folded: case and accents dropped ("José" is "jose"), split at
    anything but letters and digits. Titles are kept (see `TITLES`).

    With `ascii_only`, letters with no ASCII form ("ł", "ß", Cyrillic) are dropped and
    marks join the letters around them ("O’Brien" is "obrien"): the stored `name_key`s
    were made so. Without it, such letters stay and every mark separates words.
    """
    if ascii_only:
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
        return _ASCII_WORD.findall(folded)
    return _LETTERS_AND_DIGITS.findall(strip_accents(normalize(name)))


def name_key(name: str) -> str:
    """A name folded for storing and looking up: ASCII words without titles, or all its
    words when it is nothing but titles ("Mr. President")."""
    words = name_words(name, ascii_only=True)
    kept = [w for w in words if w not in TITLES]
    return " ".join(kept or words)


def same_person(a: str, b: str) -> bool:
    """The default speaker test: equal names once folded, or one name's words all in the other's.

    "Trump", "Donald Trump" and "Donald J. Trump" are the same person; "Donald Trump" and
    "Melania Trump" are not. Aliases are the caller's business (matching's `same_speaker`).
    """
    x = {w for w in name_words(a) if w not in TITLES}
    y = {w for w in name_words(b) if w not in TITLES}
    return bool(x and y) and (x <= y or y <= x)
