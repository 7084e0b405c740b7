"""The number reader: quantities read by meaning (amounts, years, percentages, counts)."""
import pytest

from factcheck.pipeline.text.quantities import comparable, numbers_differ, quantities, same_quantities


def read(text):
    return [(q.value, q.kind, q.unit) for q in quantities(text)]


@pytest.mark.parametrize("text", ["$1.1 billion", "1.1 billion dollars", "1,100 million dollars", "$1.1bn", "$1,100,000,000"])
def test_one_amount_written_many_ways(text):
    assert read(text) == [(1.1e9, "amount", "dollar")]


def test_an_amount_without_its_currency_is_still_that_amount():
    assert same_quantities("1,100 million", "The province has paid $1.1 billion")
    assert not numbers_differ("It has cost 1,100 million so far", "The province has paid $1.1 billion")


def test_a_year_is_not_an_amount():
    assert read("The line opens in 2026, at $1.1 billion") == [(2026, "year", ""), (1.1e9, "amount", "dollar")]
    assert read("in the 1990s") == [(1990, "year", "")]
    # The demo desk's badge: $1.1 billion against the year 2026 is no difference of figures.
    assert numbers_differ("The province has paid more than $1.1 billion", "The audit will be public by 2026") == []


def test_percentages_and_percentage_points_apart():
    assert read("40% of riders, 40 percent, 40 per cent") == [(40, "percent", "")] * 3
    assert read("up 3 percentage points") == [(3, "points", "")]
    assert numbers_differ("turnout rose 3 percentage points", "turnout rose to 3 percent") == []
    assert numbers_differ("81 percent arrived on time", "76 percent arrived on time")


def test_counts_compare_only_when_they_count_the_same_thing():
    three_days, four_strikes = quantities("three days"), quantities("4 strikes")
    assert three_days[0].unit == "day" and not comparable(three_days[0], four_strikes[0])
    assert numbers_differ("the strike lasted three days", "a strike of four days")
    assert not numbers_differ("the strike lasted three days", "it was the union's 4 strikes")
    assert same_quantities("40,000 Northfield residents", "home to 40,000 residents")
    # A number that counts nothing named cannot be compared with anything.
    assert not numbers_differ("the score rose to 12", "the score rose to 14")


def test_words_that_only_look_like_numbers_are_not_read():
    assert read("no one knows how millions of people voted on the 230th day") == []


def test_numbers_differ_names_the_comparable_figures():
    # The year agrees; the amounts still differ.
    pairs = numbers_differ("The tunnel cost $1.9 billion in 2021", "The tunnel cost 1.2 billion dollars in 2021")
    assert [(a.text, b.text) for a, b in pairs] == [("$1.9 billion", "1.2 billion dollars")]
    # A figure the other text also states is agreed, whatever else that text says.
    assert numbers_differ("It cost $1.2 billion", "It now costs $1.9 billion, up from $1.2 billion") == []
