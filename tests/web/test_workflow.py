"""The workflow: new → in review → (awaiting second review) → published, and corrections."""
import pytest
from sqlmodel import Session

from factcheck.store.models import Quote

from .conftest import publish, seed, submit, verdict_data

pytestmark = pytest.mark.db


def quote_status(engine, quote_id: int) -> str:
    with Session(engine) as session:
        return session.get(Quote, quote_id).status


def test_without_second_review_the_option_is_not_offered_or_accepted(engine, as_user):
    seeded = seed(engine)
    url = f"/review/quote/{seeded.quote_id}"
    checker = as_user("checker")
    assert "Submit for second review" not in checker.get(url).text
    response = submit(checker, url, verdict_data("second_review"))
    assert response.status_code == 422  # not a choice of this form
    assert quote_status(engine, seeded.quote_id) == "new"


def test_second_review_needs_a_second_person(engine, app, as_user):
    app.config["SECOND_REVIEW"] = True
    seeded = seed(engine)
    url = f"/review/quote/{seeded.quote_id}"
    checker, editor, admin = as_user("checker"), as_user("editor"), as_user("admin")
    assert submit(checker, url, verdict_data("draft")).status_code == 302
    assert quote_status(engine, seeded.quote_id) == "in_review"
    # An editor cannot skip the second review ...
    response = submit(editor, url, verdict_data("published"))
    assert response.status_code == 403 and "submit the verdict for second review" in response.text
    # ... nor publish what they submitted themselves.
    assert submit(editor, url, verdict_data("second_review")).status_code == 302
    assert quote_status(engine, seeded.quote_id) == "awaiting_second_review"
    assert "awaiting second review" in checker.get("/review/?status=awaiting_second_review").text
    response = submit(editor, url, verdict_data("published"))
    assert response.status_code == 403 and "someone other than the person who submitted it" in response.text
    assert submit(admin, url, verdict_data("published")).status_code == 302
    assert quote_status(engine, seeded.quote_id) == "published"
    # Corrections of a published verdict need no second review, but a note.
    assert submit(editor, url, verdict_data("published", note="Typo in the explanation.")).status_code == 302


def test_a_correction_is_shown_with_its_date_and_the_old_version_kept(engine, client, as_user):
    seeded = seed(engine)
    verdict_id = publish(engine, seeded.quote_id, explanation="The first explanation.")
    editor = as_user("editor")
    url = f"/review/quote/{seeded.quote_id}"
    submit(editor, url, verdict_data("published", explanation="The corrected explanation.", note="Wrong hearing date."))
    page = client.get(f"/verdicts/{verdict_id}").text
    assert "The corrected explanation." in page and "The first explanation." not in page
    corrections = page.split('id="corrections-heading"', 1)[1]
    assert '<time datetime="' in corrections and "Wrong hearing date." in corrections
    history = editor.get(url).text.split("<summary>History", 1)[1]
    assert "2 versions" in history and "Wrong hearing date." in history
