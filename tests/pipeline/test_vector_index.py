"""The vector index: exact nearest neighbours while few, faiss's inverted file when many,
both built from chunks of (ids, rows)."""
import numpy as np
import pytest

from factcheck.pipeline import vector_index
from factcheck.pipeline.vector_index import VectorIndex


def clustered(n, dimensions=32, topics=50, seed=0):
    """Unit vectors around `topics` centres, as sentence embeddings group by subject."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, dimensions)).astype(np.float32)
    rows = centres[rng.integers(0, topics, n)] + 0.6 * rng.standard_normal((n, dimensions)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def chunks(ids, rows, size):
    for start in range(0, len(ids), size):
        yield ids[start : start + size], rows[start : start + size]


def exact_top(rows, ids, query, k):
    return list(ids[np.argsort(-(rows @ query))[:k]])


def test_a_small_index_is_exact_and_reads_its_chunks_in_order():
    rows = clustered(1_000)
    ids = np.arange(1_000, 2_000, dtype=np.int64) * 7
    index = VectorIndex.build(rows.shape[1], len(ids), chunks(ids, rows, 64))
    assert not index.approximate and len(index) == 1_000
    for query in rows[:20]:
        assert index.search(query, 10) == exact_top(rows, ids, query, 10)
    assert index.search(rows[0], 5_000)[:3] == exact_top(rows, ids, rows[0], 3)  # k beyond the count
    assert len(index.search(rows[0], 5_000)) == 1_000


def test_rows_stored_after_the_count_was_read_wait_for_the_next_build():
    rows = clustered(100)
    ids = np.arange(100, dtype=np.int64)
    index = VectorIndex.build(rows.shape[1], 90, chunks(ids, rows, 30))
    assert len(index) == 90 and 95 not in index.search(rows[95], 100)


def test_an_empty_index_finds_nothing():
    index = VectorIndex.build(8, 0, iter(()))
    assert index.search(np.ones(8, dtype=np.float32), 5) == []


def test_a_large_index_is_approximate_and_finds_nearly_all_of_the_exact_neighbours(monkeypatch):
    monkeypatch.setattr(vector_index, "EXACT_MAX", 1_000)
    rows = clustered(20_000)
    ids = np.arange(20_000, dtype=np.int64) + 5
    index = VectorIndex.build(rows.shape[1], len(ids), chunks(ids, rows, 5_000))
    assert index.approximate and len(index) == 20_000
    queries = clustered(50, seed=1)
    found = [len(set(index.search(q, 20)) & set(exact_top(rows, ids, q, 20))) / 20 for q in queries]
    assert np.mean(found) >= 0.9
    # Its own vector is the nearest to a stored row, under the stored row's own id.
    assert [index.search(rows[i], 1)[0] for i in range(0, 20_000, 2_000)] == list(ids[0:20_000:2_000])


@pytest.mark.parametrize("k", [0, -1])
def test_no_neighbours_are_asked_for(k):
    rows = clustered(10)
    index = VectorIndex.build(rows.shape[1], 10, chunks(np.arange(10, dtype=np.int64), rows, 10))
    assert index.search(rows[0], k) == []
