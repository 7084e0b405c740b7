"""The plain records that flow between the pipeline's stages.

Every stage takes and returns these; none of them knows about Flask or the database.
Offsets (`start`, `end`) are Python string indices into `Article.text`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class Article:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    url: str | None = None
    outlet: str | None = None

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published.isoformat() if self.published else None,
            "url": self.url,
            "outlet": self.outlet,
            "text": self.text,
        }


@dataclass(frozen=True)
class Span:
    """A stretch of the article text, such as the mention that names a speaker."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


SPEAKER_KINDS = ("person", "organization", "anonymous", "unknown")


@dataclass
class Quote:
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_kind: str = "unknown"
    speaker_mention: Span | None = None
    cue: str | None = None
    confidence: float = 0.0
    partial: bool = False

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "speaker": self.speaker,
            "speaker_kind": self.speaker_kind,
            "speaker_mention": self.speaker_mention.to_json() if self.speaker_mention else None,
            "cue": self.cue,
            "confidence": round(self.confidence, 3),
            "partial": self.partial,
        }


@dataclass
class Claim:
    text: str
    start: int
    end: int
    score: float
    kinds: list[str] = field(default_factory=list)
    # The check-worthiness model's decision: only check-worthy claims reach the review queue
    # and the desk's claim lists; the others stay visible in the article's own view.
    checkworthy: bool = True

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "checkworthy": self.checkworthy,
            "kinds": list(self.kinds),
        }


@dataclass
class Extraction:
    article: Article
    quotes: list[Quote]
    claims: list[Claim]

    def to_json(self) -> dict:
        return {
            "article": self.article.to_json(),
            "quotes": [q.to_json() for q in self.quotes],
            "claims": [c.to_json() for c in self.claims],
        }


@dataclass(frozen=True)
class Statement:
    """A known statement as the matcher sees it (the database row is richer)."""

    text: str
    speaker: str | None = None
    date: date | None = None
    ref: str | None = None
    id: int | None = None


@dataclass
class Match:
    """How a quote or claim compares with one known statement, or with a run of
    consecutive statements of one source document (a statement imported one sentence a
    record, quoted across sentences).

    `statement` is the statement, or the run's first; `run` holds the run's statements in
    order (empty for one statement). `diff` is a word-level edit script from the
    statement (the run's joined text) to the quote: ("equal", words), ("replace",
    statement_words, quote_words), ("delete", statement_words) and ("insert",
    quote_words); `written` has, op by op, the quote's words as the quote writes them.
    """

    statement: Statement
    score: float
    label: str
    flags: list[str] = field(default_factory=list)
    diff: list[tuple[str, ...]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    run: list[Statement] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def statements(self) -> list[Statement]:
        """The statements matched, in order: the run's, or the one statement."""
        return list(self.run) or [self.statement]

    def to_json(self) -> dict:
        s = self.statement
        return {
            "ref": s.ref,
            "statement_id": s.id,
            "refs": [part.ref for part in self.statements],
            "statement_ids": [part.id for part in self.statements],
            "speaker": s.speaker,
            "date": s.date.isoformat() if s.date else None,
            "score": round(self.score, 1),
            "label": self.label,
            "flags": list(self.flags),
            "diff": [list(op) for op in self.diff],
        }


@dataclass
class MatchResult:
    label: str
    matches: list[Match]

    def to_json(self, id: str | None = None) -> dict:
        out = {"id": id} if id is not None else {}
        out["label"] = self.label
        out["matches"] = [m.to_json() for m in self.matches]
        return out
