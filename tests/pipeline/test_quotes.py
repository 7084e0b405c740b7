"""Quotation-mark pairing: which marks make a quote, and the words between them.

Every text here is a made-up sample about fictional people.
"""
import random

import pytest

from factcheck.pipeline.quotes import find_quotations, paragraphs


def quoted(text):
    """The words of each reported quote (titles left out), checking offsets on the way."""
    out = []
    for q in find_quotations(text):
        assert 0 <= q.open < q.start <= q.end <= q.close <= len(text)
        if q.kind == "quote":
            out.append(text[q.start:q.end])
    return out


@pytest.mark.parametrize("text, expected", [
    ("“We will rebuild,” Ana Lind said.", ["We will rebuild,"]),
    ('"We will rebuild," Ana Lind said.', ["We will rebuild,"]),
    ("„Wir bauen neu“, sagte Ana Lind.", ["Wir bauen neu"]),
    ("„Odbudujemy”, powiedziała Ana Lind.", ["Odbudujemy"]),
    ("« Nous reconstruirons », a dit Ana Lind.", ["Nous reconstruirons"]),
    ("»Wir bauen neu«, sagte Ana Lind.", ["Wir bauen neu"]),
    ("‘We will rebuild,’ Ana Lind said.", ["We will rebuild,"]),
    ("'We will rebuild,' Ana Lind said.", ["We will rebuild,"]),
])
def test_each_style_of_mark_pairs(text, expected):
    assert quoted(text) == expected


def test_apostrophes_are_not_quotation_marks():
    text = ("We've said the students' union doesn't speak for Kyiv’s workers in the ’90s style. "
            "‘It isn’t over,’ Tom Berg said of the members’ vote.")
    assert quoted(text) == ["It isn’t over,"]


def test_a_plural_possessive_inside_single_quotes_does_not_close_them():
    text = "‘The students’ books are lost,’ Ana Lind said."
    assert quoted(text) == ["The students’ books are lost,"]


def test_a_nested_quote_is_part_of_the_outer_one():
    text = "“He told me, ‘Never again,’ and left,” Tom Berg said. 'She said \"no\" twice,' he added."
    assert quoted(text) == ["He told me, ‘Never again,’ and left,", 'She said "no" twice,']


def test_a_quote_running_over_paragraphs_is_one_chain_of_parts():
    text = ("“The first paragraph ends here without a closing mark.\n"
            "“The second one too.\n"
            "“The last one closes,” Ana Lind said. “And a new quote.”")
    spans = [q for q in find_quotations(text) if q.kind == "quote"]
    assert [text[q.start:q.end] for q in spans] == [
        "The first paragraph ends here without a closing mark.",
        "The second one too.",
        "The last one closes,",
        "And a new quote.",
    ]
    assert spans[0].chain == spans[1].chain == spans[2].chain != spans[3].chain
    assert not spans[0].closed and spans[2].closed


def test_straight_marks_run_on_over_paragraphs_too():
    text = '"We kept fishing.\n"We kept going," Tom Berg said.'
    spans = find_quotations(text)
    assert [text[q.start:q.end] for q in spans] == ["We kept fishing.", "We kept going,"]
    assert spans[0].chain == spans[1].chain


def test_blank_lines_separate_paragraphs_of_hard_wrapped_text():
    text = "“We will rebuild the pier\nbefore winter,” Ana Lind said.\n\n“Next,” she said."
    blank = text.index("\n\n")
    assert paragraphs(text) == ((0, blank), (blank + 2, len(text)))
    assert quoted(text) == ["We will rebuild the pier\nbefore winter,", "Next,"]


def test_one_blank_line_does_not_join_long_lines_into_one_paragraph():
    body = "“We will rebuild the old pier before the winter storms arrive,” Ana Lind said on Tuesday" * 2
    text = f"Pier Plan Wins\n\n“First line.\n{body}"
    assert len(paragraphs(text)) == 3
    assert quoted(text)[0] == "First line."


def test_an_ellipsis_stays_as_written():
    text = "“We tried… and we will try again...” Ana Lind said."
    assert quoted(text) == ["We tried… and we will try again..."]


@pytest.mark.parametrize("text, expected", [
    ("“We open on Monday,” Ana Lind said. He said “maybe and left", ["We open on Monday,", "maybe and left"]),
    ('"This is odd, she said. Ana Lind said "fine."', ["fine."]),
    ("The pier” was closed. “Yes,” she said.", ["Yes,"]),
    ('He is 5\'10" tall. "Yes," Tom Berg said.', ["Yes,"]),
    ("“”", []),
    ("“ ”", []),
    ("\"", []),
])
def test_unbalanced_marks_give_a_best_effort(text, expected):
    assert quoted(text) == expected


def test_random_text_never_breaks_the_pairing():
    rng = random.Random(7)
    alphabet = "ab s.\n,“”„«»‘’‚‹›\"'"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        for q in find_quotations(text):
            assert text[q.start:q.end].strip() == text[q.start:q.end]


@pytest.mark.parametrize("text, expected", [
    # Two apostrophes for a double mark, as some news archives write them.
    ("''This is not reform,'' said Ana Lind. ''It is a patch.''", ["This is not reform,", "It is a patch."]),
    ("The students'' fees rose.", []),
    # A straight mark and a curly one paired, as scraped text mixes them.
    ("She sorted the \"work-related” emails from the “personal” ones.", ["work-related", "personal"]),
    ("“We will not wait,\" Ana Lind said.", ["We will not wait,"]),
    # Markup left in the text: attribute values are not quotes.
    ('<tweet author="skerraledger" id="1234">Ana Lind said “yes.”', ["yes."]),
])
def test_doubled_apostrophes_mixed_marks_and_markup(text, expected):
    assert quoted(text) == expected


@pytest.mark.parametrize("text", [
    "She read the book “Quiet Water” twice.",
    "He spoke on Radio Skerra’s “Harbour Hour.”",
    "On this week’s episode of “Quay Talk,” the mayor spoke.",
    "She told the story on “Harbour Mornings,” the radio show.",
    "The newsletter, “Harbor Notes,” comes out weekly.",
    "A group called “Mothers for Peace” marched.",
    "His film, titled “Night tide on the quay”, opened.",
    "Dwayne “The Rock” Johnson was there.",
])
def test_titles_and_names_in_marks_are_not_quotes(text):
    assert [q.kind for q in find_quotations(text)] == ["title"]


@pytest.mark.parametrize("text, partial", [
    ("Ana Lind called the plan “a disaster” on Tuesday.", True),
    ("The plan was called “a slow-motion disaster for the town.”", True),
    ("Her aim was “twofold: to build and to stay.”", True),
    ("Ana Lind said: “The plan is a disaster.”", False),
    ("“The plan is a disaster,” Ana Lind said.", False),
    ("“The plan,” Ana Lind said, “is a disaster.”", False),
])
def test_partial_quotes_are_marked(text, partial):
    assert [q.partial for q in find_quotations(text)][-1] is partial


def test_quotes_come_in_text_order_with_exact_offsets():
    text = "“One,” she said.\n«Two», he said. ‘Three,’ they said."
    spans = find_quotations(text)
    assert [text[q.start:q.end] for q in spans] == ["One,", "Two", "Three,"]
    assert [q.start for q in spans] == sorted(q.start for q in spans)
    assert all(text[q.open] in "“«‘" for q in spans)


def test_a_pronoun_talked_about_as_a_word_is_not_a_quote():
    text = 'Why vote for Berg, unless simply because "she" is a "he"? A loud, rich "he." "You!" Lind shouted.'
    spans = find_quotations(text)
    assert [(text[s.start:s.end], s.kind) for s in spans] == [
        ("she", "title"), ("he", "title"), ("he.", "title"), ("You!", "quote")]


def test_a_stage_direction_in_marks_is_no_quote():
    text = '"ROE: The count is wrong.\n\n"(CROSSTALK.)\n\n"BERG: It is not."'
    assert [(text[q.start:q.end], q.kind) for q in find_quotations(text)] == [
        ("ROE: The count is wrong.", "quote"), ("(CROSSTALK.)", "direction"), ("BERG: It is not.", "quote")]


@pytest.mark.parametrize("text, kinds", [
    ("Lowmoor residents held signs reading “Save the Pier,” and the mayor waved.", ["slogan"]),
    ("Above the gate hung a banner: “No ferry, no vote.”", ["slogan"]),
    ("They carried placards that said “Harwick says no” past the town hall.", ["slogan"]),
    # somebody says it: a quote
    ("The crowd chanted “Save the Pier” outside the town hall.", ["quote"]),
    ("Mayor Ivo Sandell signs the order and said “we are done” on Monday.", ["quote"]),
    # a long quotation is not a slogan, whatever stands before it
    ("Her sign reading “We have waited eleven years for a ferry that never comes to Lowmoor” drew a crowd.",
     ["quote"]),
])
def test_a_slogan_on_a_sign_is_not_a_quote(text, kinds):
    assert [q.kind for q in find_quotations(text)] == kinds


@pytest.mark.parametrize("text", [
    "Lowmoor residents held signs reading “Save the Pier,” Ana Lind said on Monday.",
    "He wore a T-shirt emblazoned with the words ''Save the Pier,'' as Tom Berg shouted on the quay.",
])
def test_a_slogan_somebody_is_said_to_say_is_a_quote(text):
    assert [q.kind for q in find_quotations(text)] == ["quote"]
