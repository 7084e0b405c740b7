"""Transcripts: listed after import, and their statements ranked by check-worthiness."""
import datetime as dt

import pytest
from sqlmodel import Session

from factcheck.services.statements import import_statements
from factcheck.services.transcripts import rank_transcript, transcripts
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
        first = session.get(Statement, summary.id)
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
    assert len(ranked) == 4
    top = ranked[0]
    assert top.statement.speaker_name == "Marcus Hale" and top.position == 3
    assert "quantity" in top.kinds or "statistic" in top.kinds
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    opinion = next(r for r in ranked if r.statement.speaker_name == "Dana Whitlock")
    assert opinion.score < top.score


def test_only_a_transcripts_first_statement_names_it(hearing):
    first = first_id(hearing)
    with Session(hearing) as session:
        assert rank_transcript(session, first + 1) == []  # a later statement of it
        assert rank_transcript(session, first + 100) == []  # no such statement


def test_an_undated_transcript_is_ranked_whole(engine, tmp_path):
    path = tmp_path / "sample-undated-hearing.txt"
    path.write_text(HEARING, encoding="utf-8")
    import_statements(engine, str(path))
    with Session(engine) as session:
        [summary] = transcripts(session)
        ranked = rank_transcript(session, summary.id)
    assert summary.date is None and len(ranked) == 4
