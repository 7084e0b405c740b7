from factcheck.domain import FLAGGED_LABELS, LABELS, Flag, QuoteLabel, is_flagged


def test_a_quote_is_flagged_by_its_label_or_by_any_flag():
    assert is_flagged("altered", [])
    assert is_flagged("none", [])
    assert is_flagged("exact", [Flag.EARLIER])
    assert not is_flagged("exact", [])
    assert not is_flagged("elided", ())


def test_members_are_the_stored_strings():
    assert QuoteLabel.ALTERED == "altered" and f"{Flag.MISATTRIBUTED}" == "misattributed"
    assert set(FLAGGED_LABELS) <= set(LABELS)
    assert len(LABELS) == len(set(LABELS))
