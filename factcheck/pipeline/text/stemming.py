"""Words cut to their stems, so that "taxes" meets "tax" and "voted" meets "vote"."""
from __future__ import annotations


def stem(word: str) -> str:
    """A crude English stem of a lower-case word: "-ing", "-ed", "-es" or "-s" cut off a
    word long enough to keep four letters."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word
