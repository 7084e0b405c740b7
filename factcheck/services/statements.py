"""Importing known statements: JSONL, CSV and speaker-labelled transcripts.

A file that cannot be read leaves the database as it was, while single bad records are
rejected with their line number and the rest go in. The records are written `BATCH` at a
time, each batch in its own short transaction: on SQLite, where one writer at a time
holds the database, the web app's writes wait at most one batch, never the whole import.
An import stopped half way (`kill -9`) leaves whole batches, and running it again adds the
rest.

Each batch also records what its new and changed statements owe (`statement_follow_up`):
their embedding, then matching again the stored quotes they could affect. The import
does that follow-up at its end, or leaves it to a worker's job; either way an import
stopped half way has left the rows, and whoever runs the follow-up next does their work.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from sqlalchemy import delete, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..domain import FollowUpStep
from ..errors import InputError
from ..pipeline.text.folding import normalize
from ..pipeline.text.names import name_key
from ..pipeline.text.sentences import split_sentences
from ..store.db import reading, session_scope
from ..store.models import Quote, Statement, StatementFollowUp, utcnow
from ..store.backends import backend_for, forget_statistics
from .audit import record
from .embeddings import embedding_index
from .leases import worker_name
from .matching import rematch_quotes_for_statements
from .people import person_for
from .sources import ImportPlaces, transcript_document, transcript_ref_stem

MAX_FILE_BYTES = 2_000_000_000
BATCH = 2000
# A transcript turn longer than this is also split into sentences (each keeps its turn as context).
LONG_TURN = 400
TURN = re.compile(r"^\s*([A-Z][\w.'’ -]{0,60}?)\s*:\s+(\S.*)$")
# Files of one JSON record a line.
RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json")
FIELDS = ("text", "speaker", "date", "source_url", "source_title", "context", "rating", "id")


@dataclass
class StatementInput:
    """One record as read from a file, before it is stored."""

    line: int
    text: str
    speaker: str
    date: dt.date | None = None
    source_url: str | None = None
    source_title: str | None = None
    context: str | None = None
    rating: str | None = None
    ref: str | None = None
    origin: str = "import"


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    # The follow-up (none when it is left to the workers): statements embedded, and stored
    # quotes matched again because new statements could affect them.
    embedded: int = 0
    rematched: int = 0

    def summary(self) -> str:
        text = f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, rejected {len(self.rejected)}"
        return text + (f"; quotes re-matched {self.rematched}" if self.rematched else "")


def parse_date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(f"date {value!r} is not an ISO date (YYYY-MM-DD)") from None


def record_from_mapping(line: int, data: object) -> StatementInput:
    """Check one JSONL object or CSV row; ValueError says what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    text = str(data.get("text") or "").strip()
    speaker = str(data.get("speaker") or "").strip()
    if not text:
        raise ValueError("no 'text'")
    if not speaker:
        raise ValueError("no 'speaker'")

    def optional(name: str) -> str | None:
        value = data.get(name)
        return str(value).strip() or None if value not in (None, "") else None

    return StatementInput(
        line=line, text=text, speaker=speaker, date=parse_date(data.get("date")),
        source_url=optional("source_url"), source_title=optional("source_title"),
        context=optional("context"), rating=optional("rating"), ref=optional("id"),
    )


def _jsonl(text: str) -> Iterator[StatementInput | tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield record_from_mapping(number, json.loads(line))
        except json.JSONDecodeError as exc:
            yield number, f"not JSON ({exc.msg})"
        except ValueError as exc:
            yield number, str(exc)


def _csv(text: str, name: str) -> Iterator[StatementInput | tuple[int, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"text", "speaker"} - set(reader.fieldnames or ())
    if missing:
        raise InputError(f"{name}: the header row lacks {', '.join(sorted(missing))}")
    for row in reader:
        try:
            yield record_from_mapping(reader.line_num, row)
        except ValueError as exc:
            yield reader.line_num, str(exc)


def _speaker_name(label: str) -> str:
    label = " ".join(label.split())
    return label.title() if label.isupper() else label


def _transcript(text: str, name: str, date: dt.date | None, source_url: str | None, ref_stem: str | None) -> Iterator[StatementInput | tuple[int, str]]:
    """`NAME: words` turns; unlabelled lines continue the turn above them. Refs are
    `{ref_stem}#{turn}` (and `.{sentence}`); the file's stem unless told otherwise."""
    turns: list[list] = []  # [line, speaker, text]
    for number, line in enumerate(text.splitlines(), start=1):
        m = TURN.match(line)
        if m:
            turns.append([number, _speaker_name(m.group(1)), m.group(2).strip()])
        elif line.strip() and turns:
            turns[-1][2] += " " + line.strip()
        elif line.strip():
            yield number, "text before the first 'NAME: words' turn"
    if not turns:
        raise InputError(f"{name}: no 'NAME: words' turns found; is this a transcript?")
    stem = Path(name).stem
    ref_stem = ref_stem or stem
    for index, (number, speaker, words) in enumerate(turns, start=1):
        common = dict(line=number, speaker=speaker, date=date, source_url=source_url, source_title=stem, origin="transcript")
        yield StatementInput(text=words, ref=f"{ref_stem}#{index}", **common)
        if len(words) > LONG_TURN:
            for n, (start, end) in enumerate(split_sentences(words), start=1):
                yield StatementInput(text=words[start:end], ref=f"{ref_stem}#{index}.{n}", context=words, **common)


def is_transcript_file(path: str) -> bool:
    return Path(path).suffix.lower() in (".txt", "")


def statement_file_text(path: str) -> str:
    """The text of a statement file, checked (it exists, is of a kind read here, is not
    empty, too large, binary or other than UTF-8), before anything is written."""
    file = Path(path)
    if not file.is_file():
        raise InputError(f"{path}: no such file")
    suffix = file.suffix.lower()
    if suffix not in (*RECORD_SUFFIXES, ".csv") and not is_transcript_file(path):
        raise InputError(f"{path}: unknown statement file type {suffix!r} (use .jsonl, .csv or a .txt transcript)")
    size = file.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path}: the file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    data = file.read_bytes()
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: this looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8 first") from None


def statement_records(
    text: str, path: str, *, speaker_date: dt.date | None = None, source_url: str | None = None, ref_stem: str | None = None
) -> Iterator[StatementInput | tuple[int, str]]:
    """Records, or (line, reason) for each rejected line, from the text of a .jsonl, .csv
    or transcript file (whose refs start with `ref_stem`, by default the file's stem), as
    `statement_file_text` has checked it."""
    suffix = Path(path).suffix.lower()
    if suffix in RECORD_SUFFIXES:
        return _jsonl(text)
    if suffix == ".csv":
        return _csv(text, path)
    return _transcript(text, path, speaker_date, source_url, ref_stem)


def dedupe_key(text: str, speaker: str, date: dt.date | None) -> str:
    raw = "\x1f".join((normalize(text), name_key(speaker), date.isoformat() if date else ""))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def import_statements(
    engine: Engine,
    path: str,
    *,
    speaker_date: dt.date | None = None,
    source_url: str | None = None,
    on_progress: Callable[[int], None] | None = None,
    follow_up: bool = True,
) -> ImportReport:
    """Import a statement file in short transactions; see the module docstring.

    New and changed statements owe a follow-up: their sentence embedding (unless
    FACTCHECK_SEMANTIC=0), then matching again the stored quotes they could affect. It is
    done at the end (`follow_up_imports`), or with `follow_up=False` left to the workers.
    New statements take their place in their source documents (`services.sources`).
    `on_progress` is told how many records each stored batch held.
    """
    report = ImportReport()
    backend = backend_for(engine)
    text = statement_file_text(path)
    with session_scope(engine) as session:
        places, ref_stem = _import_places(session, path, speaker_date, source_url)
    state = _ImportState(places=places)
    try:
        batch: list[StatementInput] = []
        for item in statement_records(text, path, speaker_date=speaker_date, source_url=source_url, ref_stem=ref_stem):
            if isinstance(item, tuple):
                report.rejected.append(item)
                continue
            batch.append(item)
            if len(batch) >= BATCH:
                _store_batch(engine, batch, report, state, on_progress)
                batch = []
        _store_batch(engine, batch, report, state, on_progress)
        if not (report.added or report.updated or report.unchanged):
            raise InputError(f"{path}: no statement could be imported ({len(report.rejected)} rejected)" + _first_reject(report))
    finally:
        with session_scope(engine) as session:
            places.drop_unused(session)
    with session_scope(engine) as session:
        backend.finish_bulk_writes(session)
    forget_statistics()
    if follow_up:
        report.embedded, report.rematched = follow_up_imports(engine, f"import:{worker_name()}")
    with session_scope(engine) as session:
        record(session, None, "statements.import", None, {"file": str(path), **report.__dict__})
    if report.added or report.updated:
        backend.refresh_statistics(engine)
    forget_statistics()
    return report


def _import_places(session: Session, path: str, date: dt.date | None, url: str | None) -> tuple[ImportPlaces, str | None]:
    """Where the file's new statements go, and the stem of a transcript's refs."""
    if not is_transcript_file(path):
        return ImportPlaces(path), None
    document = transcript_document(session, path, Path(path).stem, date, url)
    return ImportPlaces(path, fixed=document), transcript_ref_stem(session, document)


@dataclass
class _ImportState:
    """What one import carries from batch to batch."""

    places: ImportPlaces
    people: dict[str, int | None] = field(default_factory=dict)
    quotes: bool | None = None  # whether any quote is stored (looked up once)


def _first_reject(report: ImportReport) -> str:
    if not report.rejected:
        return ""
    line, reason = report.rejected[0]
    return f"; line {line}: {reason}"


def _store_batch(engine: Engine, batch: list[StatementInput], report: ImportReport, state: _ImportState,
                 on_progress: Callable[[int], None] | None) -> None:
    """Store one batch in its own transaction."""
    if not batch:
        return
    keys = [dedupe_key(s.text, s.speaker, s.date) for s in batch]
    with session_scope(engine) as session:
        backend_for(session).prepare_bulk_writes(session)
        _write_batch(session, batch, keys, report, state)
    if on_progress:
        on_progress(len(batch))


def _write_batch(session: Session, batch: list[StatementInput], keys: list[str], report: ImportReport,
                 state: _ImportState) -> None:
    """Write one batch: updates through the ORM (they are few), new rows in one bulk insert."""
    refs = [s.ref for s in batch if s.ref]
    by_ref = {r.ref: r for r in session.exec(select(Statement).where(col(Statement.ref).in_(refs))).all()} if refs else {}
    by_key: dict[str, object] = {
        r.dedupe_key: r for r in session.exec(select(Statement).where(col(Statement.dedupe_key).in_(set(keys)))).all()
    }
    document_keys = [state.places.key(s.source_title, s.date, s.source_url, s.speaker) for s in batch]
    state.places.prepare(session, [(k, s.source_title, s.date, s.source_url) for k, s in zip(document_keys, batch)])
    new: dict[str, dict] = {}  # dedupe key -> values of a row to insert
    new_by_ref: dict[str, str] = {}  # ref -> dedupe key in `new`
    updated: list[Statement] = []
    now = dt.datetime.now(dt.timezone.utc)
    for item, key, document_key in zip(batch, keys, document_keys):
        row = by_ref.get(item.ref) if item.ref else None
        pending = new_by_ref.get(item.ref) if item.ref and row is None else None
        if row is None and pending is None and (key in by_key or key in new):
            report.unchanged += 1  # the same words, speaker and day are already known
            continue
        if item.speaker not in state.people:
            person = person_for(session, item.speaker)
            state.people[item.speaker] = person.id if person else None
        values = dict(
            text=item.text, speaker_name=item.speaker, person_id=state.people[item.speaker], date=item.date,
            source_url=item.source_url, source_title=item.source_title, context=item.context,
            rating=item.rating, dedupe_key=key, origin=item.origin,
        )
        if pending is not None:
            # The same ref earlier in this batch, not stored yet: the later record wins.
            old = new.pop(pending)
            if old["text"] != item.text:
                record(session, None, "statement.update", None, {"ref": item.ref, "old_text": old["text"], "new_text": item.text})
            old.update(values)
            new[key] = old
            new_by_ref[item.ref] = key
            by_key[key] = old
            report.updated += 1
            continue
        if row is None:
            document_id, position = state.places.take(document_key)
            new[key] = dict(ref=item.ref, created_at=now, updated_at=now, source_document_id=document_id, position=position, **values)
            if item.ref:
                new_by_ref[item.ref] = key
            by_key[key] = new[key]
            report.added += 1
            continue
        if row.dedupe_key == key and row.rating == item.rating:
            report.unchanged += 1
            continue
        if row.text != item.text:
            record(session, None, "statement.update", row, {"ref": row.ref, "old_text": row.text, "new_text": item.text})
        for name, value in values.items():
            setattr(row, name, value)
        if row.source_document_id is None:  # a statement stored by hand, before any import
            row.source_document_id, row.position = state.places.take(document_key)
        row.updated_at = now
        session.add(row)
        updated.append(row)
        report.updated += 1
        by_key[key] = row
    session.flush()
    if new:
        backend_for(session).insert_statements(session, list(new.values()))
    changed = [row.id for row in updated]
    if new and (embedding_index(session).encoder is not None or _has_quotes(session, state)):
        changed += session.exec(select(Statement.id).where(col(Statement.dedupe_key).in_(list(new)))).all()
    _owe_follow_up(session, changed)


def _has_quotes(session: Session, state: _ImportState) -> bool:
    if state.quotes is None:
        state.quotes = session.exec(select(Quote.id).limit(1)).first() is not None
    return state.quotes


# -- The follow-up an import owes ----------------------------------------------------------

FOLLOW_UP_LEASE = 600  # seconds; longer than embedding one batch
# Re-matching is one step for all the statements embedded (a large import would otherwise
# re-match a small newsroom's every quote once per batch): its lease is long, and a second
# worker taking it over after a death only repeats idempotent work.
REMATCH_LEASE = 3600


def _owe_follow_up(session: Session, statement_ids: list[int]) -> None:
    """Record that these statements (new, or changed) need embedding and re-matching."""
    if not statement_ids:
        return
    pending = session.exec(select(StatementFollowUp).where(col(StatementFollowUp.statement_id).in_(statement_ids))).all()
    for row in pending:  # changed again before its follow-up: embedded again from the start
        row.step, row.lease_owner, row.lease_expires = FollowUpStep.EMBED, None, None
    known = {row.statement_id for row in pending}
    session.add_all(StatementFollowUp(statement_id=sid) for sid in statement_ids if sid not in known)
    session.flush()


def _free(now: dt.datetime):
    """SQL: a follow-up row nobody holds (or whose holder's lease has expired)."""
    return or_(StatementFollowUp.lease_expires.is_(None), StatementFollowUp.lease_expires < now)


def follow_ups_due(session: Session) -> bool:
    """Whether some statement's follow-up waits for a worker."""
    return session.exec(select(StatementFollowUp.statement_id).where(_free(utcnow())).limit(1)).first() is not None


def follow_up_imports(engine: Engine, worker: str) -> tuple[int, int]:
    """Do the follow-up imported statements owe, whichever import stored them: embed them
    BATCH at a time (each batch encoded before its short write), then match again the
    stored quotes they could affect. Rows another worker holds are left to it.
    Returns (statements embedded, quotes re-matched)."""
    embedded = 0
    while ids := _take_follow_ups(engine, worker, FollowUpStep.EMBED, FOLLOW_UP_LEASE, BATCH):
        with reading(engine) as session:
            items = session.exec(select(Statement.id, Statement.text).where(col(Statement.id).in_(ids))).all()
            index = embedding_index(session)
            encoded = index.encode([text for _, text in items] if index.encoder is not None else [])
        with session_scope(engine) as session:
            embedded += index.embed(session, items, encoded)
            session.execute(update(StatementFollowUp).where(col(StatementFollowUp.statement_id).in_(ids))
                            .values(step=FollowUpStep.REMATCH, lease_owner=None, lease_expires=None))
    ids = _take_follow_ups(engine, worker, FollowUpStep.REMATCH, REMATCH_LEASE)
    if not ids:
        return embedded, 0
    rematched = rematch_quotes_for_statements(engine, ids)
    with session_scope(engine) as session:
        session.execute(delete(StatementFollowUp).where(col(StatementFollowUp.statement_id).in_(ids),
                                                        StatementFollowUp.step == FollowUpStep.REMATCH))
    return embedded, len(rematched)


def _take_follow_ups(engine: Engine, worker: str, step: str, lease_seconds: int, limit: int | None = None) -> list[int]:
    """Lease up to `limit` free rows at `step` for `worker`; their statement ids. One
    UPDATE, so two workers never take the same row; its lease token says which it took."""
    now = utcnow()
    token = f"{worker}:{uuid.uuid4().hex}"
    free = (StatementFollowUp.step == step) & _free(now)
    wanted = select(StatementFollowUp.statement_id).where(free).order_by(StatementFollowUp.statement_id).limit(limit)
    with session_scope(engine) as session:
        session.execute(update(StatementFollowUp).where(col(StatementFollowUp.statement_id).in_(wanted), free)
                        .values(lease_owner=token, lease_expires=now + dt.timedelta(seconds=lease_seconds)))
        return list(session.exec(select(StatementFollowUp.statement_id).where(StatementFollowUp.lease_owner == token)
                                 .order_by(StatementFollowUp.statement_id)))
