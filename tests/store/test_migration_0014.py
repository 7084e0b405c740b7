"""Migration 0014 on a populated database: statements get source documents and places,
claims get speakers, and nothing stored before is lost."""
import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command

from factcheck.store.db import alembic_config

# Reflection skips the expression indexes, which these tests do not need.
pytestmark = [pytest.mark.db, pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")]

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
DAY = dt.date(2025, 11, 2)


@pytest.fixture
def old_engine(database, tmp_path):
    """An engine on an empty database (a fresh SQLite file, or the PostgreSQL test database)."""
    url = database if database.startswith("postgresql") else f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    yield engine
    engine.dispose()


def migrate(engine, target):
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)


def statement(sid, text, speaker, *, origin="import", title=None, date=None, url=None, ref=None, person_id=None):
    return dict(id=sid, ref=ref, text=text, speaker_name=speaker, person_id=person_id, date=date, source_url=url,
                source_title=title, dedupe_key=f"k{sid}", origin=origin, created_at=NOW, updated_at=NOW)


def advance_sequences(conn, tables):
    """Rows inserted with explicit ids leave PostgreSQL's id sequences behind: catch them up."""
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"))


def populate(conn, t):
    """Two transcripts with one title (told apart by date: two files with one title and date
    could not be told apart before 0014), imported records of each kind, a verified quote, and
    two articles with claims inside and outside a quote."""
    conn.execute(t["person"].insert(), [dict(id=1, name="Dana Whitlock", kind="person", created_at=NOW),
                                        dict(id=2, name="Lena Varga", kind="person", created_at=NOW)])
    conn.execute(t["personalias"].insert(), [dict(id=1, person_id=1, alias="Dana Whitlock", key="dana whitlock"),
                                             dict(id=2, person_id=2, alias="Lena Varga", key="lena varga")])
    conn.execute(t["outlet"].insert(), [dict(id=1, name="Harbor Gazette", domain="harbor-gazette.example")])
    text = "The council met. “The tunnel cost 1.9 billion dollars,” said Dana Whitlock. Fares rose."
    conn.execute(t["article"].insert(), [
        dict(id=1, outlet_id=1, url="https://harbor-gazette.example/1", title="Tunnel", authors=["Lena Varga"],
             published=DAY, text=text, content_hash="h1", created_at=NOW),
        dict(id=2, outlet_id=1, url="https://harbor-gazette.example/2", title="Fares", authors=[],
             published=DAY, text=text, content_hash="h2", created_at=NOW),
    ])
    quote_start = text.index("The tunnel")
    quote_end = text.index(",”") + 1
    conn.execute(t["quote"].insert(), [dict(
        id=1, article_id=1, start=quote_start, end=quote_end, text=text[quote_start:quote_end], person_id=1,
        speaker_name="Dana Whitlock", speaker_kind="person", confidence=0.9, partial=False, label="none",
        flags=[], status="new", created_at=NOW,
    )])
    fares = text.index("Fares")
    conn.execute(t["claim"].insert(), [
        dict(id=1, article_id=1, start=quote_start, end=quote_end - 1, text="The tunnel ...", score=0.9, kinds=[],
             label="none", status="new", created_at=NOW),
        dict(id=2, article_id=1, start=fares, end=fares + 11, text="Fares rose.", score=0.8, kinds=[],
             label="none", status="new", created_at=NOW),
        dict(id=3, article_id=2, start=fares, end=fares + 11, text="Fares rose.", score=0.8, kinds=[],
             label="none", status="new", created_at=NOW),
    ])
    later = dt.date(2025, 11, 3)
    conn.execute(t["statement"].insert(), [
        statement(1, "Welcome.", "Owen Pryce", origin="transcript", title="hearing", date=DAY, ref="hearing#1"),
        statement(2, "Fares rise.", "Amara Osei", title="Fares briefing", date=DAY, ref="F1"),
        statement(3, "Thank you.", "Dana Whitlock", origin="transcript", title="hearing", date=DAY, ref="hearing#2"),
        statement(4, "Day two.", "Owen Pryce", origin="transcript", title="hearing", date=later, ref="x#1"),
        statement(5, "No source.", "Lena Varga", ref="N1"),
        statement(6, "By letter.", "Teodor Brandt", url="https://example.org/letter", ref="U1"),
        statement(7, "From the budget.", "Amara Osei", title="Fares briefing", date=DAY, ref="F2"),
        statement(8, "The tunnel cost 1.9 billion dollars,", "Dana Whitlock", origin="verified_quote",
                  title="Tunnel", date=DAY, url="https://harbor-gazette.example/1", ref="quote:1", person_id=1),
        statement(9, "Nor here.", "Dana Whitlock", ref="N2"),
        statement(10, "Goodbye.", "Owen Pryce", origin="transcript", title="hearing", date=DAY, ref="hearing#3"),
    ])
    advance_sequences(conn, ["person", "personalias", "outlet", "article", "quote", "claim", "statement"])


def test_upgrading_a_populated_database_fills_documents_places_and_claim_speakers(old_engine):
    migrate(old_engine, "0012")
    meta = sa.MetaData()
    meta.reflect(old_engine)
    with old_engine.begin() as conn:
        populate(conn, meta.tables)
    migrate(old_engine, "head")

    meta = sa.MetaData()
    meta.reflect(old_engine, only=["source_document", "statement", "claim", "person"])
    document, statement_, claim, person = (meta.tables[n] for n in ("source_document", "statement", "claim", "person"))
    with old_engine.connect() as conn:
        documents = {row.id: row for row in conn.execute(sa.select(document))}
        placed = conn.execute(
            sa.select(statement_.c.id, statement_.c.source_document_id, statement_.c.position)
            .order_by(statement_.c.source_document_id, statement_.c.position)
        ).all()
        claims = {row.id: row for row in conn.execute(sa.select(claim))}
        people = {row.id: (row.name, row.kind) for row in conn.execute(sa.select(person))}
        texts = conn.execute(sa.select(sa.func.count()).select_from(statement_)).scalar_one()

    assert texts == 10
    by_document = {}
    for sid, document_id, position in placed:
        by_document.setdefault(document_id, []).append((sid, position))

    def holding(sid):
        [document_id] = [d for d, rows in by_document.items() if any(s == sid for s, _ in rows)]
        return documents[document_id], by_document[document_id]

    hearing, rows = holding(1)
    assert (hearing.kind, hearing.title, hearing.date, hearing.key) == ("transcript", "hearing", DAY, None)
    assert rows == [(1, 1), (3, 2), (10, 3)]  # in id order
    day_two, rows = holding(4)
    assert day_two.kind == "transcript" and day_two.id != hearing.id and rows == [(4, 1)]
    briefing, rows = holding(2)
    assert (briefing.kind, briefing.title, briefing.date) == ("statement", "Fares briefing", DAY) and rows == [(2, 1), (7, 2)]
    letter, rows = holding(6)
    assert (letter.kind, letter.url) == ("statement", "https://example.org/letter") and rows == [(6, 1)]
    legacy, rows = holding(5)
    assert legacy.kind == "statement_file" and rows == [(5, 1), (9, 2)]
    article, rows = holding(8)
    assert (article.kind, article.title, article.url, article.date) == (
        "article", "Tunnel", "https://harbor-gazette.example/1", DAY) and rows == [(8, 1)]
    assert len(documents) == 6

    assert (claims[1].speaker_name, claims[1].speaker_kind, claims[1].person_id) == ("Dana Whitlock", "person", 1)
    assert (claims[2].speaker_name, claims[2].speaker_kind, claims[2].person_id) == ("Lena Varga", "person", 2)
    assert (claims[3].speaker_name, claims[3].speaker_kind) == ("Harbor Gazette", "organization")
    assert people[claims[3].person_id] == ("Harbor Gazette", "organization")
    assert len(people) == 3  # the author was found by name, not made again


def test_a_migrated_transcript_imported_again_is_updated_in_place(old_engine, tmp_path, monkeypatch):
    """A transcript stored before 0014 has no file key: importing its file again takes it over
    (same title, date and URL, and its first turn's ref) instead of making a second one."""
    from sqlmodel import Session

    from factcheck.services.statements import dedupe_key, import_statements
    from factcheck.services.transcripts import transcript_statements, transcripts

    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")
    migrate(old_engine, "0012")
    meta = sa.MetaData()
    meta.reflect(old_engine)
    with old_engine.begin() as conn:
        conn.execute(meta.tables["statement"].insert(), [
            dict(statement(1, "Welcome.", "Owen Pryce", origin="transcript", title="hearing", date=DAY, ref="hearing#1"),
                 dedupe_key=dedupe_key("Welcome.", "Owen Pryce", DAY)),
            dict(statement(2, "Thank you.", "Dana Whitlock", origin="transcript", title="hearing", date=DAY, ref="hearing#2"),
                 dedupe_key=dedupe_key("Thank you.", "Dana Whitlock", DAY)),
        ])
        advance_sequences(conn, ["statement"])
    migrate(old_engine, "head")
    path = tmp_path / "hearing.txt"
    path.write_text("Owen Pryce: Welcome.\nDana Whitlock: Thank you all.\nOwen Pryce: Goodbye.\n", encoding="utf-8")
    report = import_statements(old_engine, str(path), speaker_date=DAY)
    assert (report.added, report.updated, report.unchanged) == (1, 1, 1)
    with Session(old_engine) as session:
        [summary] = transcripts(session)
        rows = transcript_statements(session, summary.id)
    assert [(s.id, s.ref, s.text, s.position) for s in rows] == [
        (1, "hearing#1", "Welcome.", 1), (2, "hearing#2", "Thank you all.", 2), (rows[2].id, "hearing#3", "Goodbye.", 3)]


def test_0014_goes_down_and_up_and_the_text_index_keeps_up(engine):
    """On SQLite the batch copy of `statement` keeps the triggers of its text index."""
    from sqlmodel import Session

    from factcheck.store.models import Statement
    from factcheck.store.search import candidate_ids

    def add(text):
        with Session(engine) as session:
            row = Statement(text=text, speaker_name="a", dedupe_key=text)
            session.add(row)
            session.commit()
            return row.id

    before = add("The Kessler bridge reopens in March.")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0012")
    with engine.connect() as conn:
        assert "source_document" not in sa.inspect(conn).get_table_names()
    migrate(engine, "head")
    after = add("The Lindqvist ferry sails at noon.")
    with Session(engine) as session:
        assert candidate_ids(session, "the Kessler bridge reopens") == [before]
        assert candidate_ids(session, "the Lindqvist ferry sails") == [after]
