"""Check-worthiness: MAP on the CheckThat! 2020 Task 5 dev debates, F1 on ClaimBuster's
expert-labelled sentences, and throughput.

    .venv/bin/python benchmarks/checkworthy.py [--data DIR] [--last 10]

Scores in-process with `score_batch` (what `factcheck checkworthy --json --batch` runs):
mean average precision over the last N debates by file name, the way
shared/tools/checkworthy_score.py does (each debate ranked by score, ties in input order),
F1 of the check-worthy class on claimbuster/groundtruth.csv from each row's decision, and
sentences scored per second on one core (no sentence encoder is used). The model never
trains on either measured set.

In the same run it scores the same rows with two baselines, for comparison on the same
machine and load: the rules alone (`rules(...).logit`, decision at log-odds 0) and a
trivial digits-and-units heuristic (a digit, then a unit word or sign, then length;
decision: a digit). The target is ≥ 2,000 sentences/s for the model on one idle core.
"""
import argparse
import re
import time
from pathlib import Path

from factcheck.pipeline.checkworthy import score_batch
from factcheck.pipeline.claim_cues import read_cues, rules
from factcheck.training.train_checkworthy import read_claimbuster, read_debates

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def debate_rows(folder: Path) -> list[list[dict]]:
    """Each debate as rows {"id", "text", "label"} (the training script's reader), in file-name order."""
    return [
        [{"id": f"{s.debate}#{n}", "text": s.text, "label": s.label} for n, s in enumerate(debate, start=1)]
        for debate in read_debates(folder)
    ]


def average_precision(labels_by_rank: list[int]) -> float:
    hits, total = 0, 0.0
    for rank, label in enumerate(labels_by_rank, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


_DIGIT = re.compile(r"\d")
_UNIT = re.compile(r"%|\$|\b(?:percent|million|billion|trillion|thousand|dollars?)\b", re.IGNORECASE)


def digits_baseline(rows):
    """A digit counts 1, a unit 1, and a longer sentence a little more."""
    for row in rows:
        text = row["text"]
        digit = bool(_DIGIT.search(text))
        yield {"id": row["id"], "score": digit + bool(_UNIT.search(text)) + len(text) / 1000, "checkworthy": digit}


def rules_baseline(rows):
    for row in rows:
        logit = rules(read_cues(row["text"])).logit
        yield {"id": row["id"], "score": logit, "checkworthy": logit >= 0}


def mean_average_precision(debates, scores) -> float:
    aps = []
    for debate in debates:
        ranked = sorted(debate, key=lambda row: -scores[row["id"]])  # stable: ties keep input order
        if any(row["label"] for row in ranked):
            aps.append(average_precision([row["label"] for row in ranked]))
    return sum(aps) / len(aps)


def f1(rows, decisions) -> float:
    tp = sum(1 for row in rows if row["label"] and decisions[row["id"]])
    chosen = sum(1 for row in rows if decisions[row["id"]])
    positives = sum(1 for row in rows if row["label"])
    return 2 * tp / (chosen + positives) if tp else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "data")
    ap.add_argument("--last", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3, help="time each scorer this many times, keep the best")
    args = ap.parse_args()
    debates = debate_rows(args.data / "checkthat-2020-task5")[-args.last:]
    rows = [row for debate in debates for row in debate]
    expert = [{"id": f"gt#{n}", "text": s.text, "label": s.label}
              for n, s in enumerate(read_claimbuster(args.data / "claimbuster" / "groundtruth.csv"))]
    list(score_batch([{"id": 0, "text": ""}]))  # load the model outside the timing, reading no word

    for name, scorer in (("model", score_batch), ("rules", rules_baseline), ("digits", digits_baseline)):
        times = []  # the first pass meets every word for the first time; later ones find them known
        for _ in range(args.repeat):
            started = time.process_time()
            scores = {out["id"]: out["score"] for out in scorer(rows)}
            times.append(time.process_time() - started)
        decisions = {out["id"]: out["checkworthy"] for out in scorer(expert)}
        print(f"checkworthy {name:6} MAP={mean_average_precision(debates, scores):.3f} debates={len(debates)} "
              f"F1={f1(expert, decisions):.3f} (groundtruth.csv) sentences={len(rows)} "
              f"speed={len(rows) / times[0]:,.0f} sentences/s first pass, {len(rows) / min(times):,.0f} after (one core, CPU time)")


if __name__ == "__main__":
    main()
