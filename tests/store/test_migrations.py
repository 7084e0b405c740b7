"""Migrations: a populated database upgrades from revision 0012 with its data kept and the
domain's rules enforced, and the models and a migrated schema agree.

`build_0012` makes a database at revision 0012 holding a few rows of every table, written
as that revision's schema had them; a test of a later migration can start from it too.
"""
import datetime as dt
import warnings

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from factcheck.store.db import include_object, make_engine, upgrade
from factcheck.store.models import Quote
from factcheck.store.search import candidate_ids

pytestmark = pytest.mark.db

AT = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.timezone.utc)

# Rows as revision 0012 stored them, table by table, in an order that satisfies the foreign keys.
ROWS_0012 = {
    "outlet": [{"id": 1, "name": "Harbor Gazette", "domain": "harbor.example"}],
    "person": [
        {"id": 1, "name": "Ana Reyes", "kind": "person", "created_at": AT},
        {"id": 2, "name": "Port Authority", "kind": "organization", "created_at": AT},
    ],
    "personalias": [{"id": 1, "person_id": 1, "alias": "Mayor Reyes", "key": "mayor reyes"}],
    "user": [
        {"id": 1, "username": "edna", "password_hash": "x", "role": "editor", "active": True, "created_at": AT},
        {"id": 2, "username": "carl", "password_hash": "y", "role": "checker", "active": False, "created_at": AT},
    ],
    "article": [
        {"id": 1, "outlet_id": 1, "url": "https://harbor.example/a", "title": "Bridge", "authors": ["Kim Ode"],
         "published": dt.date(2025, 11, 3), "text": "Reyes said \"the bridge will reopen in March\".",
         "content_hash": "h1", "source": "feed", "created_at": AT},
        {"id": 2, "outlet_id": None, "url": None, "title": None, "authors": [], "published": None,
         "text": "Fares will rise by four percent.", "content_hash": "h2", "source": None, "created_at": AT},
    ],
    "statement": [
        {"id": 1, "ref": "t-1", "text": "The Kessler bridge will reopen in March.", "speaker_name": "Ana Reyes",
         "person_id": 1, "date": dt.date(2025, 11, 1), "source_url": "https://example.org/t", "source_title": "Hearing",
         "context": None, "rating": None, "dedupe_key": "d1", "origin": "transcript", "created_at": AT, "updated_at": AT},
        {"id": 2, "ref": None, "text": "Fares rise by four percent next year.", "speaker_name": "Port Authority",
         "person_id": 2, "date": None, "source_url": None, "source_title": "Fares notice", "context": "c",
         "rating": "True", "dedupe_key": "d2", "origin": "import", "created_at": AT, "updated_at": AT},
    ],
    "quote": [
        {"id": 1, "article_id": 1, "start": 11, "end": 42, "text": "the bridge will reopen in March",
         "person_id": 1, "speaker_name": "Reyes", "speaker_kind": "person", "mention_text": "Reyes",
         "mention_start": 0, "mention_end": 5, "cue": "said", "confidence": 0.9, "partial": False,
         "label": "exact", "flags": ["earlier"], "status": "published", "assigned_to_id": 1, "created_at": AT},
        {"id": 2, "article_id": 1, "start": 50, "end": 60, "text": "tolls stay", "person_id": None,
         "speaker_name": None, "speaker_kind": "unknown", "mention_text": None, "mention_start": None,
         "mention_end": None, "cue": None, "confidence": 0.4, "partial": True, "label": "altered",
         "flags": ["misattributed", "earlier"], "status": "in_review", "assigned_to_id": None, "created_at": AT},
        {"id": 3, "article_id": 2, "start": 0, "end": 10, "text": "Fares will", "person_id": 2,
         "speaker_name": "Port Authority", "speaker_kind": "organization", "mention_text": None,
         "mention_start": None, "mention_end": None, "cue": None, "confidence": 0.5, "partial": False,
         "label": "none", "flags": [], "status": "new", "assigned_to_id": None, "created_at": AT},
    ],
    "claim": [
        {"id": 1, "article_id": 2, "start": 0, "end": 32, "text": "Fares will rise by four percent.", "score": 0.8,
         "kinds": ["number"], "label": "same", "status": "awaiting_second_review", "assigned_to_id": 2,
         "created_at": AT},
        {"id": 2, "article_id": 1, "start": 0, "end": 10, "text": "Reyes said", "score": 0.1, "kinds": [],
         "label": "none", "status": "new", "assigned_to_id": None, "created_at": AT},
    ],
    "match": [
        {"id": 1, "quote_id": 1, "claim_id": None, "statement_id": 1, "rank": 1, "score": 97.5, "label": "exact",
         "flags": ["earlier"], "diff": [["equal", "the bridge"]], "reasons": ["same words"], "confirmed": True,
         "matcher_version": "m1", "created_at": AT},
        {"id": 2, "quote_id": None, "claim_id": 1, "statement_id": 2, "rank": 1, "score": 88.0, "label": "same",
         "flags": ["numbers_differ"], "diff": [], "reasons": [], "confirmed": None, "matcher_version": "m1",
         "created_at": AT},
    ],
    "verdict": [
        {"id": 1, "quote_id": 1, "claim_id": None, "status": "published", "current_version": 2,
         "first_published_at": AT, "created_at": AT},
        {"id": 2, "quote_id": None, "claim_id": 1, "status": "draft", "current_version": 1,
         "first_published_at": None, "created_at": AT},
    ],
    "verdictversion": [
        {"id": 1, "verdict_id": 1, "version": 1, "rating": "Accurate", "explanation": "First.", "evidence": [],
         "status": "draft", "note": None, "reviewer_id": 2, "created_at": AT},
        {"id": 2, "verdict_id": 1, "version": 2, "rating": "Accurate", "explanation": "Checked.",
         "evidence": [{"url": "https://example.org/t", "title": "Hearing", "note": ""}], "status": "published",
         "note": "Published.", "reviewer_id": 1, "created_at": AT},
        {"id": 3, "verdict_id": 2, "version": 1, "rating": "False", "explanation": "Draft.", "evidence": [],
         "status": "draft", "note": None, "reviewer_id": None, "created_at": AT},
    ],
    "audit_log": [
        {"id": 1, "at": AT, "user_id": 1, "action": "verdict.publish", "object_type": "verdict", "object_id": 1,
         "detail": {"version": 2}},
    ],
    "statementvector": [{"statement_id": 1, "model": "mini", "text_hash": "th", "vector": b"\x00\x01\x02\x03"}],
    "login_failure": [{"id": 1, "username_key": "edna", "address": "10.0.0.1", "at": 1700000000.5}],
}


def build_0012(url: str) -> sa.Engine:
    """An engine on a database at revision 0012 holding ROWS_0012."""
    engine = make_engine(url)
    upgrade(engine, "0012")
    tables = _tables(engine)
    with engine.begin() as conn:
        for name, rows in ROWS_0012.items():
            conn.execute(tables[name].insert(), rows)
            if engine.dialect.name == "postgresql" and "id" in tables[name].c:
                # Rows written with their ids leave the id sequence behind: bring it up to them.
                conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), max(id)) FROM \"{name}\""))
    return engine


def _tables(engine: sa.Engine) -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    with warnings.catch_warnings():  # SQLite cannot reflect 0012's ix_quote_flagged, an expression: no matter here
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        metadata.reflect(engine)
    return metadata.tables


def _rows(conn, table: sa.Table) -> list[dict]:
    key = table.primary_key.columns.values()[0]
    return [dict(row._mapping) for row in conn.execute(sa.select(table).order_by(key))]


def _aware(value):
    # SQLite returns stored datetimes without their zone (they were written in UTC).
    return value.replace(tzinfo=dt.timezone.utc) if isinstance(value, dt.datetime) and value.tzinfo is None else value


def expected_at_head(name: str) -> list[dict]:
    """ROWS_0012's rows of table `name` as the head schema holds them: quote flags as columns."""
    rows = [dict(row) for row in ROWS_0012[name]]
    if name == "quote":
        for row in rows:
            flags = row.pop("flags")
            row.update(flag_misattributed="misattributed" in flags, flag_earlier="earlier" in flags,
                       flag_count=len(flags))
    return rows


@pytest.fixture
def upgraded(blank_database):
    engine = build_0012(blank_database)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_upgrade_from_0012_keeps_every_row(upgraded):
    tables = _tables(upgraded)
    with upgraded.connect() as conn:
        for name in ROWS_0012:
            expected = expected_at_head(name)
            # Every column the rows were written with (PostgreSQL adds statement.text_tsv, computed).
            found = [{column: _aware(row[column]) for column in expected[0]} for row in _rows(conn, tables[name])]
            if name in ("person", "personalias"):  # revision 0014 adds the claimants not yet known
                claimants = {author for row in ROWS_0012["article"] for author in row["authors"]}
                claimants |= {row["name"] for row in ROWS_0012["outlet"]}  # (authors and outlets)
                added = {row["name" if name == "person" else "alias"] for row in found[len(expected):]}
                assert added <= claimants, name
                found = found[:len(expected)]
            assert found == expected, name
    with Session(upgraded) as session:
        assert [session.get(Quote, i).flags for i in (1, 2, 3)] == [["earlier"], ["misattributed", "earlier"], []]


def test_upgraded_full_text_indexes_follow_the_rows(upgraded):
    with Session(upgraded) as session:
        assert candidate_ids(session, "the Kessler bridge will reopen in March")[0] == 1
        session.add_all([_statement("New harbour ferries start in April.", "d3")])
        session.commit()
        assert candidate_ids(session, "harbour ferries start in April") == [3]


def _statement(text: str, key: str):
    from factcheck.store.models import Statement

    return Statement(text=text, speaker_name="Ana Reyes", dedupe_key=key)


BAD_ROWS = [
    # A match or verdict about both a quote and a claim, or about neither.
    ("match", {"quote_id": 1, "claim_id": 1, "statement_id": 1, "rank": 2, "score": 1.0, "label": "exact",
               "flags": [], "diff": [], "reasons": [], "matcher_version": "m", "created_at": AT}),
    ("match", {"quote_id": None, "claim_id": None, "statement_id": 1, "rank": 2, "score": 1.0, "label": "exact",
               "flags": [], "diff": [], "reasons": [], "matcher_version": "m", "created_at": AT}),
    ("verdict", {"quote_id": 3, "claim_id": 2, "status": "draft", "current_version": 0, "created_at": AT}),
    ("verdict", {"quote_id": None, "claim_id": None, "status": "draft", "current_version": 0, "created_at": AT}),
    # Words outside the vocabulary.
    ("verdict", {"quote_id": 3, "status": "approved", "current_version": 0, "created_at": AT}),
    ("verdictversion", {"verdict_id": 2, "version": 2, "rating": "False", "explanation": "", "evidence": [],
                        "status": "final", "created_at": AT}),
    ("user", {"username": "zed", "password_hash": "z", "role": "owner", "active": True, "created_at": AT}),
    ("person", {"name": "Nobody", "kind": "robot", "created_at": AT}),
    ("statement", {"text": "x", "speaker_name": "x", "dedupe_key": "d9", "origin": "rumour", "created_at": AT,
                   "updated_at": AT}),
    ("claim", {"article_id": 2, "start": 40, "end": 50, "text": "x", "score": 0.1, "kinds": [], "label": "exact",
               "status": "new", "created_at": AT}),
    ("claim", {"article_id": 2, "start": 40, "end": 50, "text": "x", "score": 0.1, "kinds": [], "label": "none",
               "status": "done", "created_at": AT}),
    ("match", {"claim_id": 2, "statement_id": 1, "rank": 2, "score": 1.0, "label": "similar", "flags": [],
               "diff": [], "reasons": [], "matcher_version": "m", "created_at": AT}),
    ("claim", {"article_id": 2, "start": 40, "end": 50, "text": "x", "score": 0.1, "kinds": [], "label": "none",
               "status": "new", "speaker_kind": "crowd", "created_at": AT}),
    ("source_document", {"kind": "rumour mill", "created_at": AT}),
    # A second quote or claim on the same span of the same article.
    ("claim", {"article_id": 2, "start": 0, "end": 32, "text": "x", "score": 0.1, "kinds": [], "label": "none",
               "status": "new", "created_at": AT}),
    # A foreign key naming nothing (SQLite enforces them too).
    ("match", {"quote_id": 99, "statement_id": 1, "rank": 2, "score": 1.0, "label": "exact", "flags": [],
               "diff": [], "reasons": [], "matcher_version": "m", "created_at": AT}),
]
QUOTE = {"article_id": 2, "start": 20, "end": 30, "text": "x", "speaker_kind": "unknown", "confidence": 0.1,
         "partial": False, "label": "none", "status": "new", "flag_misattributed": False, "flag_earlier": True,
         "flag_count": 1, "created_at": AT}
BAD_QUOTES = [{"speaker_kind": "alien"}, {"label": "same"}, {"status": "archived"}, {"start": 0, "end": 10},
              {"flag_count": 0}, {"flag_misattributed": True}]


@pytest.mark.parametrize("table, row", BAD_ROWS + [("quote", {**QUOTE, **change}) for change in BAD_QUOTES])
def test_upgraded_schema_refuses_a_bad_row(upgraded, table, row):
    table = _tables(upgraded)[table]
    with upgraded.connect() as conn:
        with pytest.raises(IntegrityError):
            conn.execute(table.insert(), row)


def test_upgraded_schema_takes_a_good_row(upgraded):
    # The row BAD_QUOTES varies is itself fine: each refusal above is the change's doing.
    with upgraded.begin() as conn:
        conn.execute(_tables(upgraded)["quote"].insert(), QUOTE)


def test_deleting_follows_the_on_delete_rules(upgraded):
    tables = _tables(upgraded)

    def count(conn, name, **where):
        table = tables[name]
        return conn.execute(sa.select(sa.func.count()).select_from(table).where(
            *(table.c[column] == value for column, value in where.items()))).scalar_one()

    with upgraded.connect() as conn:
        # A quote with a verdict cannot go, nor can its article: a verdict is never lost by the way.
        with pytest.raises(IntegrityError):
            conn.execute(tables["article"].delete().where(tables["article"].c.id == 1))
        conn.rollback()
        # An account that reviewed a version stays (it is deactivated instead).
        with pytest.raises(IntegrityError):
            conn.execute(tables["user"].delete().where(tables["user"].c.id == 2))
        conn.rollback()
    with upgraded.begin() as conn:
        # A verdict takes its versions along; then its quote can go, taking its matches along.
        conn.execute(tables["verdict"].delete().where(tables["verdict"].c.id == 1))
        assert count(conn, "verdictversion", verdict_id=1) == 0
        conn.execute(tables["quote"].delete().where(tables["quote"].c.id == 1))
        assert count(conn, "match", quote_id=1) == 0
        # A person's aliases go with them; their quotes and statements keep the speaker's name.
        conn.execute(tables["person"].delete().where(tables["person"].c.id == 2))
        assert count(conn, "personalias", person_id=2) == 0
        assert conn.execute(sa.select(tables["quote"].c.person_id, tables["quote"].c.speaker_name)
                            .where(tables["quote"].c.id == 3)).one() == (None, "Port Authority")
        assert count(conn, "statement", person_id=None) == 1
        # An article takes its quotes and claims along once no verdict holds them.
        conn.execute(tables["verdict"].delete())
        conn.execute(tables["article"].delete().where(tables["article"].c.id == 2))
        assert count(conn, "quote", article_id=2) == count(conn, "claim", article_id=2) == 0


def test_autogenerate_finds_the_models_and_the_migrated_schema_alike(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, SQLModel.metadata) == []
