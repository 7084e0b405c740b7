"""Words cut to their stems, so that "taxes" meets "tax" and "voted" meets "vote".

The Snowball English stemmer (the `snowballstemmer` library, pure Python), each word
stemmed once per process.
"""
from __future__ import annotations

import threading

import snowballstemmer

from .memo import Memo

# A stemmer keeps the word in hand as its own state: each thread (a worker runs jobs in
# several) has its own.
_stemmers = threading.local()


def _stem_word(word: str) -> str:
    try:
        stemmer = _stemmers.english
    except AttributeError:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


_STEMS = Memo(_stem_word)


def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word ("economies" -> "economi")."""
    return _STEMS[word]
