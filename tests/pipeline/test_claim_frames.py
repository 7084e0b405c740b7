"""Claims are whole statements: never a fragment that starts or ends inside an attribution.

Fixtures are fictional samples: the demo's articles (factcheck/samples/, invented outlets
and people) and sentences about invented towns and people written here.
"""
from pathlib import Path

import pytest

from factcheck.pipeline.attribution.frames import has_cue, opens_inside
from factcheck.pipeline.claims import find_claims
from factcheck.pipeline.quotes import find_quotations
from factcheck.pipeline.reading import read_source
from factcheck.pipeline.text.sentences import split_sentences

DEMO_ARTICLES = sorted((Path(__file__).resolve().parents[2] / "factcheck" / "samples" / "articles").iterdir())


def frame_edges(text: str, start: int, end: int) -> list[str]:
    """How the claim at `text[start:end]` begins or ends with an attribution, if it does:
    it opens with a cue whose speaker is outside it ("said Roe, ..."), or it holds a cue
    and stands right after or right before a quotation of its sentence (the quotation's
    frame: "“…,” Roe said on Friday", "Roe told reporters: “…”")."""
    found = []
    if opens_inside(text, start, end):
        found.append("opens with a cue")
    sentence = next((s, e) for s, e in split_sentences(text) if s <= start < e)
    for q in find_quotations(text):
        if q.kind != "quote" or not (sentence[0] <= q.open < sentence[1]):
            continue
        if not text[q.close:start].strip(" ,;:—–-") and q.close <= start and has_cue(text, start, end):
            found.append("frames the quotation before it")
        if not text[end:q.open].strip(" ,;:—–-") and end <= q.open and has_cue(text, start, end):
            found.append("frames the quotation after it")
    return found


@pytest.mark.parametrize("path", DEMO_ARTICLES, ids=lambda p: p.name)
def test_no_demo_claim_begins_or_ends_with_an_attribution(path):
    article = read_source(str(path))
    claims = find_claims(article.text)
    assert claims
    framed = {c.text: frame_edges(article.text, c.start, c.end) for c in claims}
    assert not {text: how for text, how in framed.items() if how}
