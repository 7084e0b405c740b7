"""Split article text into sentences, keeping exact offsets.

`split_sentences(text)` returns `(start, end)` pairs such that `text[start:end]` is one
sentence without the white space around it. The rules, in the order they apply:

* A newline always ends a sentence, so a heading line without final punctuation is a
  sentence of its own, and so is every paragraph's last sentence.
* A numeric date glued to a capital letter ("Paul Riverbank, 12/5/2025First Lady ...", a
  byline run into the text by a scraper) ends a sentence after the date.
* Otherwise a sentence ends at `.`, `!`, `?` or an ellipsis, together with any closing
  quotation marks or brackets after it, when white space follows and the next word does
  not start with a lower-case letter ("Why now?” she asked" stays one sentence).
* A period directly followed by a character (3.5, U.S., e.g.) never ends a sentence.
* After a title or month abbreviation (Mrs., Dr., St., Jan.) the sentence never ends.
  After other abbreviations, initialisms (U.S., a.m.) and initials (John F. Kennedy) it
  ends only when the next word usually opens a sentence ("The", "He", "But", ...).

The abbreviation and opener lists are data files in `lexicons/`. Attribution splits a
paragraph's tokens into sentences by the same abbreviation rule
(`ends_after_abbreviation`).
"""
from __future__ import annotations

import re

from ..lexicons import entries, words

# Lower case, without the full stop: "mrs", "jan"; "etc", "inc".
TITLE_ABBREVIATIONS = words("sentences_abbreviations_title")
ABBREVIATIONS = words("sentences_abbreviations")
# Words that usually open a sentence: "The", "He", "But".
OPENERS = frozenset(entries("sentences_openers"))

# Sentence-final punctuation with the closing quotation marks and brackets that follow it.
# (One mark, then any more: a pattern that opens with a single character class lets the
# regex engine skip straight to candidates, twice as fast as "[.!?…]+".)
_END = re.compile(r"[.!?…][.!?…]*[\"”’'»)\]]*")
# A scraped byline runs its date into the first sentence: "12/5/2025First Lady". (The
# pattern opens with a digit, not a word boundary, so the regex engine skips to digits.)
_GLUED_DATE = re.compile(r"[0-9](?<!\w[0-9])[0-9]{0,3}[/.-][0-9]{1,2}[/.-][0-9]{2,4}(?=[A-Z])")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")
_OPENING_MARKS = "\"“‘'«([¿¡"
# White space after the punctuation, then the next word.
_NEXT_WORD = re.compile(r"\s+(\S+)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, in order, each stripped of surrounding white space."""
    spans = []
    for line in _LINE.finditer(text):
        line_text, offset = line.group(), line.start()
        start = 0
        for cut in sorted(set(_line_breaks(line_text))) + [len(line_text)]:
            span = _strip(text, offset + start, offset + cut)
            if span:
                spans.append(span)
            start = cut
    return spans


_LINE = re.compile(r"[^\n]+")


def _line_breaks(line: str) -> list[int]:
    """Offsets inside one line where a sentence ends."""
    cuts = [m.end() for m in _GLUED_DATE.finditer(line)]
    for m in _END.finditer(line):
        following = _NEXT_WORD.match(line, m.end())
        if not following:
            continue  # end of line (a break anyway), or a decimal, initialism, URL
        next_word = following.group(1).lstrip(_OPENING_MARKS)
        if next_word[:1].islower():
            continue  # "... now?” she asked", "etc. and", "... and then"
        if m.group()[0] == "." and not m.group().startswith("..") and _abbreviation_holds(line, m.start(), next_word):
            continue
        cuts.append(m.end())
    return cuts


def ends_after_abbreviation(abbreviation: str, next_word: str) -> bool:
    """Whether a sentence ends at the full stop of `abbreviation` (given without it) when
    `next_word` follows: never after a title or month (Mrs., Jan.), otherwise only before
    a word that usually opens a sentence ("Acme Inc. The company ...")."""
    return abbreviation.lower() not in TITLE_ABBREVIATIONS and next_word in OPENERS


def _abbreviation_holds(line: str, period: int, next_word: str) -> bool:
    """True when the period at `period` closes an abbreviation that keeps the sentence going."""
    before = line[max(0, period - 20):period].rsplit(None, 1)  # abbreviations are short words
    word = before[-1].lstrip(_OPENING_MARKS) if before else ""
    if not word:
        return False
    low = word.lower()
    if low in TITLE_ABBREVIATIONS or low in ABBREVIATIONS or _INITIALISM.fullmatch(word):
        return not ends_after_abbreviation(word, next_word)
    return False


def _strip(text: str, start: int, end: int) -> tuple[int, int] | None:
    """`(start, end)` narrowed to exclude white space at both ends; None if nothing is left."""
    piece = text[start:end]
    kept = piece.lstrip()
    start += len(piece) - len(kept)
    end = start + len(kept.rstrip())
    return (start, end) if start < end else None
