"""Transcripts: listed after import, and their sentences ranked by check-worthiness."""
import datetime as dt

import pytest
from sqlmodel import Session, select

from factcheck.services.demo import SAMPLES, TRANSCRIPT_DATE
from factcheck.services.statements import LONG_TURN, import_statements
from factcheck.services.transcripts import rank_transcript, transcript_statements, transcripts
from factcheck.store.models import Statement

pytestmark = pytest.mark.db

# A sample hearing, written for these tests: fictional council, fictional people.
HEARING = """\
Owen Pryce: Good morning, everyone, and welcome back.
Dana Whitlock: I feel strongly that we deserve better than this.
Marcus Hale: The city spent 1.1 billion dollars on the tunnel, and ridership fell 40 percent since 2019.
Owen Pryce: Thank you. Let us move on.
"""


@pytest.fixture(autouse=True)
def _lexical(monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")


@pytest.fixture
def hearing(engine, tmp_path):
    path = tmp_path / "sample-hearing.txt"
    path.write_text(HEARING, encoding="utf-8")
    import_statements(engine, str(path), speaker_date=dt.date(2025, 11, 2))
    return engine


def test_an_imported_transcript_is_listed_with_its_counts(hearing):
    with Session(hearing) as session:
        [summary] = transcripts(session)
        first = transcript_statements(session, summary.id)[0]
    assert (summary.title, summary.date, summary.statements, summary.speakers) == (
        "sample-hearing", dt.date(2025, 11, 2), 4, 3
    )
    assert first.text == "Good morning, everyone, and welcome back."


def first_id(engine):
    with Session(engine) as session:
        return transcripts(session)[0].id


def test_a_transcript_is_ranked_most_check_worthy_first_with_reasons(hearing):
    with Session(hearing) as session:
        ranked = rank_transcript(session, first_id(hearing))
    assert len(ranked) == 5  # the last turn is two sentences
    top = ranked[0]
    assert top.turn.speaker_name == "Marcus Hale" and top.position == 3
    assert "quantity" in top.kinds or "statistic" in top.kinds
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)
    opinion = next(r for r in ranked if r.turn.speaker_name == "Dana Whitlock")
    assert opinion.score < top.score


def test_each_sentence_is_ranked_apart_and_keeps_its_turn(hearing):
    with Session(hearing) as session:
        ranked = rank_transcript(session, first_id(hearing))
    last_turn = sorted((r for r in ranked if r.position == 4), key=lambda r: r.start)
    assert [r.text for r in last_turn] == ["Thank you.", "Let us move on."]
    for sentence in last_turn:
        assert sentence.turn.text == "Thank you. Let us move on."
        assert sentence.before + sentence.text + sentence.after == sentence.turn.text
    assert last_turn[1].before == "Thank you. " and last_turn[0].after == " Let us move on."


def test_a_long_turns_stored_sentences_are_not_ranked_twice(engine, tmp_path):
    """The importer stores a long turn's sentences as statements of their own (for
    matching); the ranking splits the turn itself and ranks each sentence once."""
    sentence = "The ferry carried 12,000 passengers in 2024, up 30 percent on the year before. "
    long_turn = (sentence * (LONG_TURN // len(sentence) + 1)).strip()
    varied = ". ".join(s.replace("12,000", f"{12_000 + n:,}") for n, s in enumerate(long_turn.split(". ")))
    path = tmp_path / "sample-long-hearing.txt"
    path.write_text(f"Owen Pryce: Good morning.\nMarcus Hale: {varied}\n", encoding="utf-8")
    import_statements(engine, str(path), speaker_date=dt.date(2025, 11, 2))
    with Session(engine) as session:
        summary = transcripts(session)[0]
        stored = transcript_statements(session, summary.id)
        turns = transcript_statements(session, summary.id, turns_only=True)
        ranked = rank_transcript(session, summary.id)
    assert len(turns) == 2 and len(stored) > len(turns)  # the long turn's sentences are stored too
    assert len(ranked) == len(stored) - 1  # each sentence once, and "Good morning."
    assert {r.turn.id for r in ranked} == {t.id for t in turns}


# The demo's council hearing (factcheck/samples/): sentences that carry figures, and the
# greetings, thanks and procedural lines that any sensible scorer puts below them.
FIGURES = (
    "If we stop now, we will have spent 1.1 billion dollars on a tunnel that goes nowhere.",
    "For the committee's information, the city's share of 120 million would be financed over 25 years.",
    "At current rates, that adds roughly 38 dollars a year to the average household's property tax bill.",
    "The city is ready to put in 120 million of its own money, and I am asking the province to match that commitment.",
    "Forty thousand people in Northfield live more than half an hour from a train, and most of them do not own a car.",
)
PLEASANTRIES = (
    "Good morning.",
    "Thank you, Chair.",
    "Thank you.",
    "Mayor Hale, will the city's money come with conditions?",
    "Let me be plain about what is at stake.",
    "This hearing is adjourned.",
)


def test_on_the_demo_hearing_figures_rank_above_greetings_and_procedure(engine):
    """Holds for any sensible check-worthiness scorer; the scores of a calibrated one
    spread over 0-1 (the model that scored whole turns kept them all under 0.03)."""
    import_statements(engine, str(SAMPLES / "transcript-2025-11-02-council.txt"), speaker_date=TRANSCRIPT_DATE)
    with Session(engine) as session:
        ranked = rank_transcript(session, first_id(engine))
    rank = {r.text: n for n, r in enumerate(ranked, start=1)}
    assert set(FIGURES) <= set(rank) and set(PLEASANTRIES) <= set(rank)  # every one is a sentence of its own
    worst_figure = max(rank[s] for s in FIGURES)
    best_pleasantry = min(rank[s] for s in PLEASANTRIES)
    assert worst_figure < best_pleasantry, [(n, r.score, r.text) for n, r in enumerate(ranked[:15], start=1)]
    scores = [r.score for r in ranked]
    assert max(scores) - min(scores) >= 0.5, f"scores span only {min(scores):.3f} to {max(scores):.3f}"


def test_only_a_transcripts_document_id_names_it(hearing, tmp_path):
    first = first_id(hearing)
    with Session(hearing) as session:
        assert rank_transcript(session, first + 1) == []  # no such document
        assert rank_transcript(session, first + 100) == []
    other = tmp_path / "records.jsonl"
    other.write_text('{"text": "The ferry runs hourly.", "speaker": "Dana Whitlock", "source_title": "Ferry notice"}\n')
    import_statements(hearing, str(other))
    with Session(hearing) as session:
        [statement] = [s for s in session.exec(select(Statement)) if s.text == "The ferry runs hourly."]
        assert statement.source_document_id != first
        assert rank_transcript(session, statement.source_document_id) == []  # a document, not a transcript
        assert [t.id for t in transcripts(session)] == [first]


def test_two_files_with_the_same_name_and_date_are_two_transcripts(hearing, tmp_path):
    """Transcripts used to be told apart by title and date only, so these two merged."""
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "sample-hearing.txt"
    path.write_text("Ines Okafor: The bridge toll rises to 4 dollars in 2026.\nOwen Pryce: Noted.\n", encoding="utf-8")
    report = import_statements(hearing, str(path), speaker_date=dt.date(2025, 11, 2))
    assert report.added == 2 and report.updated == 0
    with Session(hearing) as session:
        summaries = transcripts(session)
        assert [(t.title, t.date, t.statements) for t in summaries] == [
            ("sample-hearing", dt.date(2025, 11, 2), 4), ("sample-hearing", dt.date(2025, 11, 2), 2)]
        first, second = (transcript_statements(session, t.id) for t in summaries)
    assert [s.speaker_name for s in first] == ["Owen Pryce", "Dana Whitlock", "Marcus Hale", "Owen Pryce"]
    assert [s.text for s in second] == ["The bridge toll rises to 4 dollars in 2026.", "Noted."]
    assert [s.position for s in second] == [1, 2]
    assert len({s.ref for s in first + second}) == 6  # the second file's refs do not take the first's


def test_a_transcript_imported_again_is_updated_in_place(hearing, tmp_path):
    path = tmp_path / "sample-hearing.txt"
    path.write_text(HEARING.replace("Let us move on.", "Let us move on to the budget."), encoding="utf-8")
    report = import_statements(hearing, str(path), speaker_date=dt.date(2025, 11, 2))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 3)
    with Session(hearing) as session:
        [summary] = transcripts(session)
        statements = transcript_statements(session, summary.id)
    assert [s.position for s in statements] == [1, 2, 3, 4]
    assert statements[3].text == "Thank you. Let us move on to the budget."


def test_an_undated_transcript_is_ranked_whole(engine, tmp_path):
    path = tmp_path / "sample-undated-hearing.txt"
    path.write_text(HEARING, encoding="utf-8")
    import_statements(engine, str(path))
    with Session(engine) as session:
        [summary] = transcripts(session)
        ranked = rank_transcript(session, summary.id)
    assert summary.date is None and len(ranked) == 5
