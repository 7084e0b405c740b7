"""A verdict's whole journey in a real browser: checker, editor, reader."""
import json
import re

import pytest

from .conftest import log_in, log_out, screenshot

pytestmark = pytest.mark.browser


def test_a_checker_drafts_an_editor_publishes_and_a_reader_finds_it(server, page):
    log_in(page, server, "checker")
    page.get_by_role("link", name="Review").click()
    page.get_by_label("Flag").select_option("")  # the filters are plain GET forms
    page.get_by_label("Match").select_option("altered")
    page.get_by_role("button", name="Filter").click()
    row = page.get_by_role("row").filter(has_text="We will hire 2,000 new drivers.")
    screenshot(page, "queue")
    row.get_by_role("button", name="Take").click()
    assert "is now held by checker" in page.content()

    page.get_by_role("link", name="We will hire 2,000 new drivers.").click()
    assert page.locator("mark.target").inner_text() == "We will hire 2,000 new drivers."
    # The diff strikes the source's number and marks the quote's, both flagged as numbers.
    assert page.locator(".diff del.number").inner_text().startswith("20,000")
    assert page.locator(".diff ins.number").inner_text().startswith("2,000")
    assert page.locator(".reasons .reason-number").inner_text() == "number changed: 20,000 → 2,000"
    assert "Held by checker." in page.locator(".holder-box").inner_text()
    page.get_by_role("button", name="Confirm source").click()
    assert "Source confirmed." in page.content()
    screenshot(page, "review")

    page.get_by_label("Rating").select_option("Misquoted")
    page.get_by_label("Explanation").fill("The hearing transcript says the city may hire drivers, not that it will.")
    page.locator("#evidence-0-url").fill("https://example.org/hearing")
    page.get_by_label("Status").select_option("draft")
    page.get_by_role("button", name="Save verdict").click()
    assert "Saved version 1 of the verdict (draft)." in page.content()
    log_out(page)

    log_in(page, server, "editor")
    page.get_by_role("link", name="Desk").click()
    screenshot(page, "desk")
    page.get_by_role("link", name="We will hire 2,000 new drivers.").first.click()
    page.get_by_label("Status").select_option("published")
    page.get_by_role("button", name="Save verdict").click()
    assert "Saved version 2 of the verdict (published)." in page.content()
    log_out(page)

    page.goto(server)
    page.get_by_label("Search quotes, claims and speakers").fill("drivers")
    page.get_by_role("button", name="Search").click()
    assert "1 verdict found" in page.content()
    page.get_by_role("link", name=re.compile("Read the fact check")).click()
    screenshot(page, "verdict")
    assert page.get_by_role("heading", level=1).inner_text() == "Fact check: a quote by Ana Reyes"
    [block] = page.locator('script[type="application/ld+json"]').all()
    review = json.loads(block.text_content())
    assert review["@type"] == "ClaimReview" and review["claimReviewed"] == "We will hire 2,000 new drivers."
    assert review["reviewRating"]["alternateName"] == "Misquoted"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Ana Reyes"}
    # The checker confirmed the source, so the claim is dated when its words were said.
    assert review["itemReviewed"]["datePublished"] == "2025-11-01"
