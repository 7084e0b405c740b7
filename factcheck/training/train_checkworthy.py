"""Train the check-worthiness model shipped as factcheck/pipeline/checkworthy_model.{json,bin}.

    python -m factcheck.training.train_checkworthy [--shared DIR] [--out FILE] [--check] [--cv]

Training data, both from shared/data:
* claimbuster/crowdsourced.csv: 22,501 debate sentences with crowd labels (Verdict 1, a
  check-worthy factual sentence, is the positive class);
* checkthat-2020-task5: the first 40 debates by file name (one sentence a line: line,
  speaker, text, label). A feature marks their sentences, so that their much rarer
  positives (about 1 in 90, against 1 in 4) do not pull the model's probabilities down;
  it is not shipped, so scores keep ClaimBuster's sense.

Never trained on, and printed after training: claimbuster/groundtruth.csv (1,032 sentences
with expert labels, CheckThat! 2024 Task 1B's dev set: F1 of the check-worthy class,
precision, recall, AP) and the last 10 CheckThat! 2020 debates (MAP).

The model is an L2-regularised logistic regression (scikit-learn, lbfgs, from zero: the same
data gives the same weights) over `factcheck.pipeline.checkworthy.features`. The decision
threshold is the one that maximises F1 of the check-worthy class in 5-fold cross-validation
by debate over crowdsourced.csv. `--cv` prints instead the 4-fold cross-validated MAP by
debate over the 40 CheckThat! training debates. Four ClaimBuster debates are also CheckThat!
debates (OVERLAP): a fold that holds out one of them trains on neither copy.

`--check` retrains and compares with the shipped model (every weight within
CHECK_TOLERANCE, the threshold within one THRESHOLD_STEP: another CPU or library build may
move the last digits, and two neighbouring thresholds whose cross-validated F1 nearly ties
can swap places on it). Needs the
`training` extra (scikit-learn, scipy, numpy); scoring reads the files in pure Python.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from array import array
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

from factcheck.pipeline import checkworthy
from factcheck.pipeline.claim_cues import NAMED_FEATURES, read_cues
from factcheck.pipeline.text.memo import Memo

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
TRAIN_DEBATES = 40
BITS = 18
C = 2.0
CV_FOLDS = 5
# The dates (as ClaimBuster names its files) of the debates both data sets hold.
OVERLAP = ("2012-10-22", "2016-09-26", "2016-10-09", "2016-10-19")
CORPUS_FEATURE = "corpus:checkthat"
TOLERANCE = 1e-6
MAX_ITERATIONS = 3000
# lbfgs stops when the loss stops improving (TOLERANCE), not at fixed weights: the order in
# which the BLAS threads add up, which a loaded machine changes, moved a weight by 1.7e-3 in
# CI while every score and decision stayed the same.
CHECK_TOLERANCE = 5e-3
THRESHOLD_STEP = 0.005


class Sentence(NamedTuple):
    text: str
    label: bool
    debate: str  # the debate's date as ClaimBuster writes it ("2016-09-26"), or a CheckThat! file's stem
    checkthat: bool


def read_claimbuster(path: Path) -> list[Sentence]:
    with path.open(encoding="utf-8", newline="") as f:
        return [Sentence(r["Text"], int(r["Verdict"]) == 1, r["File_id"].removesuffix(".txt"), False)
                for r in csv.DictReader(f)]


def read_debates(folder: Path) -> list[list[Sentence]]:
    """Each CheckThat! 2020 debate's sentences, debates in file-name order."""
    debates = []
    for path in sorted(folder.glob("*.tsv")):
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
        debates.append([Sentence(r[2], int(r[3]) == 1, path.stem, True) for r in rows if len(r) >= 4])
    return debates


def same_debate(claimbuster_date: str, checkthat_stem: str) -> bool:
    return claimbuster_date.replace("-", "") == checkthat_stem[:8]


class Design:
    """Turns sentences into the model's sparse rows; fitted (IDF) on training sentences."""

    def __init__(self, sentences: list[Sentence], bits: int = BITS):
        self.bits = bits
        self.names = [*NAMED_FEATURES, CORPUS_FEATURE]
        found = _featurize(sentences, bits)
        self.idf = [_idf(_counts(found, k, bits)) for k in (1, 2)]

    def rows(self, sentences: list[Sentence]) -> csr_matrix:
        found = _featurize(sentences, self.bits)
        index = {n: i for i, n in enumerate(self.names)}
        r, c = [], []
        for i, (s, f) in enumerate(zip(sentences, found)):
            cols = [index[n] for n in f.named] + ([index[CORPUS_FEATURE]] if s.checkthat else [])
            r += [i] * len(cols)
            c += cols
        named = csr_matrix((np.ones(len(r)), (r, c)), shape=(len(sentences), len(self.names)))
        return hstack([named, *(_weighted(_counts(found, k, self.bits), idf) for k, idf in zip((1, 2), self.idf))]).tocsr()


def _idf(counts: csr_matrix) -> np.ndarray:
    """Each bucket's smoothed IDF over the training sentences, as scikit-learn computes it:
    ln((1 + sentences) / (1 + sentences holding it)) + 1."""
    holding = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1 + counts.shape[0]) / (1 + holding)) + 1


def _weighted(counts: csr_matrix, idf: np.ndarray) -> csr_matrix:
    """Occurrences times IDF, each row divided by the root of its occurrences' squared IDF
    (what `checkworthy.Model.logit` adds up word by word)."""
    norms = np.sqrt(counts @ (idf * idf))
    norms[norms == 0] = 1.0
    return csr_matrix(counts.multiply(idf[np.newaxis, :]).multiply(1 / norms[:, np.newaxis]))


def _featurize(sentences: list[Sentence], bits: int) -> list[checkworthy.Features]:
    return [_FEATURES[s.text, bits] for s in sentences]


# Each sentence is read once, however many folds train or test on it.
_FEATURES = Memo(lambda key: checkworthy.features(read_cues(key[0]), key[1]))


def _counts(found: list[checkworthy.Features], family: int, bits: int) -> csr_matrix:
    r, c, v = [], [], []
    for i, f in enumerate(found):
        for b, n in f[family].items():
            r.append(i)
            c.append(b)
            v.append(n)
    return csr_matrix((np.array(v, float), (r, c)), shape=(len(found), 1 << bits))


class Fitted(NamedTuple):
    design: Design
    classifier: LogisticRegression

    def logits(self, sentences: list[Sentence]) -> np.ndarray:
        return self.classifier.decision_function(self.design.rows(sentences))


def fit(sentences: list[Sentence], c: float = C, bits: int = BITS) -> Fitted:
    design = Design(sentences, bits)
    labels = np.array([s.label for s in sentences])
    classifier = LogisticRegression(C=c, solver="lbfgs", tol=TOLERANCE, max_iter=MAX_ITERATIONS)
    return Fitted(design, classifier.fit(design.rows(sentences), labels))


def held_out_logits(claimbuster: list[Sentence], debates: list[list[Sentence]], c: float = C, bits: int = BITS) -> np.ndarray:
    """Cross-validated log-odds of each ClaimBuster sentence: CV_FOLDS folds by debate (the
    i-th debate in date order is held out in fold i mod CV_FOLDS), each trained on the other
    folds and the CheckThat! debates that are not the held-out ones."""
    dates = sorted({s.debate for s in claimbuster})
    fold_of = {d: i % CV_FOLDS for i, d in enumerate(dates)}
    logits = np.zeros(len(claimbuster))
    for fold in range(CV_FOLDS):
        held = [fold_of[s.debate] == fold for s in claimbuster]
        held_dates = {d for d in dates if fold_of[d] == fold}
        other = [d for d in debates if not any(same_debate(h, d[0].debate) for h in held_dates)]
        train = [s for s, h in zip(claimbuster, held) if not h] + [s for d in other for s in d]
        test = [s for s, h in zip(claimbuster, held) if h]
        logits[np.array(held)] = fit(train, c, bits).logits(test)
    return logits


def best_threshold(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising the F1 of the positive class, over probabilities 0.05-0.95."""
    best = (0.5, -1.0)
    for threshold in np.arange(0.05, 0.951, THRESHOLD_STEP):
        chosen = logits >= np.log(threshold / (1 - threshold))
        f1 = f1_score(chosen, labels)
        if f1 > best[1]:
            best = (round(float(threshold), 3), f1)
    return best


def f1_score(chosen: np.ndarray, labels: np.ndarray) -> float:
    tp = float(np.sum(chosen & labels))
    return 2 * tp / (chosen.sum() + labels.sum()) if tp else 0.0


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    ranked = labels[np.argsort(-scores, kind="stable")]
    hits = np.cumsum(ranked)
    return float(np.mean((hits / np.arange(1, len(ranked) + 1))[ranked])) if ranked.any() else 0.0


def mean_average_precision(debates: list[list[Sentence]], scores: list[np.ndarray]) -> float:
    aps = [average_precision(s, np.array([x.label for x in d])) for d, s in zip(debates, scores)]
    return float(np.mean([ap for ap, d in zip(aps, debates) if any(x.label for x in d)]))


def checkthat_cross_validation(claimbuster: list[Sentence], debates: list[list[Sentence]], folds: int = 4) -> float:
    """MAP of `folds`-fold cross-validation by debate over the CheckThat! training debates
    (debate i held out in fold i mod folds), each fold trained on ClaimBuster (less the
    held-out debates' copies) and the other CheckThat! debates."""
    scores: list[np.ndarray] = [np.zeros(0)] * len(debates)
    for fold in range(folds):
        held = [i for i in range(len(debates)) if i % folds == fold]
        train = [s for s in claimbuster if not any(same_debate(s.debate, debates[i][0].debate) for i in held)]
        train += [s for i, d in enumerate(debates) if i % folds != fold for s in d]
        fitted = fit(train)
        for i in held:
            scores[i] = fitted.logits(debates[i])
    return mean_average_precision(debates, scores)


def write(fitted: Fitted, threshold: float, out: Path) -> None:
    """Write the model's JSON (named weights, bias, threshold) and its bucket tables."""
    weights = fitted.classifier.coef_[0]
    names = fitted.design.names
    about = {
        "about": "check-worthiness: logistic regression trained by factcheck.training.train_checkworthy on "
                 f"ClaimBuster crowdsourced.csv and the first {TRAIN_DEBATES} CheckThat! 2020 Task 5 debates",
        "bits": fitted.design.bits,
        "bias": _round(fitted.classifier.intercept_[0]),
        "threshold": threshold,
        "named": {n: _round(weights[i]) for i, n in enumerate(names) if n != CORPUS_FEATURE},
    }
    tables = array("f")
    size = 1 << fitted.design.bits
    for k, idf in enumerate(fitted.design.idf):
        tables.extend(idf.astype(np.float32))
        tables.extend(weights[len(names) + k * size:len(names) + (k + 1) * size].astype(np.float32))
    if sys.byteorder != "little":
        tables.byteswap()
    out.write_text(json.dumps(about, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    out.with_suffix(".bin").write_bytes(tables.tobytes())


def _round(x: float) -> float:
    return float(f"{x:.6g}")


def largest_difference(model: checkworthy.Model, other: checkworthy.Model) -> float:
    """The largest gap between two models' weights, IDF or bias (infinite when their
    features differ)."""
    if model.bits != other.bits or sorted(model.named) != sorted(other.named):
        return float("inf")
    gaps = [abs(model.bias - other.bias)]
    gaps += [abs(model.named[n] - other.named[n]) for n in model.named]
    for family in checkworthy.FAMILIES:
        for mine, theirs in ((model.idf[family], other.idf[family]), (model.weights[family], other.weights[family])):
            gaps.append(float(np.max(np.abs(np.array(mine) - np.array(theirs)))))
    return max(gaps)


def train(shared: Path, out: Path, sample: int = 0, bits: int = BITS) -> str:
    """Train and write the model to `out`; return a report of its held-out figures.
    `sample` > 0 trains on about that many sentences of each source only, and `bits` sets
    the hash space (both for tests)."""
    data = shared / "data"
    claimbuster = read_claimbuster(data / "claimbuster" / "crowdsourced.csv")
    debates = read_debates(data / "checkthat-2020-task5")
    if len(debates) <= TRAIN_DEBATES:
        raise SystemExit(f"expected more than {TRAIN_DEBATES} debates in {data / 'checkthat-2020-task5'}, found {len(debates)}")
    training, dev = debates[:TRAIN_DEBATES], debates[TRAIN_DEBATES:]
    if sample:
        claimbuster = claimbuster[::max(1, len(claimbuster) // sample)]
        training = [d[::max(1, len(d) * len(training) // sample)] for d in training]
    labels = np.array([s.label for s in claimbuster])
    threshold, cv_f1 = best_threshold(held_out_logits(claimbuster, training, bits=bits), labels)
    fitted = fit(claimbuster + [s for d in training for s in d], bits=bits)
    write(fitted, threshold, out)
    lines = [f"trained on {len(claimbuster)} ClaimBuster sentences ({int(labels.sum())} check-worthy) and "
             f"{sum(map(len, training))} of {len(training)} CheckThat! debates; threshold {threshold} "
             f"(cross-validated F1 {cv_f1:.3f} on the crowd labels)"]
    expert = read_claimbuster(data / "claimbuster" / "groundtruth.csv")
    if expert:
        logits = fitted.logits(expert)
        truth = np.array([s.label for s in expert])
        chosen = logits >= np.log(threshold / (1 - threshold))
        tp = float(np.sum(chosen & truth))
        lines.append(f"groundtruth.csv: F1={f1_score(chosen, truth):.3f} P={tp / max(1, chosen.sum()):.3f} "
                     f"R={tp / truth.sum():.3f} AP={average_precision(logits, truth):.3f}")
    lines.append(f"CheckThat! 2020 dev ({len(dev)} debates): MAP={mean_average_precision(dev, [fitted.logits(d) for d in dev]):.3f}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--out", type=Path, default=checkworthy.MODEL_FILE)
    ap.add_argument("--check", action="store_true", help="retrain into a temporary file and compare with --out")
    ap.add_argument("--cv", action="store_true", help="only print the 4-fold cross-validated MAP on the CheckThat! training debates")
    args = ap.parse_args(argv)
    if args.cv:
        data = args.shared / "data"
        debates = read_debates(data / "checkthat-2020-task5")[:TRAIN_DEBATES]
        claimbuster = read_claimbuster(data / "claimbuster" / "crowdsourced.csv")
        print(f"4-fold cross-validation by debate on the first {TRAIN_DEBATES} CheckThat! debates: "
              f"MAP={checkthat_cross_validation(claimbuster, debates):.3f}")
        return 0
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / args.out.name
            report = train(args.shared, fresh)
            print(report)
            made, shipped = _load(fresh), _load(args.out)
        gap = largest_difference(made, shipped)
        threshold_gap = abs(made.threshold - shipped.threshold)
        same = gap <= CHECK_TOLERANCE and threshold_gap <= THRESHOLD_STEP + 1e-9
        print(f"{'same model as' if same else 'DIFFERENT model from'} {args.out} (largest weight difference "
              f"{gap:.2g}, tolerance {CHECK_TOLERANCE:g}; thresholds {made.threshold} and {shipped.threshold}, "
              f"tolerance {THRESHOLD_STEP})")
        return 0 if same else 1
    report = train(args.shared, args.out)
    print(report)
    size = (args.out.stat().st_size + args.out.with_suffix(".bin").stat().st_size) / 1e6
    print(f"wrote {args.out} and {args.out.with_suffix('.bin').name} ({size:.1f} MB)")
    return 0


def _load(path: Path) -> checkworthy.Model:
    return checkworthy.Model(json.loads(path.read_text(encoding="utf-8")), path.with_suffix(".bin").read_bytes())


if __name__ == "__main__":
    sys.exit(main())
