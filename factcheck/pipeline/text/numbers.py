"""Numbers read from words: "20,000", "$3.5", "40%", "three million".

`number_of` reads one word, `numbers_in` a run of words (number words combined), so a
number written another way ("3 million", "three million", "3,000,000") is the same
number. The patterns below find numbers, years and percentages in running text.
"""
from __future__ import annotations

import re

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
# "$1,200.50", "20,000", "3.5", "40%": an optional currency sign, digits with optional
# thousands separators, an optional decimal part and an optional percent sign.
_NUMERAL = re.compile(r"([$€£¥]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")


def _word_number(key: str) -> float | None:
    """The value of a number word: "three", "twenty", "twenty-five", "million"."""
    if key in _UNITS:
        return _UNITS[key]
    if key in _TENS:
        return _TENS[key]
    if key in _SCALES:
        return _SCALES[key]
    tens, _, unit = key.partition("-")
    if tens in _TENS and _UNITS.get(unit, 0) in range(1, 10):
        return _TENS[tens] + _UNITS[unit]
    return None


def number_of(key: str) -> tuple[str, float, str] | None:
    """A word key read as a number: (currency sign, value, percent sign), else None.

    "20,000" -> ("", 20000.0, ""); "$3.5" -> ("$", 3.5, ""); "three" -> ("", 3.0, "").
    """
    match = _NUMERAL.fullmatch(key)
    if match:
        sign, whole, fraction, percent = match.groups()
        return sign, float(whole.replace(",", "") + (fraction or "")), percent
    value = _word_number(key)
    return None if value is None else ("", float(value), "")


def numbers_in(keys: list[str]) -> list[tuple[str, float, str]]:
    """The numbers a run of word keys states, number words combined.

    "three million" and "3 million" and "3,000,000" all give [("", 3000000.0, "")], so
    a number written another way is not mistaken for a changed number.
    """
    found: list[tuple[str, float, str]] = []
    previous_was_number = False
    for key in keys:
        number = number_of(key)
        if number is None:
            previous_was_number = False
            continue
        if previous_was_number and key in _SCALES:
            sign, value, percent = found[-1]
            found[-1] = (sign, value * number[1], percent)
        elif previous_was_number and key in _UNITS and found[-1][1] in _TENS.values():
            sign, value, percent = found[-1]  # "twenty five"
            found[-1] = (sign, value + number[1], percent)
        else:
            found.append(number)
        previous_was_number = True
    return found


# In running text: digits other than a bare year or a part of a numeric date, ordinals
# ("230th"), and money ("$ 5").
NUMBER = re.compile(r"(?<![\w/])(?!(?:1[89]|20)\d\d\b)\d[\d,.]*(?:st|nd|rd|th)?(?![\w/])|[$€£]\s?\d")
# A year ("1990", "2020s") or a numeric date ("12/5/2025").
YEAR_OR_DATE = re.compile(r"\b(?:1[89]|20)\d\d(?:s)?\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
PERCENT = re.compile(r"\d\s?%")
