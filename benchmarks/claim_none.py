"""Claims that repeat nothing: the share of unrelated news sentences that `match --mode
claim` answers `none` for.

    .venv/bin/python benchmarks/claim_none.py [--polnear GITDIR] [--sentences 1000] [--db URL] [--lexical]

The sentences are PolNeAR's train articles (news of the 2016 US election) cut into
sentences by the pipeline, keeping those of eight words or more with no quotation mark
in them (a reporter's own sentences, not a quote), shuffled with a fixed seed and the
first N taken. The statement library is the CheckThat! 2021 2B verified claims
(PolitiFact), imported into a fresh SQLite database unless --db names one already
imported. Each sentence is matched as `factcheck match --mode claim` does
(services.matching.match_claim_text, with no speaker or date), and the share answered
`none` is printed; the target is >= 97%. The few sentences matched are printed with
their best match, so that a reader can judge whether they truly repeat a checked claim.
--lexical leaves sentence embeddings out (FACTCHECK_SEMANTIC=0).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from claim_match import claims_library  # noqa: E402  (benchmarks/ is on the path when run)
POLNEAR = Path("/work/.mirror/networkdynamics+PolNeAR/repo")
DATA = ROOT.parent / "shared" / "data" / "checkthat-2021-2b"
QUOTATION_MARKS = re.compile(r"[\"“”„‟«»]|''|``")
MIN_WORDS = 8
TARGET = 0.97


def _git(gitdir: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(gitdir), *args], capture_output=True, check=True).stdout.decode("utf-8")


def news_sentences(gitdir: Path, count: int, seed: int = 13) -> list[str]:
    """`count` sentences of PolNeAR's train articles outside quotation marks (see above)."""
    from factcheck.pipeline.text.sentences import split_sentences

    names = sorted(_git(gitdir, "ls-tree", "--name-only", "HEAD", "data/train/text/").split())
    sentences = []
    for name in names:
        text = _git(gitdir, "show", f"HEAD:{name}")
        for start, end in split_sentences(text):
            sentence = " ".join(text[start:end].split())
            if len(sentence.split()) >= MIN_WORDS and not QUOTATION_MARKS.search(sentence):
                sentences.append(sentence)
    random.Random(seed).shuffle(sentences)
    return sentences[:count]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--polnear", type=Path, default=POLNEAR)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--db", help="an SQLAlchemy URL with the verified claims already imported")
    ap.add_argument("--lexical", action="store_true", help="leave sentence embeddings out")
    a = ap.parse_args()
    if not (a.polnear / "HEAD").exists() and not (a.polnear / ".git").exists():
        print(f"no PolNeAR git directory at {a.polnear}: nothing measured")
        return 1
    if a.lexical:
        os.environ["FACTCHECK_SEMANTIC"] = "0"

    from factcheck.services.matching import match_claim_text
    from factcheck.store.db import session_scope

    sentences = news_sentences(a.polnear, a.sentences)
    engine = claims_library(a.db, a.data, "claimnone")
    labels = []
    t0 = time.time()
    with session_scope(engine) as session:
        for sentence in sentences:
            result = match_claim_text(session, sentence)
            labels.append(result.label)
            if result.label != "none":
                best = result.matches[0]
                print(f"{result.label} {best.score:.1f}: {sentence[:100]!r}\n    -> {best.statement.text[:100]!r}")
    seconds = time.time() - t0
    none = labels.count("none") / len(labels)
    print(f"same={labels.count('same')} related={labels.count('related')} none={labels.count('none')} "
          f"of {len(labels)} sentences ({seconds:.1f} s)")
    # The target is the base install's, with embeddings; a lexical run has its own floor (.ci/floors.py).
    verdict = "lexical, no target" if a.lexical else f"target >= {TARGET:.2f}: {'met' if none >= TARGET else 'NOT met'}"
    print(f"claims none share={none:.3f} ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
