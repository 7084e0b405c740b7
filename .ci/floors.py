"""Fail CI when a quality figure we have reached falls below its floor.

Each floor runs a scorer from shared/tools (or one of our benchmarks, named by its path)
and reads the figures of its last line.
Raise a floor when a figure improves; never lower one to make CI pass.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
FACTCHECK = str(VENV_BIN / "factcheck")
# PolNeAR is not in shared/: its floor runs where a checkout is (POLNEAR_GIT, or the fetch mirror).
POLNEAR = os.environ.get("POLNEAR_GIT", "/work/.mirror/networkdynamics+PolNeAR/repo")

# (name, scorer arguments, {figure: minimum}, what must exist for it to run)
FLOORS = [
    (
        "sample article quotes",
        ["quote_score.py", "--cmd", f"{FACTCHECK} extract --json", "--gold", "{shared}/corpus/gold", "--articles", "{shared}/corpus"],
        {"P": 1.0, "R": 1.0, "speaker": 1.0},
        "{shared}/corpus",
    ),
    (
        "check-worthiness, ClaimBuster groundtruth.csv (CheckThat! 2024 1B dev)",
        ["checkworthy_score.py", "--cmd", FACTCHECK, "--sentences", "{shared}/data/claimbuster/groundtruth.csv"],
        {"F1": 0.890, "AP": 0.954},
        "{shared}/data/claimbuster",
    ),
    (
        # 0.110 until issue 12 trained the model on ClaimBuster's broader sense of check-worthy
        # (F1 0.890 above); its 4-fold cross-validated MAP on the training debates rose from
        # 0.110 to 0.133 (train_checkworthy --cv) while these 10 later debates fell: see
        # docs/checkworthiness-experiments.md.
        "check-worthiness, CheckThat! 2020 dev (last 10 debates)",
        ["checkworthy_score.py", "--cmd", FACTCHECK, "--last", "10"],
        {"MAP": 0.069},
        "{shared}/data/checkthat-2020-task5",
    ),
    (
        # Sentence embeddings off (FACTCHECK_SEMANTIC=0): the lexical ranker on its own.
        "claim matching, CheckThat! 2021 2B dev, lexical",
        ["claim_match_score.py", "--split", "dev", "--cmd", f"env FACTCHECK_SEMANTIC=0 {FACTCHECK}"],
        {"MAP@5": 0.480},
        "{shared}/data/checkthat-2021-2b",
    ),
    (
        # The base install's encoder (pipeline/encoder.py): MAP@5 0.559 measured (0.561 with the
        # old torch extra; the vectors agree to cosine 1.000000). Its import embeds the 19,250
        # verified claims: about 15 CPU minutes.
        "claim matching, CheckThat! 2021 2B dev, with sentence embeddings (base install)",
        ["claim_match_score.py", "--split", "dev", "--cmd", FACTCHECK],
        {"MAP@5": 0.555},
        "{shared}/data/checkthat-2021-2b",
    ),
    (
        # Unrelated news sentences must not be paired with checked claims: 96.5% answered
        # none lexically (99.1% with sentence embeddings, whose import would add minutes here).
        "claims that repeat nothing: 1,000 PolNeAR train sentences, lexical",
        ["benchmarks/claim_none.py", "--lexical", "--polnear", POLNEAR],
        {"share": 0.96},
        POLNEAR,
    ),
    (
        "PolNeAR dev quotes",
        ["quote_score.py", "--cmd", f"{FACTCHECK} extract --json", "--polnear", POLNEAR, "--split", "dev"],
        {"F1": 0.960, "speaker": 0.920},
        POLNEAR,
    ),
]


def figures(line: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"([A-Za-z@0-9]+)=([0-9.]+)", line)}


def main(shared: str) -> int:
    failed = 0
    for name, args, minimums, needs in FLOORS:
        if not os.path.exists(needs.format(shared=shared)):
            print(f"skip {name}: {needs.format(shared=shared)} is absent")
            continue
        script = ROOT / args[0] if args[0].startswith("benchmarks/") else f"{shared}/tools/{args[0]}"
        argv = [sys.executable, str(script)] + [a.format(shared=shared) for a in args[1:]]
        out = subprocess.run(argv, capture_output=True, text=True)
        last = (out.stdout.strip().splitlines() or [""])[-1]
        got = figures(last)
        low = {k: m for k, m in minimums.items() if got.get(k, -1.0) < m}
        print(f"{'FAIL' if low else 'ok  '} {name}: {last}")
        if low:
            print(f"     below the floor: {low}; scorer stderr: {out.stderr.strip()[-300:]}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
