"""Train the check-worthiness model shipped as factcheck/pipeline/checkworthy_model.json.

    python -m factcheck.training.train_checkworthy [--data DIR] [--out FILE] [--check] [--cv K]

Reads the CheckThat! 2020 Task 5 debates (shared/data/checkthat-2020-task5, one sentence a
line: line, speaker, text, label), trains on the first 40 debates by file name only, and
prints the mean average precision on the last 10 (the dev debates, never trained on).
The features are those of `factcheck.pipeline.claims.sentence_features` (rule cues, the
neighbours' cues, hashed word uni- and bigrams); the speaker is not used.

The model is an L2-regularised logistic regression (positives weighted by POSITIVE_WEIGHT),
fitted by full-batch L-BFGS in float64 from zero weights: no randomness, so the same data
gives the same weights (written rounded to 5 significant digits). `--check` retrains and
compares with the shipped file instead of writing it. Needs numpy (a training dependency
only: scoring reads the JSON in pure Python).

Settings are chosen by `--cv 4`: 4-fold cross-validation by debate over the 40 training
debates. With the shipped settings it gives MAP 0.110; none of these did better (same
folds): L2 1e-3 0.108, 3e-5 0.102, 1e-5 0.083; positives weighted 5x 0.099; the speaker's
share of questions and sentences, SYSTEM lines and the position in the speaker's turn as
features 0.107; word trigrams 0.108; character 4-grams 0.102; unigrams only 0.101; no
n-grams 0.083; no unit, superlative and first-person features 0.107. A split by time (train
on the training debates before 2017, measure on the 11 from 2017, like the dev speeches)
gives 0.091; fact-checked PolitiFact claims dated before 2017 (shared/data/checkthat-2021-2b)
as extra positives lowered it to 0.079-0.087. Adding half of each neighbour's log-odds
(above the average) to a sentence's in a batch raised the cross-validated MAP to 0.130
(and the split by time to 0.093-0.099 for a quarter to a half), but took the dev MAP from
0.111 to 0.063, so it is not used.
A memory of checked claims added as logit + alpha x the largest TF-IDF cosine to one of them:
to the check-worthy sentences of the other training debates, CV 0.108-0.114 (only 1 of the
42 dev positives is that close to a training one); to the PolitiFact claims of
shared/data/checkthat-2021-2b stated a day or more before each debate, CV 0.145-0.148 and
dev 0.130-0.247 by how many claims a word may index, but most of the dev gain is one
sentence of a debate with a single check-worthy line, the variants above 0.13 score under
5,000 sentences/s, and a frozen set of 2016 fact-checks is no memory for a newsroom today
(its own checked statements are matched by `factcheck match --mode claim`), so it is not used.
The shipped model was made by

    .venv/bin/python -m factcheck.training.train_checkworthy
    trained on 38707 sentences (445 check-worthy) of the first 40 debates; 58 named and
    110799 hashed weights; dev MAP=0.110
    wrote .../factcheck/pipeline/checkworthy_model.json (2.1 MB)

(about 15 s on one core). Retraining on the same machine gives byte-identical weights;
another CPU or numpy build may differ in the last rounded digit of a few weights.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from factcheck.pipeline import claims

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "checkthat-2020-task5"
TRAIN_DEBATES = 40
BITS = 18
L2 = 1e-4
POSITIVE_WEIGHT = 1.0
ITERATIONS = 300


def read_debates(folder: Path) -> list[tuple[str, list[tuple[str, int]]]]:
    """(name, [(text, label)]) for each debate, in file-name order."""
    debates = []
    for path in sorted(folder.glob("*.tsv")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 4:
                rows.append((parts[2], int(parts[3])))
        debates.append((path.stem, rows))
    return debates


def featurize(debates, context: bool = True):
    """Per sentence: (named features, hashed buckets), label and debate number."""
    out, labels, groups = [], [], []
    for g, (_name, rows) in enumerate(debates):
        readings = [claims.read_cues(text) for text, _ in rows]
        for i in range(len(rows)):
            named, grams = claims.sentence_features(readings, i, context)
            # each distinct n-gram once; two n-grams that share a bucket count twice, as when scoring
            out.append((named, sorted(claims.bucket(x, BITS) for x in grams)))
            labels.append(rows[i][1])
            groups.append(g)
    return out, np.array(labels, float), np.array(groups)


def design(feats, names: list[str], bits: int = BITS):
    """Sparse rows as (row, column) index arrays; named features first, then buckets."""
    index = {n: i for i, n in enumerate(names)}
    rows, cols = [], []
    for r, (named, buckets) in enumerate(feats):
        cs = sorted({index[n] for n in named if n in index}) + [len(names) + b for b in buckets]
        rows += [r] * len(cs)
        cols += cs
    return np.array(rows, np.int64), np.array(cols, np.int64), len(feats), len(names) + (1 << bits)


def fit(X, y, l2=L2, positive_weight=POSITIVE_WEIGHT, iterations=ITERATIONS, named=0, l2_named=None):
    """Weights (bias last) of a weighted, L2-regularised logistic regression, by L-BFGS.

    The first `named` columns (the named features) take `l2_named` instead of `l2`."""
    rows, cols, n, d = X
    penalty = np.full(d, float(l2))
    if l2_named is not None:
        penalty[:named] = l2_named
    c = np.where(y > 0, positive_weight, 1.0)
    c = c / c.sum()
    sign = 2 * y - 1

    def loss_grad(w):
        z = np.bincount(rows, weights=w[cols], minlength=n) + w[-1]
        m = sign * z
        loss = np.sum(c * np.logaddexp(0.0, -m)) + 0.5 * np.dot(penalty * w[:-1], w[:-1])
        r = -c * sign / (1.0 + np.exp(m))
        g = np.empty_like(w)
        g[:-1] = np.bincount(cols, weights=r[rows], minlength=d) + penalty * w[:-1]
        g[-1] = r.sum()
        return loss, g

    w = np.zeros(d + 1)
    f, g = loss_grad(w)
    s_hist, y_hist = [], []
    for _ in range(iterations):
        q = g.copy()
        alphas = []
        for s, yv in reversed(list(zip(s_hist, y_hist))):
            a = np.dot(s, q) / np.dot(yv, s)
            alphas.append(a)
            q -= a * yv
        if s_hist:
            q *= np.dot(s_hist[-1], y_hist[-1]) / np.dot(y_hist[-1], y_hist[-1])
        for (s, yv), a in zip(zip(s_hist, y_hist), reversed(alphas)):
            q += s * (a - np.dot(yv, q) / np.dot(yv, s))
        direction = -q
        step = 1.0 if s_hist else 1.0 / max(1e-12, np.linalg.norm(g))
        while True:
            w_new = w + step * direction
            f_new, g_new = loss_grad(w_new)
            if f_new <= f + 1e-4 * step * np.dot(g, direction) or step < 1e-10:
                break
            step *= 0.5
        s_hist.append(w_new - w)
        y_hist.append(g_new - g)
        if len(s_hist) > 10:
            s_hist.pop(0)
            y_hist.pop(0)
        if f - f_new < 1e-10 * max(1.0, abs(f)):
            w, f, g = w_new, f_new, g_new
            break
        w, f, g = w_new, f_new, g_new
    return w


def mean_average_precision(scores, y, groups) -> float:
    aps = []
    for k in np.unique(groups):
        m = groups == k
        order = np.argsort(-scores[m], kind="stable")
        labels = y[m][order]
        if labels.sum():
            hits = np.cumsum(labels)
            aps.append(np.mean((hits / np.arange(1, len(labels) + 1))[labels > 0]))
    return float(np.mean(aps))


def _round(x: float) -> float:
    return float(f"{x:.5g}")


def train(data: Path = DATA, context: bool = True, l2=L2, positive_weight=POSITIVE_WEIGHT):
    debates = read_debates(data)
    if len(debates) <= TRAIN_DEBATES:
        raise SystemExit(f"expected more than {TRAIN_DEBATES} debates in {data}, found {len(debates)}")
    train_feats, y, _ = featurize(debates[:TRAIN_DEBATES], context)
    names = sorted({n for named, _ in train_feats for n in named})
    X = design(train_feats, names)
    w = fit(X, y, l2, positive_weight)
    model = {
        "about": "check-worthiness: logistic regression trained by factcheck.training.train_checkworthy "
                 f"on the first {TRAIN_DEBATES} CheckThat! 2020 Task 5 debates",
        "bits": BITS,
        "context": context,
        "bias": _round(w[-1]),
        "center": _round(float(np.mean(logits(X, w)))),
        "named": {n: _round(w[i]) for i, n in enumerate(names)},
        "hashed": {str(b): _round(v) for b, v in enumerate(w[len(names):-1]) if abs(v) >= 1e-4},
    }
    dev_feats, dev_y, dev_g = featurize(debates[TRAIN_DEBATES:], context)
    weights = np.array([model["named"][n] for n in names] + [0.0] * (1 << BITS) + [model["bias"]])
    for b, v in model["hashed"].items():
        weights[len(names) + int(b)] = v
    dev_map = mean_average_precision(logits(design(dev_feats, names), weights), dev_y, dev_g)
    return model, dev_map, len(y), int(y.sum())


def logits(X, w):
    """Each row's log-odds under weights `w` (bias last)."""
    rows, cols, n, _ = X
    return np.bincount(rows, weights=w[cols], minlength=n) + w[-1]


def cross_validate(data: Path = DATA, folds: int = 4, context: bool = True, l2=L2, positive_weight=POSITIVE_WEIGHT) -> float:
    """Mean average precision of `folds`-fold cross-validation by debate over the training
    debates only (debate i is held out in fold i % folds): how settings are chosen."""
    feats, y, groups = featurize(read_debates(data)[:TRAIN_DEBATES], context)
    scores = np.zeros(len(y))
    for fold in range(folds):
        held_out = groups % folds == fold
        train_rows = [f for f, out in zip(feats, held_out) if not out]
        names = sorted({n for named, _ in train_rows for n in named})
        w = fit(design(train_rows, names), y[~held_out], l2, positive_weight)
        scores[held_out] = logits(design([f for f, out in zip(feats, held_out) if out], names), w)
    return mean_average_precision(scores, y, groups)


def dump(model: dict) -> str:
    return json.dumps(model, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--out", type=Path, default=claims.MODEL_FILE)
    ap.add_argument("--check", action="store_true", help="retrain and compare with --out; write nothing")
    ap.add_argument("--cv", type=int, metavar="K", help="only print the K-fold cross-validation MAP on the training debates")
    args = ap.parse_args(argv)
    if args.cv:
        print(f"{args.cv}-fold cross-validation by debate on the first {TRAIN_DEBATES} debates: "
              f"MAP={cross_validate(args.data, args.cv):.3f}")
        return 0
    model, dev_map, n, pos = train(args.data)
    text = dump(model)
    print(f"trained on {n} sentences ({pos} check-worthy) of the first {TRAIN_DEBATES} debates; "
          f"{len(model['named'])} named and {len(model['hashed'])} hashed weights; dev MAP={dev_map:.3f}")
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("same weights as " + str(args.out) if same else "DIFFERENT weights from " + str(args.out))
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
