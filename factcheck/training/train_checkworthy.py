"""Train the check-worthiness model shipped as factcheck/pipeline/checkworthy_model.json.

    python -m factcheck.training.train_checkworthy [--data DIR] [--out FILE] [--check] [--cv K]

Reads the CheckThat! 2020 Task 5 debates (shared/data/checkthat-2020-task5, one sentence a
line: line, speaker, text, label), trains on the first 40 debates by file name only, and
prints the mean average precision on the last 10 (the dev debates, never trained on).
The features are those of `factcheck.pipeline.claims.sentence_features` (rule cues, the
neighbours' cues, hashed word uni- and bigrams); the speaker is not used.

The model is an L2-regularised logistic regression (positives weighted by POSITIVE_WEIGHT),
fitted by scikit-learn's lbfgs from zero weights: no randomness, so the same data gives the
same weights (written rounded to 5 significant digits). `--check` retrains and compares with
the shipped file instead of writing it: every weight within CHECK_TOLERANCE, since another
CPU, numpy or scikit-learn build may move the last digits. Needs the `training` extra
(scikit-learn, numpy); scoring reads the JSON in pure Python.

Settings are chosen by `--cv 4` (4-fold cross-validation by debate over the 40 training
debates). What was tried and why none ships: docs/checkworthiness-experiments.md.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from factcheck.pipeline import claims

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "checkthat-2020-task5"
TRAIN_DEBATES = 40
BITS = 18
L2 = 1e-4
POSITIVE_WEIGHT = 1.0
# lbfgs stops when no gradient entry is above TOLERANCE: near the optimum, well below what
# the rounding to 5 significant digits keeps.
TOLERANCE = 1e-10
MAX_ITERATIONS = 1000
# --check accepts a retrained model whose every weight (and bias and center) is this close
# to the shipped one; see docs/checkworthiness-experiments.md for the figures behind it.
CHECK_TOLERANCE = 1e-3


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


def design(feats, names: list[str], bits: int = BITS) -> csr_matrix:
    """One sparse row per sentence: named features first, then buckets (a bucket two
    n-grams share counts twice, as when scoring)."""
    index = {n: i for i, n in enumerate(names)}
    rows, cols = [], []
    for r, (named, buckets) in enumerate(feats):
        cs = sorted({index[n] for n in named if n in index}) + [len(names) + b for b in buckets]
        rows += [r] * len(cs)
        cols += cs
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(feats), len(names) + (1 << bits)))


def fit(X: csr_matrix, y, l2=L2, positive_weight=POSITIVE_WEIGHT):
    """Weights (bias last) minimising sum_i c_i log(1 + exp(-s_i z_i)) + l2/2 |w|^2, where
    z_i is row i's log-odds, s_i its label as +-1, and c_i its sample weight (positives
    `positive_weight`, others 1) over the sum of the weights; the bias is not penalised.

    scikit-learn minimises C sum_i c_i' loss_i + |w|^2/2 over the raw weights c_i': the
    same optimum when C = 1 / (l2 * sum of the weights)."""
    weights = np.where(y > 0, positive_weight, 1.0)
    model = LogisticRegression(C=1 / (l2 * weights.sum()), solver="lbfgs", tol=TOLERANCE, max_iter=MAX_ITERATIONS)
    model.fit(X, y, sample_weight=weights)
    return np.append(model.coef_[0], model.intercept_[0])


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
    dev_map = mean_average_precision(logits(design(dev_feats, names), weight_vector(model)), dev_y, dev_g)
    return model, dev_map, len(y), int(y.sum())


def weight_vector(model: dict) -> np.ndarray:
    """A written model's weights as `fit` returns them: named (sorted), buckets, bias."""
    named = [model["named"][n] for n in sorted(model["named"])]
    weights = np.array(named + [0.0] * (1 << model["bits"]) + [model["bias"]])
    for b, v in model["hashed"].items():
        weights[len(named) + int(b)] = v
    return weights


def largest_difference(model: dict, other: dict) -> float:
    """The largest gap between two written models' weights, bias or center (infinite when
    their features differ)."""
    if (model["bits"], model["context"], sorted(model["named"])) != (other["bits"], other["context"], sorted(other["named"])):
        return float("inf")
    weights = np.abs(weight_vector(model) - weight_vector(other)).max()
    return float(max(weights, abs(model["center"] - other["center"])))


def logits(X: csr_matrix, w):
    """Each row's log-odds under weights `w` (bias last)."""
    return X @ w[:-1] + w[-1]


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
        shipped = json.loads(args.out.read_text(encoding="utf-8")) if args.out.is_file() else None
        gap = largest_difference(model, shipped) if shipped else float("inf")
        same = gap <= CHECK_TOLERANCE
        print(f"{'same weights as' if same else 'DIFFERENT weights from'} {args.out} (largest difference {gap:.2g}, "
              f"tolerance {CHECK_TOLERANCE:g})")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
