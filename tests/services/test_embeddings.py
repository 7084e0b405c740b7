"""The embedding index: one per database, storing a vector per statement text and finding
the statements nearest in meaning. A small word-count encoder stands in for the model."""
import numpy as np
import pytest
from sqlmodel import Session, select

from factcheck.services.embeddings import EmbeddingIndex, embedding_index
from factcheck.store.models import Statement, StatementVector

pytestmark = pytest.mark.db

WORDS = ["bridge", "budget", "ferry", "school", "tax"]


class WordCounts:
    """Unit vectors of word counts over WORDS: texts sharing words are near."""

    name = "word-counts"

    def __init__(self):
        self.encoded = 0

    def encode(self, texts):
        self.encoded += len(texts)
        rows = np.array([[t.lower().split().count(w) + 0.01 for w in WORDS] for t in texts], dtype="float32")
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def statements(session, *texts):
    rows = [Statement(text=t, speaker_name="Teodor Brandt", dedupe_key=str(i), ref=str(i)) for i, t in enumerate(texts)]
    session.add_all(rows)
    session.flush()
    return [(row.id, row.text) for row in rows]


def test_each_statement_text_is_embedded_once_and_the_nearest_are_found(engine):
    encoder = WordCounts()
    index = EmbeddingIndex(lambda: encoder)
    with Session(engine) as session:
        items = statements(session, "the bridge bridge budget", "a ferry to school", "tax tax budget")
        assert index.embed(session, items) == 3
        assert index.embed(session, items) == 0 and encoder.encoded == 3  # unchanged texts are not encoded again
        assert index.count(session, encoder.name) == 3
        query = encoder.encode(["bridge"])[0]
        assert index.nearest(session, encoder.name, query, 2)[0] == items[0][0]
        # A changed text gets a new vector, and the vectors held for `nearest` are read again.
        changed = (items[2][0], "ferry ferry school")
        assert index.embed(session, [changed]) == 1
        assert index.nearest(session, encoder.name, encoder.encode(["ferry"])[0], 1) == [items[2][0]]
        vectors = index.vectors(session, encoder.name, [items[0][0]])
        assert list(vectors) == [items[0][0]] and vectors[items[0][0]].shape == (len(WORDS),)
        assert len(session.exec(select(StatementVector)).all()) == 3


def test_without_an_encoder_nothing_is_embedded(engine):
    index = EmbeddingIndex(lambda: None)
    with Session(engine) as session:
        assert index.encoder is None
        assert index.embed(session, statements(session, "the bridge")) == 0
        assert session.exec(select(StatementVector)).all() == []


def test_a_database_has_one_index(engine):
    with Session(engine) as first, Session(engine) as second:
        assert embedding_index(first) is embedding_index(second)


def test_many_vectors_are_searched_approximately_after_a_chunked_read(engine, monkeypatch):
    from factcheck.pipeline import vector_index
    from factcheck.services import embeddings

    monkeypatch.setattr(vector_index, "EXACT_MAX", 2)
    monkeypatch.setattr(embeddings, "READ_CHUNK", 2)
    encoder = WordCounts()
    index = EmbeddingIndex(lambda: encoder)
    with Session(engine) as session:
        items = statements(session, "bridge bridge", "ferry ferry", "school school", "tax tax", "budget budget")
        index.embed(session, items)
        for (sid, _), word in zip(items, ["bridge", "ferry", "school", "tax", "budget"]):
            assert index.nearest(session, encoder.name, encoder.encode([word])[0], 1) == [sid]
        assert index._held[encoder.name].index.approximate


def test_vectors_stored_by_another_process_are_found_once_recounted(engine, monkeypatch):
    from factcheck.services import embeddings

    encoder = WordCounts()
    ours, theirs = EmbeddingIndex(lambda: encoder), EmbeddingIndex(lambda: encoder)
    with Session(engine) as session:
        assert not ours.has_vectors(session, encoder.name)
        first, later = statements(session, "bridge bridge", "ferry ferry")
        first, later = [first], [later]
        ours.embed(session, first)
        assert ours.has_vectors(session, encoder.name)
        ferry = encoder.encode(["ferry"])[0]
        assert ours.nearest(session, encoder.name, ferry, 1) == [first[0][0]]
        theirs.embed(session, later)
        # Within RECOUNT_SECONDS the held vectors are trusted; after it they are counted again.
        assert ours.nearest(session, encoder.name, ferry, 1) == [first[0][0]]
        monkeypatch.setattr(embeddings, "RECOUNT_SECONDS", 0.0)
        assert ours.nearest(session, encoder.name, ferry, 1) == [later[0][0]]
