"""Sentence-encoder speed on one core, against sentence-transformers in the same run.

    .venv/bin/python benchmarks/encoder.py [--n 500] [--data FILE]

Encodes the first --n CheckThat! 2021 2B verified claims (statement-like sentences) with
factcheck's numpy encoder (pipeline/encoder.py, the bundled all-MiniLM-L6-v2), one thread,
and prints sentences per CPU second (and per wall second: the machine may be shared) and
the mean tokens per sentence. When the `reference` extra (sentence-transformers, torch) is
installed, it encodes the same sentences with it, also on one thread, and prints its speed
and the lowest cosine between the two encoders' vectors.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# One thread for every BLAS and OpenMP pool: set before numpy (or torch) is imported.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "checkthat-2021-2b" / "verified_claims.jsonl"


def timed(encode, texts):
    """(vectors, sentences per CPU second, per wall second) of one pass, after a warm-up."""
    encode(texts[:16])
    cpu, wall = time.process_time(), time.perf_counter()
    vectors = encode(texts)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return vectors, len(texts) / cpu, len(texts) / wall


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--data", type=Path, default=DATA)
    a = ap.parse_args()
    if not a.data.exists():
        print(f"skip: {a.data} is absent")
        return 0
    import numpy as np

    from factcheck.pipeline.encoder import MiniLMEncoder
    from factcheck.services.embeddings import MAX_TOKENS, MODEL_PACKAGE, MODEL_SHA256, model_dir_of

    model_dir = model_dir_of(MODEL_PACKAGE)
    if model_dir is None:
        print(f"skip: the weights package {MODEL_PACKAGE} is not installed")
        return 0
    texts = [json.loads(line)["text"] for line in open(a.data, encoding="utf-8")][: a.n]
    t0 = time.perf_counter()
    encoder = MiniLMEncoder(model_dir, sha256=MODEL_SHA256, max_tokens=MAX_TOKENS)
    print(f"numpy encoder: loaded (sha256 checked) in {time.perf_counter() - t0:.2f} s")
    tokens = np.mean([len(e.ids) for e in encoder.tokenizer.encode_batch(texts)])
    ours, per_cpu, per_wall = timed(encoder.encode, texts)
    print(f"numpy encoder: {len(texts)} sentences, {tokens:.1f} tokens each on average: "
          f"{per_cpu:.1f} sentences/CPU-s ({per_wall:.1f}/s wall), one thread")
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        print("sentence-transformers reference: not installed (the `reference` extra)")
        return 0
    torch.set_num_threads(1)
    reference = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    reference.max_seq_length = MAX_TOKENS
    theirs, ref_cpu, ref_wall = timed(
        lambda batch: reference.encode(batch, batch_size=64, normalize_embeddings=True, convert_to_numpy=True), texts
    )
    cosines = np.sum(ours * theirs, axis=1)
    print(f"sentence-transformers (torch {torch.__version__}): {ref_cpu:.1f} sentences/CPU-s ({ref_wall:.1f}/s wall), one thread")
    print(f"numpy / reference speed: {per_cpu / ref_cpu:.2f}; cosine to the reference: min {cosines.min():.6f}, mean {cosines.mean():.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
