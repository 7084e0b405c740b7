"""Flagged quotes in SQL: the one place that knows how a quote's flags are stored.

`domain.is_flagged` is the rule (a flagged label, or any flag); these are its forms in a
query, used by the review queue and the editors' desk alike.
"""
from __future__ import annotations

from sqlalchemy import String, cast, func, literal, or_
from sqlmodel import col

from ..domain import FLAGGED_LABELS, Flag
from ..store.models import Quote


def flag_count(model):
    """How many flags an item of `model` (Quote or Claim) raises; claims raise none.
    For quotes this is the expression of the index ix_quote_flagged."""
    return func.json_array_length(Quote.flags) if model is Quote else literal(0)


def has_flag(flag: str):
    """A quote carrying `flag`. Flags are a JSON list of plain words: its text holds
    '"earlier"' exactly when it has that flag."""
    return cast(Quote.flags, String).like(f'%"{flag}"%')


def flagged(category: str = ""):
    """A quote flagged as `category` (a flag, or one of the flagged labels), or flagged in
    any way (domain.is_flagged) when `category` is empty."""
    if category in tuple(Flag):
        return has_flag(category)
    if category in FLAGGED_LABELS:
        return Quote.label == category
    return or_(col(Quote.label).in_(FLAGGED_LABELS), flag_count(Quote) > 0)
