"""Turning stored data into pieces a template can print safely.

Templates print user text only through Jinja's autoescaping; these helpers cut text into
pieces (never into markup), so that highlighting cannot open a hole for injected HTML.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask
from markupsafe import Markup

from ..pipeline.text.folding import is_negation
from .paging import page_url
from .urls import absolute_url


@dataclass(frozen=True)
class Span:
    """A stretch of article text to highlight: offsets, a CSS class and what it stands for."""

    start: int
    end: int
    css: str
    ref: object = None


@dataclass(frozen=True)
class Segment:
    text: str
    span: Span | None = None
    closes: bool = False  # this piece ends its span (a span may cross a paragraph break)


def paragraphs(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> list[list[Segment]]:
    """The paragraphs (lines) of `text` that overlap [start, end), cut into segments at `spans`.

    Offsets are the truth: pieces are sliced from the text, never searched for. Where
    spans overlap, the later one starts after the earlier one ends.
    """
    end = len(text) if end is None else end
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    return [
        _cut(text, line.start(), line.end(), ordered)
        for line in re.finditer(r"[^\r\n]+", text)
        if line.end() > start and line.start() < end and line.group().strip()
    ]


def _cut(text: str, p0: int, p1: int, spans: list[Span]) -> list[Segment]:
    segments, at = [], p0
    for span in spans:
        s0, s1 = max(span.start, at), min(span.end, p1)
        if s0 >= s1:
            continue
        if s0 > at:
            segments.append(Segment(text[at:s0]))
        segments.append(Segment(text[s0:s1], span, closes=s1 == span.end))
        at = s1
    if at < p1:
        segments.append(Segment(text[at:p1]))
    return segments


def diff_sides(ops: list[list[str]]) -> tuple[list[tuple[str, str | None, str]], list[tuple[str, str | None, str]]]:
    """The statement's side and the quote's side of a word diff, as (words, mark, weight) pieces.

    `ops` is the matcher's edit script from statement to quote (an equal run may carry the
    quote's writing after the statement's, each side shown as written); mark is None for shared
    words, "del" for statement words the quote lacks, "ins" for quote words the statement
    lacks. weight is "number" or "negation" when changed words hold a number or a negating
    word (those change what was said, so the page makes them stand out), else "".
    """
    statement, quote = [], []
    for kind, *words in ops:
        if kind == "equal":
            statement.append((words[0], None, ""))
            quote.append((words[-1], None, ""))  # the quote's own writing, when it differs
        elif kind == "replace":
            statement.append((words[0], "del", _weight(words[0])))
            quote.append((words[1], "ins", _weight(words[1])))
        elif kind == "delete":
            statement.append((words[0], "del", _weight(words[0])))
        elif kind == "insert":
            quote.append((words[0], "ins", _weight(words[0])))
    return statement, quote


def _weight(words: str) -> str:
    if any(ch.isdigit() for ch in words):
        return "number"
    if any(is_negation(w.strip(".,;:!?\"'“”‘’()").casefold().replace("’", "'")) for w in words.split()):
        return "negation"
    return ""


def reason_kind(reason: str) -> str | None:
    """"number" or "negation" for a match reason about one ("number changed: 20,000 → 2,000",
    "negation dropped: 'not'"), else None."""
    head = reason.split(":", 1)[0]
    return next((kind for kind in ("number", "negation") if head.startswith(kind)), None)


def json_ld(data: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> block.

    "<", ">" and "&" only occur inside JSON strings, where their \\u escapes mean the same;
    escaping them means no text (say a quote containing "</script>") can end the block.
    """
    text = json.dumps(data, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def http_url(url: str | None) -> str | None:
    """`url` if it is an http(s) link, else None: imported data must not smuggle in javascript: links."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def day(value: dt.date | dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def moment(value: dt.datetime | None) -> str:
    """A stored time in UTC (SQLite gives it back without its zone, which is UTC)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def atom_time(value: dt.datetime | None) -> str:
    """An RFC 3339 time in UTC for Atom; the epoch when there is none (an empty feed)."""
    value = value or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def field_attrs(field) -> dict:
    """ARIA attributes tying a form input to its hint and error messages (ids made in macros.html)."""
    described = [f"{field.id}-hint"] if field.description else []
    described += [f"{field.id}-error"] if field.errors else []
    attrs = {"aria-describedby": " ".join(described)} if described else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters.update(http_url=http_url, day=day, moment=moment, atom_time=atom_time)
    app.jinja_env.globals.update(diff_sides=diff_sides, reason_kind=reason_kind, page_url=page_url, field_attrs=field_attrs,
                            absolute_url=absolute_url)
