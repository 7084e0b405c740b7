"""One backend per engine, chosen from its database, doing what differs between the two."""
import datetime as dt

import pytest
from sqlmodel import Session, select

from factcheck.store.backends import BACKENDS, backend_for, forget_statistics
from factcheck.store.models import Statement

pytestmark = pytest.mark.db

NOW = dt.datetime(2025, 11, 1, tzinfo=dt.timezone.utc)


def test_an_engine_has_one_backend_for_its_database(engine):
    backend = backend_for(engine)
    assert isinstance(backend, BACKENDS[engine.dialect.name])
    with Session(engine) as session, engine.connect() as conn:
        assert backend_for(session) is backend
        assert backend_for(conn.engine) is backend


def test_bulk_inserted_statements_are_found_and_counted(engine):
    backend = backend_for(engine)
    rows = [{"text": f"The ferry number {n} runs late", "speaker_name": "Teodor Brandt", "dedupe_key": f"k{n}",
             "ref": f"r{n}", "origin": "import", "created_at": NOW, "updated_at": NOW} for n in range(3)]
    with Session(engine) as session:
        backend.prepare_bulk_writes(session)
        backend.insert_statements(session, rows)
        backend.finish_bulk_writes(session)
        session.commit()
    backend.refresh_statistics(engine)
    forget_statistics()
    with Session(engine) as session:
        assert backend.statement_total(session) == 3
        assert backend.library_size(session) >= 3
        assert backend.term_counts(session, ["ferry"])["ferry"] >= 1
        ids = set(session.exec(select(Statement.id)))
        assert set(backend.statements_with_any(session, ["ferry"], 10)) == ids
        assert set(backend.statements_with_phrases(session, [("ferry", "number")], 10)) == ids
        assert set(backend.statements_with_any_two(session, ["ferry", "late", "nowhere"], 10)) == ids
        found = backend.statements_for_claims(session, [["ferry", "late"], ["nowhere"], ["ferry"]], 10)
        assert [set(claim) for claim in found] == [ids, set(), ids]


def test_a_bulk_import_leaves_no_pending_index_entries_to_search(engine):
    """Searches read a GIN index's pending list from end to end: after a bulk import, the
    statement's text and title indexes hold none (each one's clean-up finds nothing to merge)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("GIN pending lists are PostgreSQL's")
    backend = backend_for(engine)
    rows = [{"text": f"The ferry number {n} runs late", "speaker_name": "Teodor Brandt", "dedupe_key": f"k{n}",
             "ref": f"r{n}", "origin": "import", "source_title": f"Sample harbour debate {n}",
             "created_at": NOW, "updated_at": NOW} for n in range(50)]
    with Session(engine) as session:
        backend.prepare_bulk_writes(session)
        backend.insert_statements(session, rows)
        backend.finish_bulk_writes(session)
        session.commit()
    with engine.begin() as conn:
        for index in ("ix_statement_text_tsv", "ix_statement_title_tsv"):
            assert conn.exec_driver_sql(f"SELECT gin_clean_pending_list('{index}')").scalar() == 0, index
