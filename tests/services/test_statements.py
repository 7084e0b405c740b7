"""Importing known statements: formats, idempotence, and rejects that lose nothing."""
import json

import pytest
from sqlmodel import Session, select

from factcheck.errors import InputError
from factcheck.services.statements import import_statements
from factcheck.store.models import AuditEntry, SourceDocument, Statement

pytestmark = pytest.mark.db


@pytest.fixture(autouse=True)
def _lexical(monkeypatch):
    """Importing is tested without sentence embeddings: encoding costs time, and
    tests/services/test_matching.py tests them."""
    monkeypatch.setenv("FACTCHECK_SEMANTIC", "0")


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return str(path)


def statements(engine):
    with Session(engine) as session:
        return session.exec(select(Statement).order_by(Statement.id)).all()


def test_jsonl_import_then_reimport_is_idempotent(engine, tmp_path):
    f = write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S1", "text": "We will not raise fares this year.", "speaker": "Amara Osei", "date": "2025-11-02",
         "source_url": "https://example.org/s1", "rating": "Mostly true", "extra": "ignored"},
        {"id": "S2", "text": "The bridge reopens in March.", "speaker": "Teodor Brandt"},
    ])
    report = import_statements(engine, f)
    assert (report.added, report.updated, report.unchanged, report.rejected) == (2, 0, 0, [])
    again = import_statements(engine, f)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    rows = statements(engine)
    assert [r.ref for r in rows] == ["S1", "S2"]
    assert rows[0].rating == "Mostly true" and rows[0].date.isoformat() == "2025-11-02"


def test_same_ref_with_new_text_updates_and_logs_the_change(engine, tmp_path):
    import_statements(engine, write_jsonl(tmp_path / "a.jsonl", [{"id": "S1", "text": "Old words.", "speaker": "Lena Varga"}]))
    report = import_statements(engine, write_jsonl(tmp_path / "b.jsonl", [{"id": "S1", "text": "New words.", "speaker": "Lena Varga"}]))
    assert report.updated == 1
    rows = statements(engine)
    assert len(rows) == 1 and rows[0].text == "New words."
    with Session(engine) as session:
        change = session.exec(select(AuditEntry).where(AuditEntry.action == "statement.update")).one()
    assert change.detail["old_text"] == "Old words." and change.detail["new_text"] == "New words."


def test_identical_text_speaker_and_date_is_stored_once(engine, tmp_path):
    row = {"text": "Same words.", "speaker": "Lena Varga", "date": "2025-01-01"}
    report = import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [row, row, dict(row, date="2025-01-02")]))
    assert (report.added, report.unchanged) == (2, 1)


def test_bad_lines_are_rejected_with_their_line_number_and_the_rest_imported(engine, tmp_path):
    f = write_jsonl(tmp_path / "s.jsonl", [
        {"text": "Good one.", "speaker": "Lena Varga"},
        {"speaker": "No Text"},
        "{not json",
        {"text": "Bad date.", "speaker": "Lena Varga", "date": "02/11/2025"},
        {"text": "No speaker."},
        "[1, 2]",
    ])
    report = import_statements(engine, f)
    assert report.added == 1
    assert [line for line, _ in report.rejected] == [2, 3, 4, 5, 6]
    reasons = dict(report.rejected)
    assert "text" in reasons[2] and "JSON" in reasons[3] and "ISO date" in reasons[4] and "speaker" in reasons[5]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary\x00", "binary"),
    ('{"text": "caf\xe9", "speaker": "X"}\n'.encode("latin-1"), "UTF-8"),
    (b'{"speaker": "No Text"}\n', "no statement could be imported"),
])
def test_unreadable_files_fail_whole_and_write_nothing(engine, tmp_path, content, message):
    f = tmp_path / "s.jsonl"
    f.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        import_statements(engine, str(f))
    assert str(f) in str(err.value)
    assert statements(engine) == []


def test_csv_with_header(engine, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text('id,text,speaker,date\nC1,"Fares, not taxes, will rise.",Amara Osei,2025-10-01\nC2,,Amara Osei,\n', encoding="utf-8")
    report = import_statements(engine, str(f))
    assert report.added == 1 and report.rejected == [(3, "no 'text'")]
    assert statements(engine)[0].text == "Fares, not taxes, will rise."


def test_csv_without_the_required_columns(engine, tmp_path):
    f = tmp_path / "s.csv"
    f.write_text("words,who\nhello,me\n", encoding="utf-8")
    with pytest.raises(InputError, match="header row lacks speaker, text"):
        import_statements(engine, str(f))


def test_transcript_turns_and_long_turns_split_into_sentences(engine, tmp_path):
    long_turn = " ".join(f"Sentence number {n} is about the harbour budget." for n in range(1, 12))
    f = tmp_path / "hearing.txt"
    f.write_text(f"TEODOR BRANDT: The bridge reopens in March.\nAMARA OSEI: {long_turn}\n"
                 "continued on a second line.\n\nTeodor Brandt: Thank you.\n", encoding="utf-8")
    import datetime as dt
    report = import_statements(engine, str(f), speaker_date=dt.date(2025, 11, 2), source_url="https://example.org/t")
    rows = statements(engine)
    assert report.rejected == []
    turns = [r for r in rows if r.context is None]
    assert [(r.speaker_name, r.ref) for r in turns] == [
        ("Teodor Brandt", "hearing#1"), ("Amara Osei", "hearing#2"), ("Teodor Brandt", "hearing#3")]
    assert turns[1].text.endswith("continued on a second line.")
    sentences = [r for r in rows if r.context is not None]
    assert len(sentences) >= 11 and all(r.context == turns[1].text for r in sentences)
    assert all(r.date.isoformat() == "2025-11-02" and r.source_url == "https://example.org/t" for r in rows)
    assert import_statements(engine, str(f), speaker_date=dt.date(2025, 11, 2)).added == 0


def test_text_without_turns_is_not_a_transcript(engine, tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("just some prose\nwith no speakers\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'NAME: words' turns"):
        import_statements(engine, str(f))


def test_progress_is_reported_for_every_record(engine, tmp_path):
    import factcheck.services.statements as statements_module

    rows = [{"text": f"Statement number {i}.", "speaker": "Lena Varga"} for i in range(5)]
    seen = []
    old = statements_module.BATCH
    statements_module.BATCH = 2
    try:
        import_statements(engine, write_jsonl(tmp_path / "s.jsonl", rows), on_progress=seen.append)
    finally:
        statements_module.BATCH = old
    assert seen == [2, 2, 1]


def test_duplicate_refs_in_one_file_the_later_wins_and_the_change_is_logged(engine, tmp_path):
    report = import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"id": "S1", "text": "First words.", "speaker": "Lena Varga"},
        {"id": "S1", "text": "Second words.", "speaker": "Lena Varga", "rating": "False"},
    ]))
    assert (report.added, report.updated) == (1, 1)
    rows = statements(engine)
    assert [(r.ref, r.text, r.rating) for r in rows] == [("S1", "Second words.", "False")]
    with Session(engine) as session:
        change = session.exec(select(AuditEntry).where(AuditEntry.action == "statement.update")).one()
    assert (change.detail["old_text"], change.detail["new_text"]) == ("First words.", "Second words.")


def test_a_new_rating_for_the_same_ref_is_an_update(engine, tmp_path):
    row = {"id": "S1", "text": "Fares will not rise.", "speaker": "Amara Osei", "rating": "Mostly true"}
    import_statements(engine, write_jsonl(tmp_path / "a.jsonl", [row]))
    report = import_statements(engine, write_jsonl(tmp_path / "b.jsonl", [dict(row, rating="False")]))
    assert report.updated == 1 and statements(engine)[0].rating == "False"


def test_identical_statements_across_files_and_case_or_spacing_are_stored_once(engine, tmp_path):
    import_statements(engine, write_jsonl(tmp_path / "a.jsonl", [{"text": "Same words.", "speaker": "Lena Varga"}]))
    report = import_statements(engine, write_jsonl(tmp_path / "b.jsonl", [
        {"text": "  same   WORDS. ", "speaker": "LENA VARGA"}, {"text": "Other words.", "speaker": "Lena Varga"}]))
    assert (report.added, report.unchanged) == (1, 1)
    assert len(statements(engine)) == 2


def test_many_statements_go_in_through_the_bulk_path(engine, tmp_path):
    rows = [{"id": f"S{i}", "text": f"Statement {i} about the ferry timetable.", "speaker": f"Speaker {i % 7}",
             "date": "2025-01-01"} for i in range(4500)]
    report = import_statements(engine, write_jsonl(tmp_path / "s.jsonl", rows))
    assert report.added == 4500
    with Session(engine) as session:
        from factcheck.store.search import candidate_ids

        row = session.exec(select(Statement).where(Statement.ref == "S4321")).one()
        assert row.person_id is not None and row.created_at is not None
        assert row.id in candidate_ids(session, "Statement 4321 about the ferry timetable")


def test_odd_records_are_rejected_or_kept_as_written(engine, tmp_path):
    report = import_statements(engine, write_jsonl(tmp_path / "s.jsonl", [
        {"text": "Date with time.", "speaker": "Lena Varga", "date": "2025-11-02T10:00:00Z"},
        {"text": "Impossible date.", "speaker": "Lena Varga", "date": "2025-02-30"},
        {"text": "我们不会提高票价。", "speaker": "王芳"},
        {"text": 42, "speaker": "Lena Varga"},
        {"text": " ".join(["word"] * 5000), "speaker": "Lena Varga"},
    ]))
    assert report.added == 4 and [line for line, _ in report.rejected] == [2]
    texts = [r.text for r in statements(engine)]
    assert "我们不会提高票价。" in texts and "42" in texts


def documents(engine):
    """[(kind, title, [(ref, position), ...]), ...]: each source document with its
    statements in position order, documents in the order they were made."""
    with Session(engine) as session:
        rows = session.exec(
            select(SourceDocument.id, SourceDocument.kind, SourceDocument.title, Statement.ref, Statement.position)
            .join(Statement, Statement.source_document_id == SourceDocument.id)
            .order_by(SourceDocument.id, Statement.position)
        ).all()
    grouped = {}
    for document_id, kind, title, ref, position in rows:
        grouped.setdefault(document_id, (kind, title, []))[2].append((ref, position))
    return list(grouped.values())


def test_records_are_grouped_into_source_documents_in_file_order(engine, tmp_path):
    f = write_jsonl(tmp_path / "mixed.jsonl", [
        {"id": "A1", "text": "Fares stay frozen.", "speaker": "Amara Osei", "source_title": "Fares briefing", "date": "2025-11-20"},
        {"id": "N1", "text": "No source named here.", "speaker": "Lena Varga"},
        {"id": "U1", "text": "The tunnel opens in May.", "speaker": "Teodor Brandt", "source_url": "https://example.org/letter"},
        {"id": "A2", "text": "The budget pays for it.", "speaker": "Amara Osei", "source_title": "Fares briefing", "date": "2025-11-20"},
        {"id": "B1", "text": "Another day, another briefing.", "speaker": "Amara Osei", "source_title": "Fares briefing", "date": "2025-11-21"},
        {"id": "U2", "text": "It will cost less.", "speaker": "TEODOR BRANDT", "source_url": "https://example.org/letter"},
        {"id": "U3", "text": "A reply by someone else.", "speaker": "Lena Varga", "source_url": "https://example.org/letter"},
        {"id": "N2", "text": "Nor here.", "speaker": "Dana Whitlock"},
    ])
    import_statements(engine, f)
    assert documents(engine) == [
        ("statement", "Fares briefing", [("A1", 1), ("A2", 2)]),  # the same title and date
        ("statement_file", "mixed.jsonl", [("N1", 1), ("N2", 2)]),  # naming no source: the file's
        ("statement", None, [("U1", 1), ("U2", 2)]),  # the same URL and speaker
        ("statement", "Fares briefing", [("B1", 1)]),  # the same title, another day
        ("statement", None, [("U3", 1)]),  # the same URL, another speaker
    ]


def test_a_later_import_continues_a_source_and_a_reimport_keeps_places(engine, tmp_path):
    first = [{"id": "S1", "text": "One.", "speaker": "Amara Osei", "source_title": "Speech", "date": "2025-01-01"},
             {"id": "S2", "text": "Two.", "speaker": "Amara Osei", "source_title": "Speech", "date": "2025-01-01"}]
    import_statements(engine, write_jsonl(tmp_path / "a.jsonl", first))
    later = [{"id": "S3", "text": "Three.", "speaker": "Amara Osei", "source_title": "Speech", "date": "2025-01-01"},
             dict(first[0], text="One, corrected.")]
    report = import_statements(engine, write_jsonl(tmp_path / "b.jsonl", later))
    assert (report.added, report.updated) == (1, 1)
    # One document, and none made for b.jsonl (whose records all name a source).
    assert documents(engine) == [("statement", "Speech", [("S1", 1), ("S2", 2), ("S3", 3)])]
    with Session(engine) as session:
        assert len(session.exec(select(SourceDocument)).all()) == 1


def test_a_transcript_is_one_document_in_turn_order(engine, tmp_path):
    import datetime as dt

    long_turn = " ".join(f"Sentence number {n} is about the harbour budget." for n in range(1, 12))
    f = tmp_path / "hearing.txt"
    f.write_text(f"TEODOR BRANDT: The bridge reopens in March.\nAMARA OSEI: {long_turn}\nTeodor Brandt: Thank you.\n",
                 encoding="utf-8")
    import_statements(engine, str(f), speaker_date=dt.date(2025, 11, 2))
    [(kind, title, places)] = documents(engine)
    assert (kind, title) == ("transcript", "hearing")
    refs = [ref for ref, _ in places]
    assert refs[:3] == ["hearing#1", "hearing#2", "hearing#2.1"] and refs[-1] == "hearing#3"
    assert [p for _, p in places] == list(range(1, len(refs) + 1))


def test_a_file_of_an_unknown_kind_is_refused_before_anything_is_written(engine, tmp_path):
    path = tmp_path / "sample-statements.xml"
    path.write_text('<statements><s speaker="Lena Varga">Old words.</s></statements>', encoding="utf-8")
    with pytest.raises(InputError, match=r"unknown statement file type '\.xml'"):
        import_statements(engine, str(path))
    with Session(engine) as session:
        assert session.exec(select(SourceDocument)).all() == []
        assert session.exec(select(AuditEntry)).all() == []
