"""The code of another git ref, checked out beside this one, for a benchmark's --baseline."""
from __future__ import annotations

import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def checked_out(ref: str) -> Iterator[Path]:
    """A temporary worktree of `ref` (a branch, a commit), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="factcheck-baseline-") as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
                       check=True, capture_output=True)
        try:
            yield tree
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
