"""A static sentence encoder distilled from the bundled MiniLM (the model2vec way), measured.

    .venv/bin/python benchmarks/static_encoder.py [--data DIR] [--n 500] [--cache DIR]

An experiment for issue 13, not part of the product: MiniLM (pipeline/encoder.py) runs
30 to 110 sentences per CPU second (by the machine's load), far from the 500 per core the
issue asks of imports, and a static model is the one kind of encoder that reaches that on
this processor. model2vec's
own `distill` needs torch, which factcheck does not install, so this does it in numpy:

1. Distil: every token of the model's tokenizer.json vocabulary goes alone through
   MiniLMEncoder's forward pass as [CLS] token [SEP], mean-pooled over the three positions,
   as model2vec does (the rows come out unit length, as MiniLMEncoder gives them; model2vec
   keeps the raw mean). The time this takes is printed.
2. Reduce: PCA (centred, by SVD) to --dims components, and weight each token by its
   vocabulary rank, model2vec's stand-in for word frequency (BERT's vocabulary is roughly in
   frequency order): `log-rank` multiplies the row of rank r (from 1) by log(r), model2vec's
   older default (its `apply_zipf`); `sif` by 1e-4 / (1e-4 + p(r)) with p Zipf's 1/(r+1)
   normalised, its newer one; `none` leaves the rows as they are.
3. Encode: a sentence is the unit-length mean of its tokens' rows (the same tokenizer, no
   special tokens, no length cut).
4. Learn (optional, after model2vec's tokenlearn): the rows are refitted so that sentence
   means approach MiniLM's vectors of a corpus, by ridge regression toward the distilled
   rows, solved by conjugate gradients. The corpus is the 22,501 ClaimBuster sentences
   (US presidential debates 1960-2016): the dev queries (debates and speeches from August
   2017 on) are not among them, while some train queries' debates may be.

It prints sentences per CPU second of both encoders on one thread, on the first --n
verified claims (as benchmarks/encoder.py does), and the pure-embedding retrieval MAP@5
of each on CheckThat! 2021 2B: every verified claim ranked by cosine to the query, MAP@5
as ../shared/tools/claim_match_score.py computes it. PCA size, weighting and the learning's
ridge are chosen on the train queries; dev is the check. MiniLM's vectors of the claims and
of the corpus take minutes: --cache DIR keeps them (and the distilled rows) between runs.
`token_rows` and `static_encoder` are also what benchmarks/claim_match.py --static uses to
measure the static encoder through the real claim ranker.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# One thread, so that CPU seconds measure one core (set before numpy loads its BLAS).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "checkthat-2021-2b"
CORPUS = ROOT.parent / "shared" / "data" / "claimbuster" / "crowdsourced.csv"
WEIGHTINGS = ("none", "log-rank", "sif")
SIF_COEFFICIENT = 1e-4
# Vocabulary tokens per forward batch (three positions each).
DISTIL_BATCH = 1024
RIDGES = (1e-2, 1e-3, 1e-4)
# Conjugate-gradient steps of the learning: with a small ridge the solve is not run to its
# end, and stopping early regularises as well.
LEARN_STEPS = 60


def minilm():
    from factcheck.pipeline.encoder import MiniLMEncoder
    from factcheck.services.embeddings import MAX_TOKENS, MODEL_PACKAGE, MODEL_SHA256, model_dir_of

    model_dir = model_dir_of(MODEL_PACKAGE)
    if model_dir is None:
        raise SystemExit(f"the weights package {MODEL_PACKAGE} is not installed")
    return MiniLMEncoder(model_dir, sha256=MODEL_SHA256, max_tokens=MAX_TOKENS), model_dir


def distil_tokens(encoder) -> np.ndarray:
    """One row per vocabulary id: the model's output for [CLS] id [SEP], mean-pooled. Ids go
    straight to the forward pass (a word piece such as '##ing' has no text of its own)."""
    cls, sep = encoder.tokenizer.token_to_id("[CLS]"), encoder.tokenizer.token_to_id("[SEP]")
    size = encoder.tokenizer.get_vocab_size()
    rows = np.empty((size, encoder.dimensions), dtype=np.float32)
    for start in range(0, size, DISTIL_BATCH):
        ids = range(start, min(start + DISTIL_BATCH, size))
        rows[start : start + len(ids)] = encoder._forward([[cls, i, sep] for i in ids])
    return rows


def reduce(tokens: np.ndarray, dims: int, weighting: str) -> tuple[np.ndarray, np.ndarray]:
    """The static rows: PCA to `dims` (centred), then the rank weighting (see the
    docstring); and the PCA's components, which take MiniLM's vectors to the rows' space."""
    centred = tokens - tokens.mean(0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    rows = centred @ components[:dims].T
    rank = np.arange(1, len(rows) + 1, dtype=np.float64)
    if weighting == "log-rank":
        rows *= np.log(rank)[:, None]
    elif weighting == "sif":
        p = 1 / (rank + 1)
        p /= p.sum()
        rows *= (SIF_COEFFICIENT / (SIF_COEFFICIENT + p))[:, None]
    return rows.astype(np.float32), components[:dims]


class StaticEncoder:
    """Sentence vectors as the unit-length mean of static token rows: no network, a lookup
    and a sum per token, so thousands of sentences per CPU second."""

    def __init__(self, rows: np.ndarray, tokenizer_file: Path, name: str):
        from tokenizers import Tokenizer

        self.rows, self.name, self.dimensions = rows, name, rows.shape[1]
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()

    def encode(self, texts) -> np.ndarray:
        """One unit-length float32 row per text (zeros for a text without tokens)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=False)]
        lengths = np.array([len(x) for x in ids])
        kept = lengths > 0
        if kept.any():
            flat = np.fromiter((i for x in ids for i in x), dtype=np.int64, count=int(lengths.sum()))
            starts = np.concatenate(([0], np.cumsum(lengths[kept])[:-1]))
            out[kept] = np.add.reduceat(self.rows[flat], starts, axis=0)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


def token_rows(encoder, cache: Path | None = None) -> tuple[np.ndarray, float]:
    """The distilled token rows, and the CPU seconds their distillation took (0.0 when
    they come from the cache folder)."""
    path = cache / "minilm-token-rows.npy" if cache else None
    if path and path.exists():
        return np.load(path), 0.0
    t0 = time.process_time()
    tokens = distil_tokens(encoder)
    seconds = time.process_time() - t0
    if path:
        np.save(path, tokens)
    return tokens, seconds


def static_encoder(tokens: np.ndarray, model_dir: Path, dims: int, weighting: str,
                   corpus: tuple[list[str], np.ndarray] | None = None, ridge: float = 1e-3) -> StaticEncoder:
    """The static encoder of these settings; learnt from (corpus sentences, their MiniLM
    vectors) when given."""
    rows, components = reduce(tokens, dims, weighting)
    name = f"static-minilm-{dims}-{weighting}"
    encoder = StaticEncoder(rows, model_dir / "tokenizer.json", name)
    if corpus is not None:
        sentences, targets = corpus
        encoder.rows = learn(encoder, sentences, targets @ components.T, ridge)
        encoder.name = f"{name}-learnt-{ridge:g}"
    return encoder


def learn(encoder: StaticEncoder, sentences: list[str], targets: np.ndarray, ridge: float) -> np.ndarray:
    """Rows R minimising |A R - Y|² + ridge |R - c R0|²: A averages each sentence's tokens,
    Y are the targets, R0 the encoder's rows, c the one scale that best fits A R0 to Y (the
    targets are unit length, the rows' means are not). Tokens absent from the corpus keep
    c R0. Solved by conjugate gradients on the whole matrix at once (A's transpose times
    A R: the vocabulary-square matrix is never formed)."""
    import scipy.sparse

    ids = [e.ids for e in encoder.tokenizer.encode_batch(list(sentences), add_special_tokens=False)]
    lengths = np.array([len(x) for x in ids])
    A = scipy.sparse.csr_matrix(
        (np.repeat(1 / np.maximum(lengths, 1), lengths).astype(np.float32),
         np.concatenate([np.asarray(x, dtype=np.int64) for x in ids]),
         np.concatenate(([0], np.cumsum(lengths)))),
        shape=(len(ids), len(encoder.rows)),
    )
    At = A.T.tocsr()
    means = A @ encoder.rows
    prior = encoder.rows * float((means * targets).sum() / (means * means).sum())

    def normal(x):
        return At @ (A @ x) + ridge * x

    rows = prior.copy()
    residual = At @ targets + ridge * prior - normal(rows)
    step = residual.copy()
    size = float((residual * residual).sum())
    for _ in range(LEARN_STEPS):
        product = normal(step)
        alpha = size / float((step * product).sum())
        rows += alpha * step
        residual -= alpha * product
        size, last = float((residual * residual).sum()), size
        step = residual + (size / last) * step
    return rows.astype(np.float32)


def corpus_vectors(encoder, cache: Path | None = None) -> tuple[list[str], np.ndarray]:
    """The learning corpus's sentences and their MiniLM vectors (kept in the cache folder)."""
    import csv

    sentences = [row["Text"] for row in csv.DictReader(open(CORPUS, encoding="utf-8"))]
    path = cache / "minilm-claimbuster.npy" if cache else None
    if path and path.exists():
        return sentences, np.load(path)
    t0 = time.process_time()
    vectors = encoder.encode(sentences)
    print(f"MiniLM: {len(sentences)} corpus sentences embedded in {time.process_time() - t0:.0f} CPU-s", flush=True)
    if path:
        np.save(path, vectors)
    return sentences, vectors


def per_cpu_second(encode, texts, at_least: float = 2.0) -> float:
    """Sentences per CPU second, after a warm-up, over passes adding up to `at_least` s."""
    encode(texts[:16])
    done, t0 = 0, time.process_time()
    while (spent := time.process_time() - t0) < at_least or not done:
        encode(texts)
        done += len(texts)
    return done / spent


def load_split(data: Path, split: str):
    queries = [json.loads(line) for line in open(data / f"queries-{split}.jsonl", encoding="utf-8")]
    rel: dict[str, set[str]] = {}
    for line in open(data / f"qrels-{split}.tsv", encoding="utf-8"):
        p = line.split()
        if len(p) >= 4 and p[3] != "0":
            rel.setdefault(p[0], set()).add(p[2])
    return queries, rel


def map_at_5(query_vectors, ids, claim_vectors, claim_refs, rel) -> float:
    """MAP@5 of ranking every claim by cosine, as claim_match_score.py scores it (a query of
    the qrels without a vector counts 0)."""
    top = np.argsort(-(query_vectors @ claim_vectors.T), axis=1)[:, :5]
    ranked = {qid: [claim_refs[j] for j in row] for qid, row in zip(ids, top)}
    aps = []
    for qid, relevant in rel.items():
        hits, total = 0, 0.0
        for i, ref in enumerate(ranked.get(qid, []), 1):
            if ref in relevant:
                hits += 1
                total += hits / i
        aps.append(total / min(len(relevant), 5))
    return sum(aps) / len(aps)


def retrieval(encoder, splits, claim_vectors, refs) -> dict[str, float]:
    """MAP@5 of each split's queries against the claims' vectors, by this encoder."""
    return {
        split: map_at_5(encoder.encode([q["text"] for q in queries]), [q["id"] for q in queries], claim_vectors, refs, rel)
        for split, (queries, rel) in splits.items()
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--n", type=int, default=500, help="sentences for the speed measure")
    ap.add_argument("--dims", type=int, nargs="+", default=[64, 128, 256, 384])
    ap.add_argument("--cache", type=Path, help="keep MiniLM's claim and corpus vectors and the token rows here")
    a = ap.parse_args()
    if a.cache:
        a.cache.mkdir(parents=True, exist_ok=True)
    claims = [json.loads(line) for line in open(a.data / "verified_claims.jsonl", encoding="utf-8")]
    texts, refs = [c["text"] for c in claims], [c["id"] for c in claims]
    encoder, model_dir = minilm()
    tokens, seconds = token_rows(encoder, a.cache)
    print(f"distillation: {len(tokens)} tokens through MiniLM in {seconds:.1f} CPU-s"
          + ("" if seconds else " (token rows from --cache)"), flush=True)

    cached = a.cache / "minilm-claims.npy" if a.cache else None
    if cached and cached.exists():
        minilm_claims = np.load(cached)
    else:
        t0 = time.process_time()
        minilm_claims = encoder.encode(texts)
        print(f"MiniLM: {len(texts)} claims embedded in {time.process_time() - t0:.0f} CPU-s", flush=True)
        if cached:
            np.save(cached, minilm_claims)
    splits = {split: load_split(a.data, split) for split in ("train", "dev")}
    scores = retrieval(encoder, splits, minilm_claims, refs)
    print(f"MiniLM (384 dims) cosine retrieval: train MAP@5={scores['train']:.3f} dev MAP@5={scores['dev']:.3f}", flush=True)

    results = {}
    for dims in a.dims:
        for weighting in WEIGHTINGS:
            static = static_encoder(tokens, model_dir, dims, weighting)
            scores = results[dims, weighting] = retrieval(static, splits, static.encode(texts), refs)
            print(f"static {dims} dims, {weighting}: train MAP@5={scores['train']:.3f} dev MAP@5={scores['dev']:.3f}", flush=True)
    dims, weighting = max(results, key=lambda k: results[k]["train"])
    print(f"chosen on train: {dims} dims, {weighting}: dev MAP@5={results[dims, weighting]['dev']:.3f} "
          f"({dims * 4 * len(tokens) / 1e6:.1f} MB of float32 rows)")

    corpus = corpus_vectors(encoder, a.cache)
    learnt = {}
    for ridge in RIDGES:
        t0 = time.process_time()
        static = static_encoder(tokens, model_dir, dims, weighting, corpus, ridge)
        seconds = time.process_time() - t0
        scores = learnt[ridge] = retrieval(static, splits, static.encode(texts), refs)
        print(f"{static.name} (learnt in {seconds:.1f} CPU-s): train MAP@5={scores['train']:.3f} "
              f"dev MAP@5={scores['dev']:.3f}", flush=True)
    ridge = max(learnt, key=lambda r: learnt[r]["train"])
    print(f"chosen on train: ridge {ridge:g}: dev MAP@5={learnt[ridge]['dev']:.3f}")

    static = static_encoder(tokens, model_dir, dims, weighting, corpus, ridge)
    sample = texts[: a.n]
    length = np.mean([len(e.ids) for e in encoder.tokenizer.encode_batch(sample)])
    print(f"speed, one thread, {len(sample)} verified claims ({length:.1f} tokens each): "
          f"static {per_cpu_second(static.encode, sample):.0f} sentences/CPU-s; "
          f"MiniLM {per_cpu_second(encoder.encode, sample, at_least=0.0):.1f} sentences/CPU-s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
