"""Quantities read by meaning: what a number in a claim counts, not only its value.

`numbers.py` reads a number's value ("three million" and "3,000,000" are one value).
That is enough to tell a quote's changed figure, but not to compare two claims: "$1.1
billion" and "2026" are both numbers, yet one is an amount of money and the other a
year, and telling an editor that they differ is noise. Here each number is read with
what it measures:

- `amount`: money, with its currency ("$1.1 billion", "1.1 billion dollars", "1,100
  million dollars", "$640m" are amounts in dollars);
- `percent`: a share ("40%", "40 percent", "40 per cent");
- `points`: a difference of percentages ("3 percentage points"), never a percent;
- `year`: a year ("2026", "in 1990") or a decade ("the 1990s"), never an amount;
- `count`: anything else, with the words it counts as its unit ("40,000 residents",
  "3.1 kilometres", "four days"; stemmed, so "day" meets "days").

`comparable(a, b)` says whether two quantities measure the same thing (same kind and
unit), and `numbers_differ` which comparable quantities of two texts disagree: only
there may a claim have changed a checked figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .folding import normalize
from .memo import Memo
from .numbers import number_of
from .stemming import stem
from .stopwords import STOPWORDS

# A token: a numeral with its currency sign, decimals, percent sign or scale suffix
# ("$1.1bn", "640m", "40%"), or a word (hyphens split "3.1-kilometre" into two).
_TOKEN = re.compile(r"[$€£¥]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:%|bn|m|k|s)?(?![\w.])|[a-z]+(?:'[a-z]+)?|\w+")
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "k": 1e3, "m": 1e6, "bn": 1e9}
_CURRENCY_SIGNS = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}
_CURRENCY_WORDS = {"dollar": "dollar", "dollars": "dollar", "euro": "euro", "euros": "euro",
                   "pound": "pound", "pounds": "pound", "yen": "yen", "cents": "cent", "cent": "cent"}
_PERCENT_WORDS = ("percent", "percentage")
# Number words too ambiguous to read alone: "one" is mostly a pronoun ("no one", "the
# one that"), and a scale word without a figure ("millions of people") states no value.
_NOT_ALONE = {"one", *_SCALES}
_YEAR = re.compile(r"(1[89]|20)\d\d")
# How many words after a count may say what it counts ("40,000 Northfield residents").
COUNTED_WORDS = 2


@dataclass(frozen=True)
class Quantity:
    """One number of a text: its `value`, its `kind` (amount, percent, points, year,
    count), its `unit` (a currency for amounts, "" when unwritten; the stems of the
    counted words for counts; "" otherwise) and its `text` as written."""

    value: float
    kind: str
    unit: str
    text: str

    def same_as(self, other: Quantity) -> bool:
        """The same quantity: comparable, and equal to within rounding (half a percent)."""
        return comparable(self, other) and abs(self.value - other.value) <= 0.005 * max(abs(self.value), abs(other.value))


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether `a` and `b` measure the same thing, so that different values contradict.

    An amount whose currency is not written ("1,100 million") compares with any amount;
    a count with a count of any of the same words ("40,000 residents", "40,000 Northfield
    residents"); a count of nothing named ("rose to 12") with nothing: what it counts is
    unknown.
    """
    if a.kind != b.kind:
        return False
    if a.kind == "amount":
        return a.unit == b.unit or not a.unit or not b.unit
    if a.kind == "count":
        return bool(set(a.unit.split()) & set(b.unit.split()))
    return True


def quantities(text: str) -> tuple[Quantity, ...]:
    """The quantities `text` states, in order (see the module docstring for the kinds)."""
    return _QUANTITIES[text]


def _quantities(text: str) -> tuple[Quantity, ...]:
    words = _TOKEN.findall(normalize(text))
    found = []
    i = 0
    while i < len(words):
        quantity, i = _read(words, i)
        if quantity is not None:
            found.append(quantity)
    return tuple(found)


# A claim is compared with a hundred or more candidates, each text's numbers read once.
_QUANTITIES = Memo(_quantities, limit=100_000)


def numbers_differ(a: str, b: str) -> list[tuple[Quantity, Quantity]]:
    """The pairs of comparable quantities of `a` and `b` that disagree, each member
    stated by its own text only (a figure of `a` that `b` also states is agreed, whatever
    else `b` says): where one text may have changed the other's figure."""
    mine, theirs = quantities(a), quantities(b)
    mine_only = [x for x in mine if not any(x.same_as(y) for y in theirs)]
    theirs_only = [y for y in theirs if not any(y.same_as(x) for x in mine)]
    return [(x, y) for x in mine_only for y in theirs_only if comparable(x, y)]


def same_quantities(a: str, b: str) -> list[Quantity]:
    """The quantities of `a` that `b` also states (comparable and equal)."""
    theirs = quantities(b)
    return [x for x in quantities(a) if any(x.same_as(y) for y in theirs)]


def _read(words: list[str], i: int) -> tuple[Quantity | None, int]:
    """The quantity that starts at words[i] (or None), and where reading goes on."""
    first = words[i]
    sign = first[0] if first[0] in _CURRENCY_SIGNS else ""
    body = first[len(sign):]
    suffix = next((s for s in ("bn", "m", "k") if body.endswith(s) and body[:-len(s)][-1:].isdigit()), "")
    decade = body.endswith("s") and body[:-1].isdigit()
    core = body[: len(body) - len(suffix) - decade]
    number = number_of(core) if core not in _NOT_ALONE else None
    if number is None:
        return None, i + 1
    value, percent = number[1], number[2] == "%"
    written = [first]
    j = i + 1
    if suffix:
        value *= _SCALES[suffix]
    # Number words and scales that follow: "twenty five", "1.1 billion", "three million".
    while j < len(words) and not percent and not suffix:
        nxt = number_of(words[j]) if words[j] != "one" else None
        if words[j] in _SCALES and len(words[j]) > 2:
            value *= _SCALES[words[j]]
        elif nxt is not None and not words[j][0].isdigit() and value % 10 == 0 and nxt[1] < 10 and value >= 20:
            value += nxt[1]
        else:
            break
        written.append(words[j])
        j += 1
    nxt = words[j] if j < len(words) else ""
    if sign or nxt in _CURRENCY_WORDS:
        unit = _CURRENCY_SIGNS[sign] if sign else _CURRENCY_WORDS[nxt]
        return Quantity(value, "amount", unit, " ".join(written + ([nxt] if nxt in _CURRENCY_WORDS else []))), j + (nxt in _CURRENCY_WORDS)
    if nxt in _PERCENT_WORDS or (nxt == "per" and j + 1 < len(words) and words[j + 1] == "cent"):
        span = 2 if nxt == "per" else 1
        written += words[j : j + span]
        j += span
        percent = True
    if percent:
        if j < len(words) and words[j] in ("point", "points"):
            return Quantity(value, "points", "", " ".join(written + [words[j]])), j + 1
        return Quantity(value, "percent", "", " ".join(written)), j
    if nxt in ("point", "points"):
        return Quantity(value, "points", "", " ".join(written + [nxt])), j + 1
    if decade or (len(written) == 1 and _YEAR.fullmatch(core) and "," not in first):
        return Quantity(value, "year", "", first), j
    counted = _counted(words, j)
    if not counted and (suffix or len(written) > 1 and written[-1] in _SCALES):
        return Quantity(value, "amount", "", " ".join(written)), j  # "1,100 million": money, most likely
    return Quantity(value, "count", " ".join(map(stem, counted)), " ".join(written + counted)), j


def _counted(words: list[str], j: int) -> list[str]:
    """The words a count counts: up to COUNTED_WORDS words that follow it, up to a stop
    word or another number ("40,000 Northfield residents" -> "northfield", "residents")."""
    counted = []
    for word in words[j : j + COUNTED_WORDS]:
        if word in STOPWORDS or number_of(word) is not None:
            break
        counted.append(word)
    return counted
