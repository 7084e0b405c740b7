"""Claims are whole statements: never a fragment that starts or ends inside an attribution.

Fixtures are fictional samples: the demo's articles (factcheck/samples/, invented outlets
and people) and sentences about invented towns and people written here.
"""
from pathlib import Path

import pytest

from factcheck.pipeline.attribution.frames import has_cue, opens_inside
from factcheck.pipeline.claims import find_claims
from factcheck.pipeline.quotes import find_quotations
from factcheck.pipeline.reading import read_source
from factcheck.pipeline.text.sentences import split_sentences

DEMO_ARTICLES = sorted((Path(__file__).resolve().parents[2] / "factcheck" / "samples" / "articles").iterdir())


def frame_edges(text: str, start: int, end: int) -> list[str]:
    """How the claim at `text[start:end]` begins or ends with an attribution, if it does:
    it opens with a cue whose speaker is outside it ("said Roe, ..."), or it holds a cue
    and stands right after or right before a quotation of its sentence (the quotation's
    frame: "“…,” Roe said on Friday", "Roe told reporters: “…”")."""
    found = []
    if opens_inside(text, start, end):
        found.append("opens with a cue")
    sentence = next((s, e) for s, e in split_sentences(text) if s <= start < e)
    for q in find_quotations(text):
        if q.kind != "quote" or not (sentence[0] <= q.open < sentence[1]):
            continue
        if not text[q.close:start].strip(" ,;:—–-") and q.close <= start and has_cue(text, start, end):
            found.append("frames the quotation before it")
        if not text[end:q.open].strip(" ,;:—–-") and end <= q.open and has_cue(text, start, end):
            found.append("frames the quotation after it")
    return found


@pytest.mark.parametrize("path", DEMO_ARTICLES, ids=lambda p: p.name)
def test_no_demo_claim_begins_or_ends_with_an_attribution(path):
    article = read_source(str(path))
    claims = find_claims(article.text)
    assert claims
    framed = {c.text: frame_edges(article.text, c.start, c.end) for c in claims}
    assert not {text: how for text, how in framed.items() if how}


def claimed(text):
    return [c.text for c in find_claims(text)]


# -- a quotation's frame ------------------------------------------------------------------------

def test_the_frame_after_a_quotation_is_not_a_claim():
    text = "“The Harwick pier will reopen in 2027,” said Ada Brennick, a Lowmoor ferry captain since 1998."
    assert claimed(text) == []


def test_the_frame_before_a_quotation_is_not_a_claim():
    text = "At a press conference on Monday, Mayor Ivo Sandell said: “We have hired 40 new inspectors.”"
    assert claimed(text) == []


def test_a_frame_ending_in_that_before_a_partial_quotation_is_not_a_claim():
    text = "Councillor Mira Olander said last week that “the budget will rise by 12 percent in 2026.”"
    assert claimed(text) == []


def test_a_clause_beside_a_quotation_without_a_cue_is_read_as_usual():
    text = "The Lowmoor ferry carried 9,000 passengers in 2025; its captain was blunt: “We need a bigger boat.”"
    assert claimed(text) == ["The Lowmoor ferry carried 9,000 passengers in 2025"]


def test_what_a_cue_after_the_frame_reports_is_kept_as_a_whole_clause():
    text = ("“We have never missed a payment,” said Tove Lindqvist, the Harwick treasurer, who told"
            " reporters that the town repaid $4 million of debt in 2025.")
    assert claimed(text) == ["the town repaid $4 million of debt in 2025."]


def test_what_the_frame_itself_reports_after_that_is_kept():
    text = ("“We are out of money,” the Harwick treasurer said on Monday, before stressing that the town"
            " had repaid $4 million of debt in 2025.")
    assert claimed(text) == ["the town had repaid $4 million of debt in 2025."]


def test_what_a_frame_reports_before_a_colon_is_kept():
    text = ("In a statement on Monday, the Harwick ferry office said that the ferry ran 40 fewer crossings"
            " in May than in April: “We apologise to every passenger.”")
    assert claimed(text) == ["the ferry ran 40 fewer crossings in May than in April"]


def test_what_a_frame_reports_is_dropped_where_it_runs_into_the_quotation():
    text = ("The Harwick ferry office said on Monday that the 40 cancelled crossings were “a regrettable"
            " but necessary step.”")
    assert claimed(text) == []


def test_a_cue_clause_after_the_frame_without_that_is_dropped():
    text = ("“We are doing our best,” the Harwick treasurer said, adding the town had repaid $4 million"
            " of debt in 2025.")
    assert claimed(text) == []


# -- whole clauses without quotations -------------------------------------------------------------

def test_a_relative_clause_takes_in_the_clause_it_describes():
    text = ("Mayor Ivo Sandell, whose town has spent $9 million on the pier since 2021, said the work"
            " must go on.")
    assert claimed(text) == [text]


def test_reported_speech_without_quotation_marks_is_a_whole_sentence():
    text = "The Harwick mill shut 200 looms in 2024, the weavers’ union said on Monday."
    assert claimed(text) == [text]


@pytest.mark.parametrize("text, inside", [
    ("said Ada Brennick, a ferry captain", True),
    ("adding that the pier had reopened", True),
    ("before insisting that the fare was fair", True),
    ("who told reporters that the pier had reopened", True),
    ("Ada Brennick said the pier had reopened", False),
    ("Sources confirmed that the pier had reopened", False),
    ("Both said the pier had reopened", False),  # a subject, not a word opening a clause
    ("Most agreed that the pier had reopened", False),
])
def test_opening_inside_an_attribution(text, inside):
    assert opens_inside(text, 0, len(text)) is inside


@pytest.mark.parametrize("text, cue", [
    ("Ada Brennick told reporters on Monday", True),
    ("According to the harbour office, the pier reopened", True),
    ("In her own words, the mayor's aim was", True),
    ("The Harwick pier reopened in May", False),
    ("The fare is $2 per ride", False),  # "per", but no speaker after it
    ("The mayor's comment drew 300 letters", False),  # a cue word used as a noun
])
def test_attribution_cues(text, cue):
    assert has_cue(text, 0, len(text)) is cue


# -- kinds --------------------------------------------------------------------------------------

def test_a_refusal_is_not_a_comparison():
    claims = find_claims("The Harwick Ferry Company, which runs 12 boats, declined to comment on the new timetable.")
    assert claims and "comparison" not in claims[0].kinds
    assert "comparison" in find_claims("Ferry trips in Harwick declined to 3,100 in 2025.")[0].kinds


# -- headlines and captions -------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Photo: Lowmoor residents queue for the 7 a.m. ferry on 12 May 2025.",
    "Pictured: Mayor Ivo Sandell opens the $9 million pier in Harwick.",
    "(Photo) The new Harwick pier cost $9 million to build in 2025.",
    "Harwick Council Approves 12 New Ferries For 2026.",
    "Harwick council approves 12 new ferries for 2026",
])
def test_headlines_and_captions_are_not_claims(line):
    text = line + "\nThe Harwick council approved 12 new ferries on Tuesday at a cost of $30 million."
    assert claimed(text) == ["The Harwick council approved 12 new ferries on Tuesday at a cost of $30 million."]
