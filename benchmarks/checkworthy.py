"""Check-worthiness ranking: MAP on the CheckThat! 2020 Task 5 debates, and throughput.

    .venv/bin/python benchmarks/checkworthy.py [--data DIR] [--last 10]

Scores in-process with `score_batch` (what `factcheck checkworthy --json --batch` runs),
measures mean average precision over the last N debates by file name the way
shared/tools/checkworthy_score.py does (each debate ranked by score, ties in input order),
and sentences scored per second on one core. The first 40 debates are the ones a trained
scorer may learn from; the last 10 are held out for this measure.
"""
import argparse
import time
from pathlib import Path

from factcheck.pipeline.claims import score_batch

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def read_debates(folder: Path) -> list[list[dict]]:
    """Each debate as rows {"id", "speaker", "text", "label"}, debates in file-name order."""
    debates = []
    for path in sorted(folder.glob("*.tsv")):
        rows = []
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 4:
                rows.append({"id": f"{path.stem}#{parts[0]}", "speaker": parts[1], "text": parts[2],
                             "label": int(parts[3])})
        debates.append(rows)
    return debates


def average_precision(labels_by_rank: list[int]) -> float:
    hits, total = 0, 0.0
    for rank, label in enumerate(labels_by_rank, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=SHARED / "data" / "checkthat-2020-task5")
    ap.add_argument("--last", type=int, default=10)
    args = ap.parse_args()
    debates = read_debates(args.data)[-args.last:]
    rows = [row for debate in debates for row in debate]

    started = time.perf_counter()
    scores = {out["id"]: out["score"] for out in score_batch(rows)}
    seconds = time.perf_counter() - started

    aps = []
    for debate in debates:
        ranked = sorted(debate, key=lambda row: -scores[row["id"]])  # stable: ties keep input order
        if any(row["label"] for row in ranked):
            aps.append(average_precision([row["label"] for row in ranked]))
    print(f"checkworthy MAP={sum(aps) / len(aps):.3f} debates={len(aps)} sentences={len(rows)} "
          f"speed={len(rows) / seconds:,.0f} sentences/s")


if __name__ == "__main__":
    main()
