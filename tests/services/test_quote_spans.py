"""Quotes spanning consecutive statements of one source document, through the services:
imported one sentence a record, matched, stored with their run.

Every person, outlet and statement here is invented for the tests (samples).
"""
import datetime as dt
import json

import pytest
from sqlmodel import Session, select

from factcheck.services.matching import as_record, keep_quote_matches, match_text, quote_matches, runs_around
from factcheck.services.statements import import_statements
from factcheck.store.models import Article, Match, Quote, Statement

pytestmark = pytest.mark.db

RELEASE = [
    "The Vellmar ferry will run every twenty minutes from May.",
    "Four new boats were ordered from the Skarholm yard last winter.",
    "Fares will stay at two crowns for children under twelve.",
    "The harbour office will publish the timetable in April.",
]


@pytest.fixture(autouse=True)
def _lexical(monkeypatch):
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")


@pytest.fixture
def imported(engine, tmp_path):
    """The release one sentence a record (title and date shared), a sentence of another
    speaker's, and an unrelated record with no source."""
    rows = [{"id": f"R{i}", "text": text, "speaker": "Ilse Corveny", "date": "2025-09-01",
             "source_title": "Ferry timetable press release"} for i, text in enumerate(RELEASE, start=1)]
    rows.append({"id": "D1", "text": "Ferries to the northern islands will stop in winter.", "speaker": "Bram Oldenfeld",
                 "date": "2025-09-01", "source_title": "Islands bulletin"})
    path = tmp_path / "release.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    import_statements(engine, str(path))
    with Session(engine) as session:
        return {s.ref: s.id for s in session.exec(select(Statement)).all()}


def refs_of(result) -> list[str]:
    return [s.ref for s in result.matches[0].statements]


@pytest.mark.parametrize("quote, label, refs", [
    (f"{RELEASE[0]} {RELEASE[1]}", "exact", ["R1", "R2"]),
    ("from the Skarholm yard last winter. Fares will stay at two crowns", "exact", ["R2", "R3"]),
    ("The Vellmar ferry will run every twenty minutes from May … the timetable in April", "elided",
     ["R1", "R2", "R3", "R4"]),
    (f"{RELEASE[1]} Fares will stay at three crowns for children under twelve.", "altered", ["R2", "R3"]),
    (RELEASE[2], "exact", ["R3"]),
])
def test_quotes_over_sentences_imported_one_a_record(engine, imported, quote, label, refs):
    with Session(engine) as session:
        result = match_text(session, quote, speaker="Ilse Corveny", date=dt.date(2025, 9, 3))
    assert (result.label, refs_of(result)) == (label, refs)
    assert result.matches[0].to_json()["statement_ids"] == [imported[r] for r in refs]


def test_a_recycled_run_is_flagged_earlier(engine, imported):
    with Session(engine) as session:
        result = match_text(session, f"{RELEASE[2]} {RELEASE[3]}", speaker="Ilse Corveny", date=dt.date(2025, 11, 5))
    assert (result.label, refs_of(result)) == ("exact", ["R3", "R4"])
    assert "earlier" in result.matches[0].flags


def test_runs_stay_inside_one_document(engine, imported):
    with Session(engine) as session:
        first = session.get(Statement, imported["R1"])
        other = session.get(Statement, imported["D1"])
        runs = runs_around(session, [as_record(first), as_record(other)])
    assert [[s.ref for s in run] for run in runs] == [["R1", "R2", "R3", "R4"]]


def test_a_stored_match_keeps_its_run_in_order(engine, imported):
    with Session(engine, expire_on_commit=False) as session:
        article = Article(text="x", content_hash="h-run", published=dt.date(2025, 9, 3), title="Ferries")
        session.add(article)
        session.flush()
        quote = Quote(article_id=article.id, start=0, end=1, text=f"{RELEASE[0]} {RELEASE[1]}",
                      speaker_name="Ilse Corveny")
        session.add(quote)
        session.flush()
        keep_quote_matches(session, quote, quote_matches(session, [(quote.text, quote.speaker_name, article.published)])[0])
        session.commit()
        match = session.exec(select(Match).where(Match.quote_id == quote.id, Match.rank == 1)).one()
    assert quote.label == "exact"
    assert match.statement_id == imported["R1"]
    assert match.statement_ids == [imported["R1"], imported["R2"]]


REPORT = [
    "The Ostra depot took on nine drivers in January.",
    "Two night routes were added to the Kessel line in March.",
    "The old tram sheds were sold to the Lund cooperative in May.",
    "Ticket machines at every stop were replaced over the summer.",
    "A repair yard opened beside the Tarnby junction in October.",
    "The depot will publish its accounts for the year in December.",
]
# A radio interview: one title and date, two speakers taking turns.
INTERVIEW = [
    ("Mira Solvang", "The Kessel school will take sixty more pupils next autumn."),
    ("Mira Solvang", "Its gymnasium was rebuilt with money from the harbour fund."),
    ("Tobias Warnecke", "The harbour fund was meant for the new breakwater."),
    ("Mira Solvang", "The breakwater will be finished before the winter storms."),
]


@pytest.fixture
def long_documents(engine, tmp_path):
    rows = [{"id": f"Y{i}", "text": text, "speaker": "Ilse Corveny", "date": "2025-10-01",
             "source_title": "Depot annual report"} for i, text in enumerate(REPORT, start=1)]
    rows += [{"id": f"I{i}", "text": text, "speaker": speaker, "date": "2025-10-02",
              "source_title": "Kessel morning interview"} for i, (speaker, text) in enumerate(INTERVIEW, start=1)]
    path = tmp_path / "report.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    import_statements(engine, str(path))
    with Session(engine) as session:
        return {s.ref: as_record(s) for s in session.exec(select(Statement)).all()}


def test_a_quote_of_five_sentences_reaches_past_the_default_reach(engine, long_documents):
    with Session(engine) as session:
        assert [s.ref for s in runs_around(session, [long_documents["Y1"]])[0]] == ["Y1", "Y2", "Y3", "Y4"]
        assert [s.ref for s in runs_around(session, [long_documents["Y1"]], reach=5)[0]] == [
            "Y1", "Y2", "Y3", "Y4", "Y5", "Y6"]
        result = match_text(session, " ".join(REPORT[1:6]), speaker="Ilse Corveny", date=dt.date(2025, 10, 3))
    assert (result.label, refs_of(result)) == ("exact", ["Y2", "Y3", "Y4", "Y5", "Y6"])


def test_a_run_stops_where_another_speaker_takes_over(engine, long_documents):
    with Session(engine) as session:
        one = match_text(session, f"{INTERVIEW[0][1]} {INTERVIEW[1][1]}", speaker="Mira Solvang",
                         date=dt.date(2025, 10, 3))
        over = match_text(session, f"{INTERVIEW[1][1]} {INTERVIEW[2][1]}", speaker="Mira Solvang",
                          date=dt.date(2025, 10, 3))
    assert (one.label, refs_of(one)) == ("exact", ["I1", "I2"])
    assert over.label in ("altered", "none")
    assert all(not m.run for m in over.matches)
