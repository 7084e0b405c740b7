"""Numbers from the address: a record's id in a path, a page or an id in a query string.

A number beyond what an id column holds (domain.MAX_ID) names no record: in a path
it is 404 like any other missing id, in a query string it counts as absent, and neither
reaches the database, which would fail on it (SQLite past 2^63, PostgreSQL past 2^31).
"""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

from ..domain import MAX_ID


class RecordId(IntegerConverter):
    """`<id:name>` in a route: a positive whole number no larger than MAX_ID."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def bounded_number(text: str) -> int:
    """`type=` for request.args.get: a whole number from 1 to MAX_ID, else ValueError (so
    the argument's default is used)."""
    value = int(text)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"{value} is out of range")
    return value
