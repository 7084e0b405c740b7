"""Speakers: each quote's mention resolved to a canonical person, organisation or source.

The texts and tests/fixtures/sample-skerra-ferry-children.txt are made-up samples about
fictional people; the last test reads the project's shared sample article when present.
"""
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.pipeline.speakers import quotes_with_speakers

from ..conftest import SAMPLE_ARTICLE, SAMPLE_GOLD, needs_shared

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def speakers(text):
    """(speaker, kind) of each quote, checking every offset on the way."""
    out = []
    for q in quotes_with_speakers(text):
        assert text[q.start:q.end] == q.text
        if q.speaker_mention:
            m = q.speaker_mention
            assert text[m.start:m.end] == m.text
        assert 0.0 <= q.confidence <= 1.0
        out.append((q.speaker, q.speaker_kind))
    return out


def test_titles_and_short_forms_resolve_to_the_full_name():
    text = ("Mrs. Velden arrived first. First Lady Mara Velden thanked the crew.\n"
            "“We are home,” Mrs. Velden said. “At last,” First Lady Velden added. “Thank you,” said Mara.")
    assert speakers(text) == [("Mara Velden", "person")] * 3


def test_pronouns_follow_the_sex_titles_and_first_names_give():
    text = ("Ana Lind and Tom Berg met on Friday. “We agreed on nothing,” she said. “Nothing at all,” he added.\n"
            "Mr. Ostrow and Dr. Kell spoke next. “It went well,” he said.")
    assert speakers(text) == [("Ana Lind", "person"), ("Tom Berg", "person"), ("Ostrow", "person")]


def test_a_pronoun_teaches_the_sex_of_a_name_the_lists_do_not_know():
    text = ("Sol Ferrand met Lio Vance. Vance said he was tired.\n"
            "“We are done,” she said. “We are not,” he replied.")
    assert speakers(text) == [("Sol Ferrand", "person"), ("Lio Vance", "person")]


def test_a_title_inside_a_quote_tells_the_sex_of_the_person_addressed():
    # Without the title Ferrand, as recent as Vance and of no known sex, would do as well.
    text = ("Sol Ferrand wrote to Lio Vance: “Mr. Vance, we must talk.”\n"
            "Vance and Ferrand met on Monday. “We must,” he said.")
    assert speakers(text)[1] == ("Lio Vance", "person")


def test_a_person_of_unknown_sex_named_since_the_last_match_is_the_pronouns_antecedent():
    text = ("Councillor Ana Lind opened the hearing.\n"
            "Ines Varro, president of the Skerra Dockers’ Union, said crews had logged nine alarms. "
            "“I am not here to stop this pier,” she said.")
    assert speakers(text) == [("Ines Varro", "person")]


def test_two_people_with_one_surname_are_told_apart():
    text = ("Jane Roe and John Roe run the bakery.\n"
            "“We opened in 1990,” Ms. Roe said. “It was hard,” Mr. Roe said.\n"
            "“Very hard,” John said. “But worth it,” Jane said.")
    assert [s for s, _ in speakers(text)] == ["Jane Roe", "John Roe", "John Roe", "Jane Roe"]


def test_a_surname_alone_means_the_person_introduced_earlier():
    text = "Councillor Tom Berg voted no. “We are borrowing against our children,” Berg said."
    assert speakers(text) == [("Tom Berg", "person")]


def test_a_description_finds_the_person_introduced_with_it():
    text = ("Jane Roe, the union's president, opened the meeting. Foreign Minister Ada Quist listened.\n"
            "“We will strike,” the union's president said. “Then we will talk,” the minister replied.")
    assert speakers(text) == [("Jane Roe", "person"), ("Ada Quist", "person")]


def test_a_description_given_with_is_counts_too():
    text = "Ana Lind is the town's mayor. In the words of the mayor, “the pier is our heart.”"
    assert speakers(text) == [("Ana Lind", "person")]


def test_organisations_speak_as_organisations():
    text = ("“No comment,” the Ministry of Harbors said in a statement. “We are reviewing it,” the ministry added.\n"
            "“We stand by our product,” Acme Corp. said. “Safety first,” it added.\n"
            "Russia said: “We were not consulted.”")
    assert speakers(text) == [("Ministry of Harbors", "organization")] * 2 + [
        ("Acme Corp.", "organization")] * 2 + [("Russia", "organization")]


def test_a_name_later_called_the_company_or_it_is_an_organisation():
    text = ("“We are sorry,” Keller Rail said, after water at the Northfield portal forced the company to stop.\n"
            "“We will be done by spring,” Dorn Haulage said. “No later,” it added.")
    assert speakers(text) == [("Keller Rail", "organization")] + [("Dorn Haulage", "organization")] * 2


def test_an_unnamed_organisation_is_named_by_its_description():
    assert speakers("“We have no money,” the harbour board said.") == [("the harbour board", "organization")]


@pytest.mark.parametrize("text, description", [
    ("“I saw the smoke,” one resident said.", "one resident"),
    ("“It is over,” a spokesperson said.", "a spokesperson"),
    ("Officials said the plan was “unworkable.”", "Officials"),
    ("A source familiar with the talks said: “It is over.”", "A source"),
    ("“We were not told,” said diplomatic sources.", "diplomatic sources"),
    ("“Never again,” the minister said.", "the minister"),  # no minister was named
])
def test_anonymous_sources_have_no_speaker_but_keep_their_description(text, description):
    (q,) = quotes_with_speakers(text)
    assert (q.speaker, q.speaker_kind, q.speaker_mention.text) == (None, "anonymous", description)


def test_they_can_mean_a_group_of_sources():
    text = "Officials met on Monday. “We need more time,” they said."
    (q,) = quotes_with_speakers(text)
    assert (q.speaker_kind, q.speaker_mention.text) == ("anonymous", "they")


def test_an_unresolvable_pronoun_leaves_the_speaker_unknown():
    (q,) = quotes_with_speakers("“We will see,” he said.")
    assert (q.speaker, q.speaker_kind, q.speaker_mention.text) == (None, "unknown", "he")


def test_a_quote_without_any_attribution_is_unknown():
    (q,) = quotes_with_speakers("“Nobody knows.”")
    assert (q.speaker, q.speaker_kind, q.speaker_mention, q.cue) == (None, "unknown", None, None)


def test_titles_in_marks_are_left_out_and_partial_quotes_kept():
    text = "Ana Lind, author of the book “Quiet Water”, called the plan “a disaster.”"
    (q,) = quotes_with_speakers(text)
    assert (q.text, q.speaker, q.partial) == ("a disaster.", "Ana Lind", True)


FIXTURE_SPEAKERS = [
    ("Every one of these children", "Mara Velden", "person", "she"),
    ("A child, Governor Brask,", "Mara Velden", "person", "she"),
    ("simple: to bring every child", "Mara Velden", "person", "her"),
    ("We met eleven times,", "Tomas Reyl", "person", "Reyl"),
    ("Eleven.", "Tomas Reyl", "person", "Reyl"),
    ("Three more families are waiting.", "Mara Velden", "person", "First Lady Velden"),
    ("When the ferry came in", None, "anonymous", "one Skerra fisherman"),
    ("We are proud to help,", "Skerra Ferry Co.", "organization", "the company"),
]


def test_a_whole_sample_article():
    text = (FIXTURES / "sample-skerra-ferry-children.txt").read_text(encoding="utf-8")
    quotes = quotes_with_speakers(text)
    assert len(quotes) == len(FIXTURE_SPEAKERS)
    for q, (opening, speaker, kind, mention) in zip(quotes, FIXTURE_SPEAKERS):
        assert q.text.startswith(opening)
        assert (q.speaker, q.speaker_kind, q.speaker_mention.text) == (speaker, kind, mention)
    assert quotes[5].text.endswith("forget them…")  # the ellipsis as written


@needs_shared
def test_the_shared_sample_article_matches_its_gold():
    text = SAMPLE_ARTICLE.read_text(encoding="utf-8")
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))["quotes"]
    got = quotes_with_speakers(text)
    assert [(q.start, q.end, q.speaker, q.speaker_kind) for q in got] == [
        (g["start"], g["end"], g["speaker"], g["speaker_kind"]) for g in gold]
    assert got[-1].speaker_mention.text == "one Kyiv resident"


def test_running_the_module_prints_the_extract_json():
    path = FIXTURES / "sample-skerra-ferry-children.txt"
    out = subprocess.run([sys.executable, "-m", "factcheck.pipeline.speakers", str(path)],
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["article"]["authors"] == ["Ines Calloway"]
    assert data["article"]["published"] == "2025-03-14"
    assert [q["speaker"] for q in data["quotes"]] == [s for _, s, _, _ in FIXTURE_SPEAKERS]


def test_random_word_salad_never_breaks_the_stage():
    rng = random.Random(1)
    vocab = ("said told Mrs. Mr. Ana Lind Tom Berg the a one resident officials ministry Acme Corp. , . : ; — ? ! "
             "according to in words of her his she he they it own “ ” ‘ ’ \" ' « » „ I we spokesperson for who "
             "that, 54 Jr. \n \n\n as stated put").split(" ")
    for _ in range(300):
        speakers(" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 40))))


def test_the_quay_tunnel_sample_gets_every_speaker_right():
    """A fictional article with the patterns behind earlier bugs: an unknown-sex first
    name before "she said", a spokesperson "for the company", a company speaking "in a
    statement", a party in parentheses, a partial quote with no cue, a show's title after
    a possessive, and a quote signed with a dash."""
    text = (FIXTURES / "sample-quay-tunnel-hearing.txt").read_text(encoding="utf-8")
    assert [(q.speaker, q.speaker_kind, q.partial) for q in quotes_with_speakers(text)] == [
        ("Mara Velden", "person", False),
        ("Ines Varro", "person", False),
        ("Odile Fenn", "person", False),
        ("Corvane Tunnelling", "organization", False),
        ("Edda Brann", "person", True),
        ("Tomas Lund", "person", False),
    ]


def test_a_person_described_with_the_company_stays_a_person():
    text = ("Corvane Tunnelling blamed the rock. “It is not what we were promised,” said Odile Fenn, "
            "a spokesperson for the company, who spoke for an hour.")
    assert speakers(text) == [("Odile Fenn", "person")]


def test_a_name_that_speaks_in_a_statement_is_an_organisation():
    text = "Corvane Tunnelling said in a statement: “We will not comment.”"
    assert speakers(text) == [("Corvane Tunnelling", "organization")]
    # A known first name keeps a person a person.
    text = "Anna Corvane said in a statement: “I will not comment.”"
    assert speakers(text) == [("Anna Corvane", "person")]


@pytest.mark.parametrize("text, expected", [
    # A party or state in parentheses between the name and the verb.
    ("“We will vote in April,” Councillor Edda Brann (Harbour Greens) said.", ("Edda Brann", "person")),
    # A quote signed with a dash, as in a list of reader responses.
    ("“We are borrowing against our grandchildren.” ― Tomas Lund", ("Tomas Lund", "person")),
    # A description the lexicons do not know, as the subject of the cue.
    ("As the phone rang, the announcer said, “It is three in the morning.”", (None, "anonymous")),
    # A partial quote with no cue: the subject of its sentence used the words.
    ("In the end, Edda Brann waved the timetable away as “a fantasy.”", ("Edda Brann", "person")),
    # A participle after a comma: the sentence's subject.
    ("Edda Brann attacked the plan on Monday, saying, “It will sink the quay.”", ("Edda Brann", "person")),
    # A capitalised noun after "a" is a description, not a name.
    ("“She is too far behind,” said a Skerra Democrat.", (None, "anonymous")),
    # he's is "he is", not a possessive.
    ("Tomas Lund spoke next. He’s claiming that the fund is “a bottomless pit.”", ("Tomas Lund", "person")),
])
def test_more_attribution_patterns(text, expected):
    assert speakers(text) == [expected]


def test_a_pronoun_in_a_clause_means_its_sentences_subject():
    text = "Mara Velden says she admired Ines Varro’s courage through what she calls “a hard winter.”"
    assert speakers(text) == [("Mara Velden", "person")]


def test_a_headline_quote_the_body_repeats_is_reported_once():
    text = "Velden: ‘Not One Extra Krone’\n\n“Not one extra krone,” Mara Velden said."
    assert [(q.text, q.speaker) for q in quotes_with_speakers(text)] == [("Not one extra krone,", "Mara Velden")]


def test_it_in_a_clause_means_the_organisation_its_sentence_opens_with():
    text = ("The Harbour Council on Friday condemned Corvane Tunnelling’s latest delay, "
            "which it called “a clear breach of contract.”")
    assert speakers(text) == [("Harbour Council", "organization")]


def test_a_transcript_label_is_the_person_named_before():
    text = ("On Sunday, Interior Minister Mara Velden spoke to the Skerra Herald.\n\n"
            "\"HALVORSEN: Will the ferry run?\n\n"
            "\"VELDEN: It will.\"")
    assert speakers(text) == [("Halvorsen", "person"), ("Mara Velden", "person")]


def test_a_relative_in_apposition_with_a_nickname_and_party_is_the_named_person():
    text = ("\"Bring the ferry back!\" Velden's niece, state Del. Ines \"Nessa\" Varro (D-Skerra), "
            "shouted to the crowd.")
    assert speakers(text) == [("Ines Varro", "person")]


def test_a_one_word_name_after_a_role_is_a_person():
    text = "Band member Kestrel shared the news last week, writing “Feels great to support the ferry.”"
    assert speakers(text) == [("Kestrel", "person")]


def test_a_surname_that_is_also_a_title():
    text = "Tom King runs the ferry. “It is all about the timetable,” Mr. King added."
    assert speakers(text) == [("Tom King", "person")]


def test_a_name_opening_a_headline_before_a_colon_speaks_its_quote():
    text = ("Ines Varro: Ferry Delay ‘Reeks of Fear.’\n\n"
            "According to harbour pilot Ines Varro, the delay reeks of “fear” and haste.")
    assert [(q.text, q.speaker) for q in quotes_with_speakers(text)] == [
        ("Reeks of Fear.", "Ines Varro"), ("fear", "Ines Varro")]


def test_a_headline_kicker_is_no_speaker():
    text = "Exclusive: Velden Calls Plan ‘A Disgrace’\n\nMara Velden spoke on Monday."
    assert speakers(text) == [(None, "unknown")]


def test_an_age_as_a_description_means_the_person_the_text_is_about():
    text = ("The Skerra-born former pilot spoke last. Mara Velden thanked the crew.\n\n"
            "“We are home at last,” said the 46-year-old.")
    assert speakers(text) == [("Mara Velden", "person")]


def test_a_named_persons_brief_speaks_for_them():
    text = "However, Ines Varro's brief said the reports were “old and misread statements.”"
    (quote,) = quotes_with_speakers(text)
    assert (quote.speaker, quote.speaker_mention.text) == ("Ines Varro", "Ines Varro's brief")


def test_a_quote_in_a_subheading_the_body_repeats_is_reported_once():
    text = ("Mara Velden thanked the crew and left.\n\n"
            "Ferry Chief Calls The Timetable ‘A Complete Fantasy’\n\n"
            "“The timetable is a complete fantasy,” Tomas Lund said.")
    assert [(q.text, q.speaker) for q in quotes_with_speakers(text)] == [
        ("The timetable is a complete fantasy,", "Tomas Lund")]
