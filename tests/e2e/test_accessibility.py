"""Accessibility in a real browser: axe-core finds no serious or critical problem on the
main pages, the pages work without JavaScript, and the keyboard reaches what matters.

axe-core comes bundled in the axe-playwright-python package (a dev extra): nothing is
fetched from the network.
"""
import pytest

from .conftest import log_in, screenshot

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in SERIOUS]


def test_main_pages_have_no_serious_accessibility_problems(server, page, live_app):
    seeded = live_app.config["SEEDED"]
    pages = {"index": "/", "verdict": f"/verdicts/{seeded['verdict_id']}"}
    staff_pages = {"queue": "/review/", "review-page": f"/review/quote/{seeded['flagged'].quote_id}",
                   "desk-index": "/desk/", "desk-article": f"/desk/article/{seeded['flagged'].article_id}",
                   "people": "/people/", "speaker": "/speakers/1", "transcripts": "/desk/transcripts/",
                   "transcript": f"/desk/transcripts/{seeded['transcript_id']}"}
    problems = {}
    for name, path in pages.items():
        page.goto(server + path)
        problems[name] = serious_violations(page)
    log_in(page, server, "editor")
    for name, path in staff_pages.items():
        page.goto(server + path)
        screenshot(page, name)
        problems[name] = serious_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}


def test_pages_work_without_javascript(browser, server, live_app):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, server, "checker")
    quote_id = live_app.config["SEEDED"]["flagged"].quote_id
    page.goto(f"{server}/review/quote/{quote_id}")
    page.get_by_role("button", name="Take it").click()
    assert "is now held by checker" in page.content()
    page.goto(f"{server}/?q=tunnel")
    assert "1 verdict found" in page.content()
    context.close()


def test_the_keyboard_reaches_the_skip_link_and_the_main_nav(server, page):
    page.goto(server)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # it shows itself when focused
    screenshot(page, "skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.goto(server)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav')?.getAttribute('aria-label')") == "Main"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Verdicts"
    page.keyboard.press("Enter")
    assert page.url == f"{server}/"


def test_a_phone_sized_screen_stacks_the_queue(browser, server):
    context = browser.new_context(viewport={"width": 380, "height": 800})
    page = context.new_page()
    log_in(page, server, "checker")
    page.goto(f"{server}/review/")
    screenshot(page, "queue-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the page scrolls sideways ({width}px)"
    context.close()


@pytest.mark.parametrize("width", [1100, 700, 380])
def test_filter_fields_do_not_overlap(browser, server, width):
    # A select as wide as its longest option ("Minor wording difference") once ran over the next field.
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    log_in(page, server, "checker")
    for path in ("/", "/review/"):
        page.goto(server + path)
        ids = page.eval_on_selector_all(".filters :is(input, select)[id]", "fields => fields.map(f => f.id)")
        boxes = [page.locator(f"#{id_}").bounding_box() for id_ in ids]
        assert len(boxes) >= 4
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = (min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"]) > 1 and
                           min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"]) > 1)
                assert not overlap, (path, width, a, b)
    context.close()
