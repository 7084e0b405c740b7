"""The schema comes up by itself, and the text index finds candidate statements."""
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import Session

from factcheck.store.db import alembic_config, get_engine, migrate, upgrade
from factcheck.store.models import Statement
from factcheck.store.search import candidate_ids, search_terms

pytestmark = pytest.mark.db


def test_first_use_migrates_to_head(engine):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    tables = set(inspect(engine).get_table_names())
    assert {"article", "quote", "claim", "statement", "match", "verdict", "verdictversion", "user", "audit_log"} <= tables


def test_upgrade_is_idempotent(engine):
    upgrade(engine)
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_same_url_gives_same_engine(database):
    assert get_engine(database) is get_engine(database)


def _statement(session, text_, ref):
    row = Statement(text=text_, speaker_name="Teodor Brandt", dedupe_key=ref, ref=ref)
    session.add(row)
    session.flush()
    return row.id


def test_candidates_rank_shared_rare_words_first(engine):
    with Session(engine) as session:
        bridge = _statement(session, "The Kessler bridge will reopen in March after repairs.", "a")
        _statement(session, "Fares will rise by four percent next year.", "b")
        _statement(session, "The harbour tunnel is closed for inspection.", "c")
        session.commit()
        assert candidate_ids(session, "the Kessler bridge will reopen", limit=2)[0] == bridge


def test_candidates_follow_text_updates(engine):
    with Session(engine) as session:
        sid = _statement(session, "Original words about turbines.", "a")
        session.commit()
        row = session.get(Statement, sid)
        row.text = "Replacement words about ferries."
        session.add(row)
        session.commit()
        assert candidate_ids(session, "ferries") == [sid]
        assert candidate_ids(session, "turbines") == []


def test_search_terms_survive_query_syntax(engine):
    hostile = 'AND OR NOT "unbalanced ( * : \' \\ -- ; DROP TABLE statement'
    assert search_terms(hostile)
    with Session(engine) as session:
        _statement(session, "Nothing in common here.", "a")
        session.commit()
        assert candidate_ids(session, hostile) == []


def test_the_stored_search_vector_migration_goes_down_and_up(engine):
    # Revision 0011 stores the statement text's tsvector on PostgreSQL (nothing changes
    # on SQLite): down to 0010 and back up, and the text index still finds statements.
    from alembic import command

    with Session(engine) as session:
        sid = _statement(session, "The Kessler bridge will reopen in March.", "a")
        session.commit()
    for step, target, stored in ((command.downgrade, "0010", False), (command.upgrade, "head", True)):
        migrate(engine, step, target)
        columns = {c["name"] for c in inspect(engine).get_columns("statement")}
        assert ("text_tsv" in columns) == (stored and engine.dialect.name == "postgresql")
    with Session(engine) as session:
        assert candidate_ids(session, "the Kessler bridge will reopen") == [sid]
