"""Words cut to their stems, so that "taxes" meets "tax" and "voted" meets "vote".

The Snowball English stemmer (the `snowballstemmer` library, pure Python), each word
stemmed once per process.
"""
from __future__ import annotations

import snowballstemmer

from .memo import Memo

_STEMS = Memo(snowballstemmer.stemmer("english").stemWord)


def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word ("economies" -> "economi")."""
    return _STEMS[word]
