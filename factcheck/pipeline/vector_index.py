"""Nearest neighbours among unit vectors, exact while few, approximate (faiss) when many.

`VectorIndex.build(dimensions, chunks)` takes the vectors in chunks of (ids, float32 rows),
so that a million statements never sit in memory twice, and `search(query, k)` gives the
ids of the k rows with the largest inner product with the query (the cosine, for unit
vectors), best first.

Up to EXACT_MAX vectors the index is a float32 matrix searched by one dot product: exact,
and a few milliseconds at that size. Above it a scan of every row costs more than a
claim's whole latency budget (about 0.3 s at a million rows of 384 dimensions on one
core), so the index becomes faiss's inverted file with 8-bit scalar quantisation
(IndexIVFScalarQuantizer): the vectors are grouped around CELLS_PER_ROOT × √n centroids
learnt from the first TRAIN_ROWS, each stored in one byte a dimension (a quarter of float32's
memory), and a search reads only the PROBES cells nearest the query. Callers that need
exact similarities re-score the few ids it returns from the stored vectors.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

EXACT_MAX = 200_000
# Centroids per square root of the vector count, and cells read per search: chosen with
# benchmarks/vector_scale.py for recall of the exact top 50 at a million vectors.
CELLS_PER_ROOT = 1
PROBES = 24
TRAIN_ROWS = 100_000


class VectorIndex:
    """The ids and vectors of one model's stored embeddings, searchable by inner product."""

    def __init__(self, ids: np.ndarray, matrix: np.ndarray | None = None, ivf=None):
        self.ids = ids
        self._matrix = matrix
        self._ivf = ivf

    def __len__(self) -> int:
        return len(self.ids) if self._ivf is None else self._ivf.ntotal

    @property
    def approximate(self) -> bool:
        return self._ivf is not None

    @classmethod
    def build(cls, dimensions: int, count: int, chunks: Iterable[tuple[np.ndarray, np.ndarray]]) -> VectorIndex:
        """An index of `count` vectors given as chunks of (int64 ids, float32 rows)."""
        if count <= EXACT_MAX:
            ids = np.empty(count, dtype=np.int64)
            matrix = np.empty((count, dimensions), dtype=np.float32)
            filled = 0
            for chunk_ids, rows in chunks:
                # Rows stored after the count was read wait for the next build.
                end = min(filled + len(chunk_ids), count)
                ids[filled:end], matrix[filled:end] = chunk_ids[: end - filled], rows[: end - filled]
                filled = end
            return cls(ids[:filled], matrix[:filled])
        import faiss

        cells = max(1, int(CELLS_PER_ROOT * math.sqrt(count)))
        quantizer = faiss.IndexFlatIP(dimensions)
        ivf = faiss.IndexIVFScalarQuantizer(
            quantizer, dimensions, cells, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        # The centroids and each dimension's range are learnt from the first TRAIN_ROWS
        # vectors (or all of them, if fewer): chunks are held until there are that many.
        waiting: list[tuple[np.ndarray, np.ndarray]] = []
        for chunk in chunks:
            waiting.append(chunk)
            if ivf.is_trained or sum(len(ids) for ids, _ in waiting) >= min(count, TRAIN_ROWS):
                _add(ivf, waiting)
        if waiting:  # fewer vectors came than were counted
            _add(ivf, waiting)
        ivf.nprobe = min(PROBES, cells)
        return cls(np.empty(0, dtype=np.int64), ivf=ivf)

    def search(self, query: np.ndarray, k: int) -> list[int]:
        """The ids of the k vectors nearest the query, best first."""
        if not len(self) or k <= 0:
            return []
        query = np.ascontiguousarray(query, dtype=np.float32)
        if self._ivf is not None:
            _, found = self._ivf.search(query[None, :], k)
            return [int(i) for i in found[0] if i >= 0]
        scores = self._matrix @ query
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        return [int(i) for i in self.ids[best[np.argsort(-scores[best])]]]


def _add(ivf, waiting: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Add the waiting chunks to the inverted file, training it on them first if untrained."""
    if not ivf.is_trained:
        ivf.train(np.concatenate([rows for _, rows in waiting]))
    for ids, rows in waiting:
        ivf.add_with_ids(rows, ids)
    waiting.clear()
