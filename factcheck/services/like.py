"""Finding text anywhere in a column with SQL's LIKE."""
from __future__ import annotations


def like_pattern(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, with LIKE's wildcards in it taken literally
    (use it with escape="\\")."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
