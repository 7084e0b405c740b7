"""The review queue and the review page: context, sources, and recording verdicts."""
import datetime as dt
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from markupsafe import escape
from sqlmodel import Session, select

from factcheck.services import verdicts
from factcheck.services.matching import keep_quote_matches, quote_matches
from factcheck.services.statements import import_statements
from factcheck.store.db import session_scope
from factcheck.store.models import Quote, User, Verdict, VerdictVersion

from .conftest import QUOTE, hidden_inputs, publish, seed, submit, verdict_data

# These pages lean on queries (unions, JSON functions) that must work on PostgreSQL too.
pytestmark = pytest.mark.db


def stored_versions(engine) -> list[VerdictVersion]:
    with Session(engine) as session:
        return list(session.exec(select(VerdictVersion).order_by(VerdictVersion.version)).all())


def test_queue_lists_unpublished_quotes_and_claims_with_filters(engine, as_user):
    seed(engine, quote="The bridge will reopen in March.", title="First", label="altered")
    seed(engine, quote="Every ferry will run on time.", title="Second", label="exact")
    client = as_user("checker")
    page = client.get("/review/").text
    assert "The bridge will reopen in March." in page and "Every ferry will run on time." in page
    assert "Work began in 2023." in page  # the claims too
    # Newest article first.
    assert page.index("Every ferry") < page.index("The bridge will")
    altered = client.get("/review/?label=altered").text
    assert "The bridge will reopen" in altered and "Every ferry" not in altered
    claims = client.get("/review/?kind=claim").text
    assert "Work began in 2023." in claims and "Every ferry" not in claims
    assert "The bridge" not in client.get("/review/?status=in_review").text


def test_queue_is_paginated(engine, as_user, app):
    app.config["PAGE_SIZE"] = 1
    seed(engine, quote="One quote here.", title="A")
    seed(engine, quote="Two quote here.", title="B")
    client = as_user("checker")
    first = client.get("/review/?kind=quote").text
    assert "Page 1 of 2" in first and 'href="/review/?kind=quote&amp;page=2"' in first
    second = client.get("/review/?kind=quote&page=2").text
    assert "One quote here." in second and "Two quote here." not in second


def test_review_page_highlights_the_quote_in_its_paragraph_and_shows_the_diff(engine, as_user):
    seeded = seed(engine)
    page = as_user("checker").get(f"/review/quote/{seeded.quote_id}").text
    assert f'<mark class="target">{QUOTE}</mark>' in page
    assert '<mark class="mention">She</mark>' in page
    assert "The council met again" not in page  # only the quote's own paragraph
    assert "Ana Reyes" in page and "said" in page
    # The diff: the statement's side strikes "may", the quote's side marks "will".
    assert "<del>may</del>" in page and "<ins>will</ins>" in page
    assert "changed word: may → will" in page and "Council hearing" in page
    assert '<option value="Accurate">' in page and '<option value="Pants on fire">' not in page


def test_claim_review_page_uses_the_claim_scale(engine, as_user):
    seeded = seed(engine)
    page = as_user("checker").get(f"/review/claim/{seeded.claim_id}").text
    assert '<mark class="target">Work began in 2023.</mark>' in page
    assert '<option value="Pants on fire">' in page and "date/time" in page


def test_unknown_item_is_404(as_user):
    assert as_user("checker").get("/review/quote/999").status_code == 404


def test_checker_saves_a_draft_but_may_not_publish(engine, as_user):
    seeded = seed(engine)
    client = as_user("checker")
    url = f"/review/quote/{seeded.quote_id}"
    response = submit(client, url, verdict_data("published"))
    assert response.status_code == 403
    assert "Only editors and admins can publish" in response.text
    assert stored_versions(engine) == []
    response = submit(client, url, verdict_data("draft"))
    assert response.status_code == 302
    page = client.get(url).text
    assert "Saved version 1 of the verdict (draft)." in page
    assert hidden_inputs(page)["base_version"] == "1"
    assert "It matches the transcript." in page  # the form is filled from the saved version
    assert [(v.version, v.status) for v in stored_versions(engine)] == [(1, "draft")]


def test_editor_publishes_and_a_correction_needs_a_note(engine, as_user):
    seeded = seed(engine)
    client = as_user("editor")
    url = f"/review/quote/{seeded.quote_id}"
    assert submit(client, url, verdict_data("published")).status_code == 302
    response = submit(client, url, verdict_data("published", explanation="Changed my mind."))
    assert response.status_code == 422 and "correction note" in response.text
    assert submit(client, url, verdict_data("published", note="Fixed a date.")).status_code == 302
    assert [(v.version, v.note) for v in stored_versions(engine)] == [(1, None), (2, "Fixed a date.")]


def test_a_draft_over_a_published_verdict_is_refused(engine, as_user):
    seeded = seed(engine)
    publish(engine, seeded.quote_id)
    url = f"/review/quote/{seeded.quote_id}"
    response = submit(as_user("editor"), url, verdict_data("draft"))
    assert response.status_code == 403 and "would take it off the public site" in response.text
    response = submit(as_user("checker"), url, verdict_data("draft"))
    assert response.status_code == 403 and "only an editor or admin can correct" in response.text
    assert len(stored_versions(engine)) == 1


def test_a_stale_save_is_refused_and_nothing_is_overwritten(engine, as_user):
    seeded = seed(engine)
    url = f"/review/quote/{seeded.quote_id}"
    checker, editor = as_user("checker"), as_user("editor")
    stale_page = checker.get(url).text  # the checker opens the form at version 0 ...
    assert submit(editor, url, verdict_data(explanation="The editor's explanation.")).status_code == 302
    # ... and saves after the editor did.
    response = checker.post(url, data={**hidden_inputs(stale_page), **verdict_data(explanation="The checker's text.")})
    assert response.status_code == 409
    assert "changed by someone else (now version 1)" in response.text
    assert "The editor&#39;s explanation." in response.text  # their version is shown ...
    assert "The checker&#39;s text." in response.text  # ... and the checker's input is kept
    assert hidden_inputs(response.text)["base_version"] == "1"
    versions = stored_versions(engine)
    assert [(v.version, v.explanation) for v in versions] == [(1, "The editor's explanation.")]


def test_simultaneous_saves_of_one_verdict_give_one_save_and_one_conflict(engine, as_user):
    """Two reviewers press save at the same instant, round after round on the same quote:
    the first round races to create the verdict, the later ones to write the next version.
    Each round one save lands and the other gets the conflict page with its text kept."""
    seeded = seed(engine)
    url = f"/review/quote/{seeded.quote_id}"
    clients = {"checker": as_user("checker"), "editor": as_user("editor")}
    for round_ in range(1, 11):
        both_loaded = threading.Barrier(len(clients), timeout=30)

        def save(name: str, round_: int = round_, both_loaded: threading.Barrier = both_loaded):
            client = clients[name]
            form = hidden_inputs(client.get(url).text)
            both_loaded.wait()  # both forms hold the same base_version: now both press save
            return client.post(url, data={**form, **verdict_data(explanation=f"{name} wrote this in round {round_}.")})

        with ThreadPoolExecutor(len(clients)) as pool:
            futures = {name: pool.submit(save, name) for name in clients}
            responses = {name: future.result(timeout=60) for name, future in futures.items()}
        statuses = sorted(response.status_code for response in responses.values())
        assert statuses == [302, 409], f"round {round_}: {statuses}"
        loser = next(name for name, response in responses.items() if response.status_code == 409)
        assert f"{loser} wrote this in round {round_}." in responses[loser].text
        assert "changed by someone else" in responses[loser].text
        assert len(stored_versions(engine)) == round_


def test_a_save_overtaken_between_its_read_and_its_write_is_a_conflict(engine, as_user, monkeypatch):
    """The race made certain: another save commits version 2 after this save has read
    version 1 and checked its base_version, before it writes its own version 2."""
    seeded = seed(engine)
    url = f"/review/quote/{seeded.quote_id}"
    checker = as_user("checker")
    assert submit(checker, url, verdict_data(explanation="The first version.")).status_code == 302
    page = checker.get(url).text
    checked = verdicts.status_refusal

    def overtaken(*args, **kwargs):
        monkeypatch.setattr(verdicts, "status_refusal", checked)  # the other save is checked as usual
        with session_scope(engine) as session:
            editor = session.exec(select(User).where(User.username == "editor")).one()
            verdicts.record_verdict(session, session.get(Quote, seeded.quote_id), rating="Accurate",
                                    explanation="The editor's overtaking version.", evidence=[], status="draft",
                                    reviewer=editor)
        return checked(*args, **kwargs)

    monkeypatch.setattr(verdicts, "status_refusal", overtaken)
    response = checker.post(url, data={**hidden_inputs(page), **verdict_data(explanation="The checker's second text.")})
    assert response.status_code == 409
    assert "changed by someone else (now version 2)" in response.text
    assert "The editor&#39;s overtaking version." in response.text  # theirs is shown ...
    assert "The checker&#39;s second text." in response.text  # ... and the checker's input is kept
    assert hidden_inputs(response.text)["base_version"] == "2"
    assert [v.explanation for v in stored_versions(engine)] == ["The first version.", "The editor's overtaking version."]


def test_bad_evidence_link_is_a_form_error(engine, as_user):
    seeded = seed(engine)
    response = submit(as_user("checker"), f"/review/quote/{seeded.quote_id}",
                      verdict_data(**{"evidence-0-url": "javascript:alert(1)"}))
    assert response.status_code == 422 and "is not an http(s) URL" in response.text
    with Session(engine) as session:
        assert session.exec(select(Verdict)).all() == []


def test_evidence_note_without_a_link_is_a_field_error(engine, as_user):
    seeded = seed(engine)
    response = submit(as_user("checker"), f"/review/quote/{seeded.quote_id}",
                      verdict_data(**{"evidence-1-title": "A title", "evidence-1-url": ""}))
    assert response.status_code == 422 and "needs a link" in response.text
    assert 'aria-invalid="true"' in response.text


def test_review_page_shows_a_run_of_statements_as_one_source_with_its_parts(engine, as_user, tmp_path):
    # A fictional statement imported one sentence a record, and a quote over two of its
    # sentences written with the article's own apostrophe and dash.
    sentences = ["The Vellmar ferry won't run in May - it will run in June.",
                 "Four new boats were ordered from the Skarholm yard last winter."]
    path = tmp_path / "release.jsonl"
    path.write_text("".join(json.dumps({"id": f"R{i}", "text": text, "speaker": "Ilse Corveny", "date": "2025-09-01",
                                        "source_title": "Ferry press release"}) + "\n"
                            for i, text in enumerate(sentences, start=1)), encoding="utf-8")
    import_statements(engine, str(path))
    quote = "The Vellmar ferry won’t run in May — it will run in June. Four new boats were ordered"
    seeded = seed(engine, quote=quote, speaker="Ilse Corveny", title="Ferries")
    with Session(engine) as session:
        row = session.get(Quote, seeded.quote_id)
        keep_quote_matches(session, row, quote_matches(session, [(row.text, row.speaker_name, dt.date(2025, 9, 3))])[0])
        session.commit()
    page = as_user("checker").get(f"/review/quote/{seeded.quote_id}").text
    assert "One source in 2 consecutive statements" in page
    parts = page[page.index("One source in 2"):]
    assert parts.index(escape(sentences[0])) < parts.index(sentences[1])
    # The quote's side of the diff in the article's characters, the source's in its own.
    quote_side = page[page.index('<p class="diff-title">Quote</p>'):]
    assert "won’t run in May — it" in quote_side
    assert escape("won't run in May - it") in page[page.index('<p class="diff-title">Source</p>'):]
