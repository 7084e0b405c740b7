"""What a word is: every tokenising pattern of the pipeline, in one place.

Each stage cuts text into words for its own purpose, and the purposes differ, so the
patterns do; each is named for what it finds.

- `WORD`: a run of letters, digits and underscores. Search terms, BM25 terms, a quote's
  words when comparing repeats.
- `LEXICON_WORD`: a word with inner apostrophes ("won't"), as the claim lexicons list
  them; a hyphen or any other mark separates words ("all-time" is "all", "time").
- `COUNTED_WORD`: a word, a number ("20,000", "3.5") or a date ("12/5/2025"), each
  counted once: how many words a clause or a quotation has.
- `LETTER_WORD`: a word that starts with a letter, with inner apostrophes and hyphens
  ("O'Neill", "well-known"): how a title in quotation marks is capitalised.
- `TAGGER_TOKEN`: attribution's tokens (words, initialisms, numbers, possessive 's, each
  punctuation mark), as the one group of a pattern that `re.split` cuts a paragraph with.
- `DIFF_TOKEN`: matching's tokens (words, dashes, ellipsis markers, and each character of
  a script written without spaces), so a quote and a statement are diffed word by word.
"""
from __future__ import annotations

import re

WORD = re.compile(r"\w+")
LEXICON_WORD = re.compile(r"\w+(?:'\w+)*")
COUNTED_WORD = re.compile(r"\w+(?:[/.,'’-]+\w+)*")
LETTER_WORD = re.compile(r"[^\W\d_][\w’'-]*")

# Splitting a paragraph at tokens gives them with the text between them (white space,
# and underscores, which no token starts with), and the lengths of all the pieces give
# every token's offsets.
# The pattern opens with one character class that every token starts with, so the
# regex engine skips the white space between tokens without trying each alternative;
# a lookbehind then tells which kind of token that first character began. Possessive
# quantifiers (*+, ++) and the letter-first alternative first: most tokens are words,
# and they should not be tried against the other alternatives.
TAGGER_TOKEN = re.compile(
    r"([^\s_](?:(?<=[^\W\d_])(?:\.(?:[^\W\d_]\.)+"  # initialisms: U.S., a.m.
    r"|\w*+(?:[’'](?![sS]\b)\w++|-\w++)*+)"  # words, with inner apostrophes and hyphens
    r"|(?<=\.)\.\.|(?<=[’'])[sS]\b"  # an ellipsis, possessive 's
    r"|(?<=\d)\d*+(?:[.,:/-]\d++)*+(?:-[^\W\d_]++)*+"  # numbers, and compounds such as 46-year-old
    r"|(?<=[^\w\s])))"  # any other character but white space: punctuation
)

# Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao,
# Myanmar, Khmer): each character is its own token, so a fragment can still be found.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
)
# An ellipsis that marks a cut: "...", ". . .", "…", "[...]", "[…]", "(...)".
_MARKER = r"\[\s*(?:\.\s*){3,}\]|\[\s*…\s*\]|\(\s*(?:\.\s*){3,}\)|\(\s*…\s*\)|\.(?:\s?\.){2,}|…"
# Dashes between words are tokens of their own, so "check—and" and "check — and" compare equal.
_DASH = r"--+|[\u2012-\u2015\u2e3a\u2e3b]"
# The group `marker` is an ellipsis marker.
DIFF_TOKEN = re.compile(
    rf"(?P<marker>{_MARKER})|{_DASH}|[{_UNSPACED}]|(?:(?!{_MARKER}|{_DASH})[^\s{_UNSPACED}])+"
)
