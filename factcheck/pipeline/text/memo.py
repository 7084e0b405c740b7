"""A dict that fills itself: the pipeline's one memo.

The pipeline looks up the same words, word pairs and feature sets again and again
(tagging a token, scoring a word, weighing a set of cues), so each is worked out once
per process and kept. Past `limit` entries the memo starts afresh, so a long ingest
does not grow it without end.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Memo(dict):
    """`memo[key]` is `make(key)`, made on first use and kept for the next time."""

    def __init__(self, make: Callable[[Any], Any], limit: int = 500_000):
        super().__init__()
        self.make = make
        self.limit = limit

    def __missing__(self, key: Hashable) -> Any:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.make(key)
        return value
