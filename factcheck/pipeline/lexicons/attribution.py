"""The word lists attribution reads (tagging, mentions and rules), loaded once.

Each set is named for what its words are; the lists themselves are the `.txt` files
beside this module.
"""
from __future__ import annotations

from ..text.sentences import ABBREVIATIONS as SENTENCE_ABBREVIATIONS, TITLE_ABBREVIATIONS
from . import entries, fields, phrases, words


def _pronoun_tag(gender_role: str) -> str:
    """S for he/she/they/it, I for the writer and reader (i, we, you), P for possessives."""
    gender, role = gender_role.split()
    return "P" if role == "possessive" else "I" if gender in ("first", "second") else "S"


def _multiword() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Multiword titles (tag T) and cue phrases (tag V), by first word, longest first."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for phrase, tag in [(t, "T") for t in fields("titles") if " " in t] + [(c, "V") for c in phrases("cue_phrases")]:
        ws = tuple(phrase.split())
        out.setdefault(ws[0], []).append((ws, tag))
    for found in out.values():
        found.sort(key=lambda x: -len(x[0]))
    return out


def _source_phrases() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Source phrases by first word, as (words before the speaker, words after it)."""
    out: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase in phrases("source_phrases"):
        before, _, after = phrase.partition("{speaker}")
        out.setdefault(before.split()[0], []).append((tuple(before.split()), tuple(after.split())))
    return out


def _plurals(name: str) -> frozenset[str]:
    """The plural forms (second word of a line) of a singular-then-plural noun list."""
    return frozenset(line.split()[1].lower() for line in entries(name) if len(line.split()) > 1)


PRONOUNS = {w: _pronoun_tag(v) for w, v in fields("pronouns").items()}
SUBJECT_PRONOUNS = frozenset(w for w, tag in PRONOUNS.items() if tag == "S")
RELATIVES = frozenset(("who", "which"))
NEUTER_PRONOUNS = frozenset(w for w, v in fields("pronouns").items() if v.split()[0] in ("neuter", "plural"))
LONE_SOURCES = frozenset(("one", "another", "others"))
FIRST_NAMES = frozenset(fields("first_names"))
HONORIFICS = frozenset(("mr.", "mrs.", "ms.", "mr", "mrs", "ms", "dr.", "dr", "miss", "mx."))
WRITER = frozenset(("i", "we"))
DETERMINERS = fields("determiners")
TITLES = frozenset(fields("titles"))
MULTIWORD = _multiword()
SOURCE_PHRASES = _source_phrases()
PERSON = words("person_nouns")
PERSON_PLURAL = _plurals("person_nouns")
ORGANISATIONS = words("organisations")
ORG_PLURAL = _plurals("organisations")
PLACES = frozenset(entries("places"))
CUE_VERBS = words("cue_verbs")
CUE_NOUNS = words("cue_nouns")
SKIP = words("skip_words")
PREPOSITIONS = words("prepositions")
CLAUSE_OPENERS = words("cue_clause_openers")
DOCUMENTS = words("document_nouns")
PARTICLES = words("particles")
NOT_NAMES = words("not_names")
# The words that keep a full stop as one token with it: the sentence splitter's
# abbreviations, and titles written with a full stop ("Del.", "Sen.").
ABBREVIATIONS = TITLE_ABBREVIATIONS | SENTENCE_ABBREVIATIONS | frozenset(
    t[:-1] for t in TITLES if t.endswith(".") and " " not in t)
NOT_LABELS = frozenset(("update", "note", "editor's note", "editor’s note", "breaking", "correction",
                         "warning", "caption", "photo", "video", "watch", "read more", "related", "ps", "p.s.",
                         "exclusive", "poll", "report", "analysis", "opinion", "live", "fact check", "editorial",
                         "review", "interview", "explainer", "exclusive interview", "live updates", "transcript"))
