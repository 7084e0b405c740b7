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


# The release re-issued word for word, 120 days on, as another document (other ids).
REISSUED = [Statement(s.text, s.speaker, SAID + datetime.timedelta(days=120), f"B{s.ref}", s.id + 100)
            for s in RELEASE]


def test_a_reissued_run_is_matched_on_the_issue_nearest_the_quote():
    quote = f"{RELEASE[1].text} {RELEASE[2].text}"
    both = lambda shortlist: [RELEASE, REISSUED]  # noqa: E731
    for days, flags in ((123, []), (210, ["earlier"])):
        result = match_quote(quote, [*RELEASE, *REISSUED], speaker="Ilse Corveny",
                             date=SAID + datetime.timedelta(days=days), around=both)
        assert (result.label, ids(result)) == ("exact", [102, 103])
        assert result.matches[0].flags == flags


# Another document by the same speaker, its sentences in one mould.
NOTICE = [
    Statement("The Vellmar bridge will close 40 lanes by June, said the Harbour office of Ostra.", "Ilse Corveny",
              SAID, "N1", 21),
    Statement("The Dunmore road will reopen 12 lanes by August, said the Roads office of Kessel.", "Ilse Corveny",
              SAID, "N2", 22),
]


def test_a_neighbour_lending_only_its_mould_makes_no_run():
    # The first sentence is from no document; the notice's sentence before the one quoted
    # shares its mould ("The ... bridge will close ... by June, said the ... office of")
    # but not what it says.
    quote = f"The Tarnby bridge will close 75 berths by June, said the Ferry office of Lund. {NOTICE[1].text}"
    result = match_quote(quote, [*RELEASE, *NOTICE], speaker="Ilse Corveny",
                         around=lambda shortlist: [RELEASE, NOTICE])
    assert result.label in ("altered", "none")
    assert all(not m.run for m in result.matches)


def test_a_changed_figure_still_leaves_each_sentence_of_the_run_quoted():
    # One changed word in a sentence is a changed quote of the run, not a stranger's words.
    result = match(f"{RELEASE[0].text} Four new boats were ordered from the Skarholm yard last summer.")
    assert (result.label, ids(result)) == ("altered", [1, 2])
