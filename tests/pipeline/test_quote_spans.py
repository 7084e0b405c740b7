"""Quotes that span consecutive statements of one source document, and quotation marks in
the source that a quote leaves out.

Every person, statement and date here is invented for the tests (samples).
"""
import datetime

import pytest

from factcheck.pipeline.matching import compare, match_quote
from factcheck.pipeline.records import Statement

SAID = datetime.date(2025, 9, 1)
# A fictional press release imported one sentence a record.
RELEASE = [
    Statement("The Vellmar ferry will run every twenty minutes from May.", "Ilse Corveny", SAID, "R1", 1),
    Statement("Four new boats were ordered from the Skarholm yard last winter.", "Ilse Corveny", SAID, "R2", 2),
    Statement("Fares will stay at two crowns for children under twelve.", "Ilse Corveny", SAID, "R3", 3),
    Statement("The harbour office will publish the timetable in April.", "Ilse Corveny", SAID, "R4", 4),
]
DISTRACTOR = Statement("Ferries to the northern islands will stop in winter.", "Bram Oldenfeld", SAID, "D1", 9)


def runs_of(statements: list[Statement]):
    """The `around` a service gives: the whole release around any of its statements."""
    def around(shortlist: list[Statement]) -> list[list[Statement]]:
        return [RELEASE] if any(s in RELEASE for s in shortlist) else []
    return around


def match(quote: str, *, date: datetime.date | None = None, around=runs_of(RELEASE)):
    return match_quote(quote, [*RELEASE, DISTRACTOR], speaker="Ilse Corveny", date=date, around=around)


def ids(result) -> list[int]:
    return [s.id for s in result.matches[0].statements]


def test_a_quote_of_two_whole_sentences_is_exact_on_the_run():
    result = match("The Vellmar ferry will run every twenty minutes from May. "
                   "Four new boats were ordered from the Skarholm yard last winter.")
    assert result.label == "exact"
    assert ids(result) == [1, 2]
    assert result.matches[0].to_json()["refs"] == ["R1", "R2"]
    assert result.matches[0].to_json()["statement_id"] == 1


def test_without_runs_the_same_quote_is_not_found():
    # Each sentence holds only half of the quote's words.
    result = match("The Vellmar ferry will run every twenty minutes from May. "
                   "Four new boats were ordered from the Skarholm yard last winter.", around=None)
    assert result.label == "none"


def test_a_tail_of_one_sentence_and_the_next_is_exact():
    result = match("from the Skarholm yard last winter. Fares will stay at two crowns")
    assert (result.label, ids(result)) == ("exact", [2, 3])


def test_an_elided_run_covers_the_statements_between():
    result = match("The Vellmar ferry will run every twenty minutes from May … "
                   "the harbour office will publish the timetable in April")
    assert (result.label, ids(result)) == ("elided", [1, 2, 3, 4])


def test_an_altered_run_names_the_change():
    result = match("Four new boats were ordered from the Skarholm yard last winter. "
                   "Fares will stay at three crowns for children under twelve.")
    assert (result.label, ids(result)) == ("altered", [2, 3])
    assert any(r.startswith("number changed") for r in result.matches[0].reasons)
    # The sentence alone gives way to the run holding it.
    assert all(m.run for m in result.matches if m.statement.id in (2, 3))


def test_a_single_sentence_stays_a_single_statement_match():
    result = match("Fares will stay at two crowns for children under twelve.")
    assert (result.label, ids(result)) == ("exact", [3])
    assert result.matches[0].run == []


def test_a_recycled_run_is_flagged_earlier():
    result = match("Fares will stay at two crowns for children under twelve. "
                   "The harbour office will publish the timetable in April.", date=SAID + datetime.timedelta(days=61))
    assert (result.label, ids(result)) == ("exact", [3, 4])
    assert result.matches[0].flags == ["earlier"]


@pytest.mark.parametrize("quote, source", [
    ("larger than our entire annual economy", 'The debt is "larger than our entire annual economy."'),
    ("the debt is larger than our entire annual economy", 'The debt is "larger than our entire annual economy."'),
    ("the debt is larger than our entire annual economy", "The debt is “larger than our entire annual economy.”"),
    ("the wall is a monument to waste", 'She said the wall is "a monument" to waste.'),
])
def test_quotation_marks_the_quote_leaves_out_are_folded_away(quote, source):
    assert compare(quote, source).label == "exact"


def test_a_quotation_mark_the_source_lacks_is_still_a_difference():
    assert compare('the wall is "a monument" to waste', "She said the wall is a monument to waste.").label == "minor"
