"""Source documents: which document each stored statement belongs to, and its place there.

The grouping rules, used by imports, verdicts and migration 0014 alike:
- a transcript file is one document (`SourceKind.TRANSCRIPT`), its turns in spoken order.
  A file is known by its full path, so importing it again updates the same document, while
  another file with the same name and date is another transcript;
- records of a .jsonl or .csv file that name a source are grouped as CONTRACT.md groups the
  statements a quote may span: the same `source_title` and date, or, for a record with no
  title, the same speaker and `source_url` (`SourceKind.STATEMENT`). Such a document is found
  again by later imports, so a source imported one sentence a record over several files is
  one document, in the order the records were imported;
- records naming neither a title nor a URL belong to their file's document
  (`SourceKind.STATEMENT_FILE`, titled with the file's name), in file order;
- the quotes a verdict makes statements of (`origin="verified_quote"`) belong to their
  article's document (`SourceKind.ARTICLE`).
A statement keeps its document and place when it is imported again (same `ref`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, select

from ..domain import SourceKind
from ..pipeline.text.names import name_key
from ..store.models import SourceDocument, Statement


def _key(kind: SourceKind, *parts: object) -> str:
    digest = hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()
    return f"{kind}:{digest}"


def record_key(title: str | None, date: dt.date | None, url: str | None, speaker: str) -> str | None:
    """The key of the document an imported record belongs to (see the module docstring);
    None for a record that names no source."""
    if title:
        return _key(SourceKind.STATEMENT, title, date)
    if url:
        return _key(SourceKind.STATEMENT, url, name_key(speaker))
    return None


def file_key(kind: SourceKind, path: str) -> str:
    """The key of the document one imported file is (a transcript) or holds (other records)."""
    return _key(kind, str(Path(path).resolve()))


def article_key(article_id: int) -> str:
    return _key(SourceKind.ARTICLE, article_id)


def document_for(session: Session, key: str, **fields) -> SourceDocument:
    """The document with this key, made with `fields` (kind, title, url, date) if new."""
    document = session.exec(select(SourceDocument).where(SourceDocument.key == key)).first()
    if document is None:
        document = SourceDocument(key=key, **fields)
        session.add(document)
        session.flush()
    return document


def next_position(session: Session, document_id: int) -> int:
    """The place after the document's last statement."""
    last = session.exec(select(func.max(Statement.position)).where(Statement.source_document_id == document_id)).one()
    return (last or 0) + 1


def place(session: Session, statement: Statement, document: SourceDocument) -> None:
    """Put a statement at the end of `document`, unless it already belongs to one."""
    if statement.source_document_id is None:
        statement.source_document_id = document.id
        statement.position = next_position(session, document.id)


@dataclass
class ImportPlaces:
    """Hands out (document id, position) to the new statements of one import, in order.

    `fixed` is the one document every record goes to (a transcript); otherwise records are
    grouped by `record_key`, and those naming no source go to the file's document.
    """

    path: str
    fixed: SourceDocument | None = None
    _next: dict[str, list[int]] = field(default_factory=dict)  # key -> [document id, next position]
    made: list[int] = field(default_factory=list)  # ids of the documents this import created

    def __post_init__(self) -> None:
        self._file_key = self.fixed.key if self.fixed is not None else file_key(SourceKind.STATEMENT_FILE, self.path)

    def key(self, title: str | None, date: dt.date | None, url: str | None, speaker: str) -> str:
        if self.fixed is not None or not (title or url):
            return self._file_key
        return record_key(title, date, url, speaker)

    def prepare(self, session: Session, records: list[tuple[str, str | None, dt.date | None, str | None]]) -> None:
        """Look up (or make) the documents of these (key, title, date, url) records, a new
        one with the fields of its first record, in a few queries for the whole batch."""
        wanted: dict[str, dict] = {}
        for key, title, date, url in records:
            if key not in self._next and key not in wanted:
                wanted[key] = self._fields(title, date, url)
        if not wanted:
            return
        found = {d.key: d for d in session.exec(select(SourceDocument).where(col(SourceDocument.key).in_(list(wanted))))}
        new = [SourceDocument(key=k, **fields) for k, fields in wanted.items() if k not in found]
        if new:
            session.add_all(new)
            session.flush()
            self.made.extend(d.id for d in new)
        documents = [*found.values(), *new]
        last = dict(session.exec(
            select(Statement.source_document_id, func.max(Statement.position))
            .where(col(Statement.source_document_id).in_([d.id for d in documents]))
            .group_by(Statement.source_document_id)
        ).all())
        for d in documents:
            self._next[d.key] = [d.id, (last.get(d.id) or 0) + 1]

    def _fields(self, title: str | None, date: dt.date | None, url: str | None) -> dict:
        """A new document's fields, from the record that makes it."""
        if self.fixed is None and (title or url):
            return dict(kind=SourceKind.STATEMENT, title=title, url=url, date=date)
        return dict(kind=SourceKind.STATEMENT_FILE, title=Path(self.path).name)

    def take(self, key: str) -> tuple[int, int]:
        """The document and place of the next new statement with this key (after `prepare`)."""
        slot = self._next[key]
        slot[1] += 1
        return slot[0], slot[1] - 1

    def drop_unused(self, session: Session) -> None:
        """Delete this import's documents that no statement ended in (every record was
        already known)."""
        mine = [*self.made, *([self.fixed.id] if self.fixed is not None else [])]
        if not mine:
            return
        used = set(session.exec(
            select(Statement.source_document_id).where(col(Statement.source_document_id).in_(mine)).distinct()
        ).all())
        for document_id in mine:
            if document_id not in used:
                session.delete(session.get(SourceDocument, document_id))
        session.flush()


def transcript_document(session: Session, path: str, title: str, date: dt.date | None, url: str | None) -> SourceDocument:
    """The document of a transcript file: the one made by an earlier import of the same file,
    else a new one. A transcript stored before documents had keys (migration 0014), with this
    title, date and URL and this file's first turn's ref, is taken for the same file."""
    key = file_key(SourceKind.TRANSCRIPT, path)
    document = session.exec(select(SourceDocument).where(SourceDocument.key == key)).first()
    if document is None:
        document = session.exec(
            select(SourceDocument)
            .join(Statement, Statement.source_document_id == SourceDocument.id)
            .where(
                SourceDocument.key == None,  # noqa: E711  (IS NULL)
                SourceDocument.kind == SourceKind.TRANSCRIPT, SourceDocument.title == title,
                SourceDocument.date == date, SourceDocument.url == url, Statement.ref == f"{title}#1",
            )
        ).first()
    if document is None:
        document = SourceDocument(kind=SourceKind.TRANSCRIPT, title=title, date=date, url=url)
    document.key, document.date, document.url = key, date, url
    session.add(document)
    session.flush()
    return document


def transcript_ref_stem(session: Session, document: SourceDocument) -> str:
    """What a transcript's refs start with: its title (`hearing#1`, `hearing#2.1`), unless
    another document already holds those refs (a different file with the same name), in
    which case the document's id tells them apart (`hearing~7#1`)."""
    owner = session.exec(select(Statement.source_document_id).where(Statement.ref == f"{document.title}#1")).first()
    return document.title if owner in (None, document.id) else f"{document.title}~{document.id}"
