"""Flagged quotes in SQL: the queries' one place for how a quote's flags are stored.

`domain.is_flagged` is the rule (a flagged label, or any flag); these are its forms in a
query, used by the review queue and the editors' desk alike. The schema (migration 0013)
stores each flag in a column of its own, `flag_<flag>`, with a partial index in queue
order, and their number in `flag_count`; `store.models.has_flag` is the SQL of one flag,
beside the indexes declared with it (a query uses a partial index only when its
condition reads the same).
"""
from __future__ import annotations

from sqlalchemy import literal, or_
from sqlmodel import col

from ..domain import FLAGGED_LABELS, Flag
from ..store.models import Quote, flag_column, has_flag

# The quote's flag columns, in domain.Flag order: read them with `flags_from`.
FLAG_COLUMNS = tuple(getattr(Quote, flag_column(flag)) for flag in Flag)


def flags_from(values) -> list[str]:
    """The flags a quote raises, from the values of its FLAG_COLUMNS (as Quote.flags gives them)."""
    return [flag.value for flag, raised in zip(Flag, values) if raised]


def flag_count(model):
    """How many flags an item of `model` (Quote or Claim) raises; claims raise none.
    For quotes this is the first column of the index ix_quote_flagged."""
    return col(Quote.flag_count) if model is Quote else literal(0)


def flagged(category: str = ""):
    """A quote flagged as `category` (a flag, or one of the flagged labels), or flagged in
    any way (domain.is_flagged) when `category` is empty."""
    if category in tuple(Flag):
        return has_flag(category)
    if category in FLAGGED_LABELS:
        return Quote.label == category
    return or_(col(Quote.label).in_(FLAGGED_LABELS), flag_count(Quote) > 0)

