"""A claim's claimant: the quote it is said in, else the article's author, else its outlet."""
from factcheck.pipeline.claimants import Claimant, QuoteSpan, claimant

QUOTES = [QuoteSpan(10, 100, "Dana Whitlock", "person"), QuoteSpan(40, 60, None, "anonymous")]


def test_a_claim_inside_a_quote_is_the_narrowest_quotes_speakers():
    assert claimant(12, 30, QUOTES, ["Lena Varga"], "Harbor Gazette") == Claimant("Dana Whitlock", "person", 0)
    assert claimant(10, 100, QUOTES, [], None) == Claimant("Dana Whitlock", "person", 0)  # the whole quote
    assert claimant(42, 58, QUOTES, ["Lena Varga"], None) == Claimant(None, "anonymous", 1)  # an unnamed source's


def test_a_claim_outside_quotes_is_the_first_authors_else_the_outlets():
    assert claimant(5, 30, QUOTES, ["", "Lena Varga", "Ines Okafor"], "Harbor Gazette") == Claimant("Lena Varga", "person")
    assert claimant(90, 120, QUOTES, [], "Harbor Gazette") == Claimant("Harbor Gazette", "organization")
    assert claimant(200, 220, [], [], None) == Claimant(None, "unknown")
