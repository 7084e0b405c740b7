"""Migration 0015 on a populated database: claims get `checkworthy` (every claim stored
before is check-worthy, so none leaves the queue), the queue's claim index keeps to the
check-worthy ones, and the way down keeps every claim and the claims' text index."""
import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from factcheck.services.queue import QueueFilters, review_queue
from factcheck.store.db import downgrade
from factcheck.store.models import Claim
from factcheck.store.search import claims_holding

from .test_migration_0014 import advance_sequences, migrate

pytestmark = [pytest.mark.db, pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")]

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
# A sample article written for these tests: fictional city, fictional people.
TEXT = "The ferry fare rose to 4 dollars. The ferry has run for a while. Tolls fell by half in 2024."
CLAIMS = [  # (text, score, status, assigned to the user)
    ("The ferry fare rose to 4 dollars.", 0.91, "new", False),
    ("The ferry has run for a while.", 0.12, "in_review", True),
    ("Tolls fell by half in 2024.", 0.55, "published", False),
]


@pytest.fixture
def engine_at_0014(database, tmp_path):
    """An engine on a database at revision 0014 holding an article with three claims."""
    url = database if database.startswith("postgresql") else f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    migrate(engine, "0014")
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        conn.execute(t["user"].insert(), [dict(id=1, username="carl", password_hash="x", role="checker", active=True,
                                               created_at=NOW)])
        conn.execute(t["article"].insert(), [dict(id=1, title="Ferry fares", authors=[], text=TEXT,
                                                  content_hash="h1", created_at=NOW)])
        conn.execute(t["claim"].insert(), [
            dict(id=n, article_id=1, start=TEXT.index(text), end=TEXT.index(text) + len(text), text=text, score=score,
                 kinds=[], label="none", status=status, assigned_to_id=1 if held else None, created_at=NOW,
                 speaker_kind="unknown")
            for n, (text, score, status, held) in enumerate(CLAIMS, start=1)])
        advance_sequences(conn, ["user", "article", "claim"])
    yield engine
    engine.dispose()


def claim_rows(engine) -> list[dict]:
    meta = sa.MetaData()
    meta.reflect(engine, only=["claim"])
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.select(meta.tables["claim"]).order_by("id"))]


def queue_index(engine) -> str:
    """The definition of ix_claim_queue, as the database keeps it."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'ix_claim_queue'").scalar_one()
        return conn.exec_driver_sql("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_claim_queue'").scalar_one()


def add_claim(engine, text: str, start: int) -> int:
    with Session(engine) as session:
        row = Claim(article_id=1, start=start, end=start + len(text), text=text, score=0.5)
        session.add(row)
        session.commit()
        return row.id


def found(engine, words: str) -> list[int]:
    with Session(engine) as session:
        return sorted(session.exec(select(Claim.id).where(Claim.id.in_(claims_holding(session, words)))).all())


def test_every_claim_stored_before_is_check_worthy_and_kept(engine_at_0014):
    before = claim_rows(engine_at_0014)
    migrate(engine_at_0014, "0015")
    after = claim_rows(engine_at_0014)
    assert [row.pop("checkworthy") for row in after] == [True, True, True]
    assert after == before
    with Session(engine_at_0014) as session:
        page = review_queue(session, QueueFilters(kind="claim"), 1, 10)
    assert [item.text for item in page.items] == [CLAIMS[0][0], CLAIMS[1][0]]  # published is not in the queue


def test_the_queue_index_holds_the_check_worthy_claims_only(engine_at_0014):
    assert "WHERE" not in queue_index(engine_at_0014).upper()
    migrate(engine_at_0014, "0015")
    definition = queue_index(engine_at_0014)
    assert "checkworthy" in definition and "WHERE" in definition.upper() and "DESC" in definition.upper()
    downgrade(engine_at_0014, "0014")
    definition = queue_index(engine_at_0014)
    assert "checkworthy" not in definition and "DESC" in definition.upper()


def test_a_new_claim_is_check_worthy_unless_told_and_the_gate_holds(engine_at_0014):
    migrate(engine_at_0014, "0015")
    with Session(engine_at_0014) as session:
        session.add(Claim(article_id=1, start=0, end=9, text="The ferry", score=0.2, checkworthy=False))
        session.commit()
    with engine_at_0014.begin() as conn:  # a row written without the column gets the server default
        conn.exec_driver_sql(
            "INSERT INTO claim (article_id, start, \"end\", text, score, kinds, label, status, speaker_kind,"
            " created_at)"
            " VALUES (1, 10, 14, 'fare', 0.3, '[]', 'none', 'new', 'unknown', CURRENT_TIMESTAMP)")
    assert [(row["text"], row["checkworthy"]) for row in claim_rows(engine_at_0014)[3:]] == [
        ("The ferry", False), ("fare", True)]
    with Session(engine_at_0014) as session:
        page = review_queue(session, QueueFilters(kind="claim"), 1, 10)
    assert "The ferry" not in [item.text for item in page.items] and "fare" in [item.text for item in page.items]


def test_0015_goes_down_keeping_every_claim_and_the_text_index(engine_at_0014):
    migrate(engine_at_0014, "0015")
    before = claim_rows(engine_at_0014)
    downgrade(engine_at_0014, "0014")
    after = claim_rows(engine_at_0014)
    assert "checkworthy" not in after[0]
    assert after == [{k: v for k, v in row.items() if k != "checkworthy"} for row in before]
    assert found(engine_at_0014, "tolls fell") == [3]
    migrate(engine_at_0014, "head")
    later = add_claim(engine_at_0014, "fell by half", TEXT.index("fell by half"))
    assert found(engine_at_0014, "fell half") == [3, later]  # the text index still follows new rows
