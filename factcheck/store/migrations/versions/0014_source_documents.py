"""Source documents, each statement's place in one, and a speaker for every claim.

- `source_document`: a transcript, a source named by imported records, a file of records
  naming no source, or an article whose verified quotes became statements.
- `statement.source_document_id` (ON DELETE CASCADE: a statement is part of its document)
  and `statement.position`, with a unique index on the pair.
- `claim.person_id` (ON DELETE SET NULL: a deleted person leaves the claim and its
  `speaker_name`), `claim.speaker_name`, `claim.speaker_kind`.

The data is kept and filled in, by the rules new imports and ingests follow
(`services/sources.py`, `pipeline/claimants.py`):
- transcript statements: one document per (source_title, date, source_url), the grouping
  the transcripts pages used so far; the documents get no key, and the import adopts one
  when its file is imported again (`sources.transcript_document`);
- verified quotes (`ref` "quote:N"): their article's document;
- other imported statements: grouped by `sources.record_key` (the same title and date, or
  the same speaker and URL); those naming no source share one document of kind
  `statement_file`, "Statements imported before source documents";
- positions follow the statements' ids, the order they were stored in;
- a claim inside a quote gets the quote's speaker and person; any other the article's first
  author, else its outlet (found or made as a person of that name, an outlet as an
  organization, as `services.people.person_for` does).
Core SQL only, so that later changes to the models cannot change what this step does.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""
import datetime as dt
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from factcheck.domain import SourceKind, SpeakerKind, StatementOrigin
from factcheck.pipeline.claimants import QuoteSpan, claimant
from factcheck.pipeline.text.names import name_key
from factcheck.services.sources import article_key, record_key

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

LEGACY_FILE_TITLE = "Statements imported before source documents"

document = sa.table(
    "source_document", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("title", sa.String),
    sa.column("url", sa.String), sa.column("date", sa.Date), sa.column("key", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
statement = sa.table(
    "statement", sa.column("id", sa.Integer), sa.column("ref", sa.String), sa.column("origin", sa.String),
    sa.column("source_title", sa.String), sa.column("source_url", sa.String), sa.column("date", sa.Date),
    sa.column("speaker_name", sa.String), sa.column("source_document_id", sa.Integer), sa.column("position", sa.Integer),
)
quote = sa.table(
    "quote", sa.column("id", sa.Integer), sa.column("article_id", sa.Integer), sa.column("start", sa.Integer),
    sa.column("end", sa.Integer), sa.column("speaker_name", sa.String), sa.column("speaker_kind", sa.String),
    sa.column("person_id", sa.Integer),
)
claim = sa.table(
    "claim", sa.column("id", sa.Integer), sa.column("article_id", sa.Integer), sa.column("start", sa.Integer),
    sa.column("end", sa.Integer), sa.column("person_id", sa.Integer), sa.column("speaker_name", sa.String),
    sa.column("speaker_kind", sa.String),
)
article = sa.table(
    "article", sa.column("id", sa.Integer), sa.column("title", sa.String), sa.column("url", sa.String),
    sa.column("published", sa.Date), sa.column("authors", sa.JSON), sa.column("outlet_id", sa.Integer),
)
outlet = sa.table("outlet", sa.column("id", sa.Integer), sa.column("name", sa.String))
person = sa.table(
    "person", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("kind", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
person_alias = sa.table(
    "personalias", sa.column("id", sa.Integer), sa.column("person_id", sa.Integer), sa.column("alias", sa.String),
    sa.column("key", sa.String),
)


# The values the CHECK constraints of this revision allow (domain.SourceKind, domain.SpeakerKind).
SOURCE_KINDS = ("transcript", "statement", "statement_file", "article")
SPEAKER_KINDS = ("person", "organization", "anonymous", "unknown")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "source_document",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("url", sa.String(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("key", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(_one_of("kind", SOURCE_KINDS), name="ck_source_document_kind"),
    )
    op.create_index("ix_source_document_kind", "source_document", ["kind"])
    op.create_index("ix_source_document_key", "source_document", ["key"], unique=True)
    with _batch_keeping_triggers("statement") as batch:
        batch.add_column(sa.Column("source_document_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("position", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_statement_source_document_id_source_document", "source_document",
            ["source_document_id"], ["id"], ondelete="CASCADE",
        )
    with _batch_keeping_triggers("claim") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("speaker_name", sa.String(), nullable=True))
        batch.add_column(sa.Column("speaker_kind", sa.String(), nullable=False, server_default=SpeakerKind.UNKNOWN.value))
        batch.create_foreign_key("fk_claim_person_id_person", "person", ["person_id"], ["id"], ondelete="SET NULL")
        batch.create_check_constraint(op.f("ck_claim_speaker_kind"), _one_of("speaker_kind", SPEAKER_KINDS))
    conn = op.get_bind()
    _place_statements(conn)
    _name_claimants(conn)
    op.create_index("ix_statement_document_position", "statement", ["source_document_id", "position"], unique=True)
    op.create_index("ix_claim_person_id", "claim", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_claim_person_id", table_name="claim")
    op.drop_index("ix_statement_document_position", table_name="statement")
    with _batch_keeping_triggers("claim") as batch:
        batch.drop_constraint(op.f("ck_claim_speaker_kind"), type_="check")
        batch.drop_constraint("fk_claim_person_id_person", type_="foreignkey")
        batch.drop_column("speaker_kind")
        batch.drop_column("speaker_name")
        batch.drop_column("person_id")
    with _batch_keeping_triggers("statement") as batch:
        batch.drop_constraint("fk_statement_source_document_id_source_document", type_="foreignkey")
        batch.drop_column("position")
        batch.drop_column("source_document_id")
    op.drop_table("source_document")


# The queue's index on a table, which SQLite's rebuilt copy would make again without its DESC.
QUEUE_INDEXES = {"claim": "ix_claim_queue"}


@contextmanager
def _batch_keeping_triggers(table: str):
    """`op.batch_alter_table`, with the table's triggers and queue index made again
    afterwards: on SQLite the batch copies the table, which drops the triggers that keep
    its text index in step and loses the index's DESC."""
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    triggers = []
    if sqlite:
        triggers = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
        ).scalars().all()
        if table in QUEUE_INDEXES:
            op.drop_index(QUEUE_INDEXES[table], table_name=table)
    with op.batch_alter_table(table) as batch:
        yield batch
    for sql in triggers:
        conn.exec_driver_sql(sql)
    if sqlite and table in QUEUE_INDEXES:
        op.create_index(QUEUE_INDEXES[table], table, [sa.text("article_id DESC"), "start"])


def _place_statements(conn) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    articles = {
        quote_id: row for quote_id, *row in conn.execute(
            sa.select(quote.c.id, article.c.id, article.c.title, article.c.url, article.c.published)
            .join(article, article.c.id == quote.c.article_id)
        )
    }
    documents: dict[tuple, list[int]] = {}  # grouping -> [document id, last position]
    places = []
    rows = conn.execute(sa.select(
        statement.c.id, statement.c.ref, statement.c.origin, statement.c.source_title, statement.c.source_url,
        statement.c.date, statement.c.speaker_name,
    ).order_by(statement.c.id))
    for sid, ref, origin, title, url, date, speaker in rows.all():
        grouping, fields = _document_of(ref, origin, title, url, date, speaker, articles)
        if grouping not in documents:
            new = conn.execute(sa.insert(document).values(created_at=now, **fields).returning(document.c.id))
            documents[grouping] = [new.scalar_one(), 0]
        slot = documents[grouping]
        slot[1] += 1
        places.append({"sid": sid, "document": slot[0], "place": slot[1]})
    if places:
        conn.execute(
            sa.update(statement).where(statement.c.id == sa.bindparam("sid"))
            .values(source_document_id=sa.bindparam("document"), position=sa.bindparam("place")),
            places,
        )


def _document_of(ref, origin, title, url, date, speaker, articles) -> tuple[tuple, dict]:
    """(what tells this statement's document apart, the new document's columns)."""
    if origin == StatementOrigin.TRANSCRIPT:
        return ("transcript", title, date, url), dict(kind=SourceKind.TRANSCRIPT, title=title, url=url, date=date)
    quoted = ref[len("quote:"):] if origin == StatementOrigin.VERIFIED_QUOTE and ref and ref.startswith("quote:") else ""
    if quoted.isdigit() and int(quoted) in articles:
        article_id, a_title, a_url, published = articles[int(quoted)]
        key = article_key(article_id)
        return (key,), dict(kind=SourceKind.ARTICLE, title=a_title, url=a_url, date=published, key=key)
    key = record_key(title, date, url, speaker)
    if key is None:
        return ("legacy file",), dict(kind=SourceKind.STATEMENT_FILE, title=LEGACY_FILE_TITLE)
    return (key,), dict(kind=SourceKind.STATEMENT, title=title, url=url, date=date, key=key)


def _name_claimants(conn) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    people: dict[str, int] = dict(conn.execute(sa.select(person_alias.c.key, person_alias.c.person_id)).all())

    def person_id(name: str, kind: str) -> int | None:
        key = name_key(name)
        if not key:
            return None
        if key not in people:
            kind = SpeakerKind.ORGANIZATION if kind == SpeakerKind.ORGANIZATION else SpeakerKind.PERSON
            new = conn.execute(sa.insert(person).values(name=name.strip(), kind=kind, created_at=now).returning(person.c.id))
            people[key] = new.scalar_one()
            conn.execute(sa.insert(person_alias).values(person_id=people[key], alias=name.strip(), key=key))
        return people[key]

    article_ids = conn.execute(sa.select(claim.c.article_id).distinct().order_by(claim.c.article_id)).scalars().all()
    for article_id in article_ids:
        authors, outlet_name = conn.execute(
            sa.select(article.c.authors, outlet.c.name)
            .select_from(article.outerjoin(outlet, outlet.c.id == article.c.outlet_id))
            .where(article.c.id == article_id)
        ).one()
        quotes = conn.execute(
            sa.select(quote.c.start, quote.c.end, quote.c.speaker_name, quote.c.speaker_kind, quote.c.person_id)
            .where(quote.c.article_id == article_id).order_by(quote.c.id)
        ).all()
        spans = [QuoteSpan(q.start, q.end, q.speaker_name, q.speaker_kind) for q in quotes]
        claims = conn.execute(
            sa.select(claim.c.id, claim.c.start, claim.c.end).where(claim.c.article_id == article_id).order_by(claim.c.id)
        ).all()
        for claim_id, start, end in claims:
            who = claimant(start, end, spans, authors or [], outlet_name)
            if who.quote is not None:
                pid = quotes[who.quote].person_id
            else:
                pid = person_id(who.name, who.kind) if who.name else None
            conn.execute(
                sa.update(claim).where(claim.c.id == claim_id)
                .values(person_id=pid, speaker_name=who.name, speaker_kind=who.kind)
            )
