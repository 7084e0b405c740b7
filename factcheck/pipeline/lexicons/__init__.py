"""The word lists the pipeline's rules read, kept as plain text beside this file.

Each list is a `.txt` file: one entry a line, `#` starts a comment, blank lines are
skipped. Some lists give an entry extra fields after a `|` (a title's gender, say);
the header of each file says what its lines hold. A list is read from disk once, on
first use, and cached for the life of the process. `attribution.py` here turns the
lists attribution reads into the sets its tagger and rules look words up in.
"""
from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of `<name>.txt`, comments and blank lines dropped, in file order."""
    text = files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return tuple(out)


@cache
def words(name: str) -> frozenset[str]:
    """Every whitespace-separated word of every entry, lower-cased.

    For lists whose lines hold the forms of one word ("say says said saying") this is
    the set of all forms.
    """
    return frozenset(w.lower() for entry in entries(name) for w in entry.split())


@cache
def phrases(name: str) -> frozenset[str]:
    """Each entry as one lower-cased phrase (for lists of multiword entries)."""
    return frozenset(" ".join(entry.lower().split()) for entry in entries(name))


@cache
def fields(name: str) -> dict[str, str]:
    """Entries of the form `key | value`, lower-cased; an entry without `|` maps to ""."""
    out = {}
    for entry in entries(name):
        key, _, value = entry.partition("|")
        out[" ".join(key.lower().split())] = value.strip().lower()
    return out
