"""The fact-checkers' pages: the queue, and one page per quote or claim with its verdict form."""
from __future__ import annotations

import datetime as dt
from dataclasses import astuple

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from ..domain import LABELS, QUEUE_STATUSES, STAFF, Flag, ItemKind, VerdictStatus
from ..errors import InputError
from ..services.queue import SORTS, QueueFilters, holders, outlet_choices, review_queue
from ..services.ratings import scale_for
from ..services.review import NotFound, assign, record_review_verdict, set_match_feedback
from ..services.verdict_views import (
    ReviewItem,
    candidate_sources,
    current_text,
    review_article,
    review_item,
    speaker_filter,
    verdict_history,
)
from ..services.verdicts import Evidence, NotAllowed, VersionConflict, VersionText
from . import db
from .cache import cached
from .auth import local_target, role_required
from .display import Span, paragraphs
from .forms import STATUS_LABELS, VerdictForm
from .ids import bounded_number
from .paging import page_number

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("/")
@role_required(*STAFF)
def queue():
    """Quotes and claims not published yet, narrowed by the query string (see queue_filters)."""
    session = db.session()
    filters = queue_filters(session)
    number, size = page_number(), current_app.config["PAGE_SIZE"]
    # The same for every member of staff until anything is written (cache.py).
    held = cached_holders(session)
    speaker = request.args.get("speaker", "").strip()

    # The filter offers every label (domain.LABELS), not the labels in use: finding those
    # would read every queued row on every page view.
    def filters_html() -> Markup:
        return Markup(render_template(
            "review/_queue_filters.html", f=filters, labels=LABELS, statuses=QUEUE_STATUSES, kinds=tuple(ItemKind),
            flags=tuple(Flag), sorts=SORTS, outlets=outlet_choices(session), speaker=speaker,
            holder_options=[(user.id, user.username) for user, _count in held]))

    def list_html() -> str:
        page = review_queue(session, filters, number, size, cached)
        return render_template("review/_queue_list.html", page=page, token=TOKEN_PLACEHOLDER, back=request.full_path)

    rows = cached(("queue list", astuple(filters), request.full_path, size), list_html)
    return render_template("review/queue.html", holders=held, list_html=Markup(rows.replace(TOKEN_PLACEHOLDER, generate_csrf())),
                           filters_html=cached(("queue filters", astuple(filters), speaker), filters_html))


def cached_holders(session) -> list[tuple]:
    return cached(("holders",), lambda: holders(session))


def queue_filters(session) -> QueueFilters:
    """The queue's filters from ?kind= &status= &label= &flag= &outlet= &speaker= (a name)
    &since= &until= (YYYY-MM-DD) &mine=1 &holder= (a user id) &sort=; nonsense is ignored."""
    args = request.args
    holder = current_user.user_id if args.get("mine") else args.get("holder", type=bounded_number)
    return QueueFilters(
        kind=_choice("kind", tuple(ItemKind)), status=_choice("status", QUEUE_STATUSES),
        label=_choice("label", LABELS), flag=_choice("flag", tuple(Flag)), outlet_id=args.get("outlet", type=bounded_number),
        person_id=speaker_filter(session, args.get("speaker", "")),
        since=_date("since"), until=_date("until"), holder_id=holder, sort=_choice("sort", tuple(SORTS)) or "newest",
    )


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    """The query-string value `name` if it is one of `allowed`, else "" (no filter)."""
    value = request.args.get(name, "")
    return value if value in allowed else ""


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("/<any(quote, claim):kind>/<id:item_id>/assign", methods=["POST"])
@role_required(*STAFF)
def assign_item(kind: str, item_id: int):
    """Take an item (to=me), hand it to a colleague (to=<user id>) or give it back (to=)."""
    session = db.session()
    to = request.form.get("to", "")
    if to not in ("", "me") and not to.isdigit():
        abort(404)
    try:
        assignee = assign(session, kind, item_id, current_user.user_id if to == "me" else (int(to) if to else None),
                          current_user.user)
    except NotFound:
        abort(404)
    except InputError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".item", kind=kind, item_id=item_id))
    flash(f"{kind.capitalize()} {item_id} is now held by {assignee}." if assignee
          else f"{kind.capitalize()} {item_id} is back in the pool.", "success")
    return redirect(local_target(request.form.get("next")) or url_for(".item", kind=kind, item_id=item_id))


@bp.route("/match/<id:match_id>/feedback", methods=["POST"])
@role_required(*STAFF)
def match_feedback(match_id: int):
    """Confirm or reject a candidate source (or clear that), then back to the review page."""
    try:
        kind, item_id = set_match_feedback(db.session(), match_id, request.form.get("feedback", ""), current_user.user)
    except NotFound:
        abort(404)
    except InputError:
        abort(400)
    flash({"confirm": "Source confirmed.", "reject": "Source rejected.", "clear": "Feedback cleared."}[
        request.form["feedback"]], "success")
    return redirect(url_for(".item", kind=kind, item_id=item_id) + f"#match-{match_id}")


@bp.route("/<any(quote, claim):kind>/<id:item_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def item(kind: str, item_id: int):
    session = db.session()
    target = review_item(session, kind, item_id) or abort(404)
    status, conflict = 200, None
    if request.method == "GET" and target.verdict is None:
        form_html = blank_form_html(kind)  # the same every time: no form is even built once it is stored
    else:
        form = verdict_form(kind, current_text(session, target.verdict) if target.verdict else None)
        if form.validate_on_submit():
            saved, status, conflict = try_save(form, target)
            if saved:
                flash(f"Saved version {saved.version} of the verdict ({saved.status}).", "success")
                return redirect(url_for(".item", kind=kind, item_id=item_id))
        elif form.is_submitted():
            status = 422
        if request.method == "POST":
            target = review_item(session, kind, item_id)  # read again: a refused save was rolled back
        form_html = Markup(render_template("review/_verdict_form.html", form=form))
    article = review_article(session, target.article_id)
    verdict = target.verdict
    return render_template(
        "review/item.html", kind=kind, target=target, article=article, form_html=form_html,
        excerpt=excerpt(article, target), sources=candidate_sources(session, target),
        verdict=verdict, history=verdict_history(session, verdict) if verdict else [], conflict=conflict,
        holder=target.holder, colleagues=cached_holders(session),
    ), status


def try_save(form: VerdictForm, target: ReviewItem):
    """Save the form's verdict: (the new version, 200, None), or (None, an error status, the
    version saved meanwhile by someone else if that is why) with the reason added to the form."""
    session = db.session()
    try:
        return save_verdict(form, target), 200, None
    except VersionConflict as exc:
        session.rollback()  # drop whatever the refused call flushed
        # Saving again now is a deliberate choice to replace their version.
        form.base_version.data = str(exc.current.version if exc.current else 0)
        form.form_errors.append(str(exc))
        return None, 409, exc.current
    except NotAllowed as exc:
        session.rollback()
        form.status.errors.append(str(exc))
        return None, 403, None
    except InputError as exc:
        session.rollback()
        form.form_errors.append(str(exc))
        return None, 422, None


# Stands for the CSRF token in stored markup (the queue's rows, a blank verdict form). No
# token contains "<", and text from users is stored escaped ("&lt;"): only the places
# meant for the token hold it.
TOKEN_PLACEHOLDER = Markup("<csrf-token>")


def blank_form_html(kind: str) -> Markup:
    """The blank verdict form (a GET, no verdict yet). Building and rendering WTForms
    fields is the costliest part of the review page, and a blank form is the same every
    time but for its CSRF token: it is rendered once per kind and kind of reader and
    stored with a placeholder where the token goes, put back for each request."""
    token = generate_csrf()
    key = (kind, bool(current_app.config["SECOND_REVIEW"]), current_user.is_editor)
    store = current_app.extensions.setdefault("factcheck.blank_forms", {})
    html = store.get(key)
    if html is None:
        html = render_template("review/_verdict_form.html", form=verdict_form(kind, None))
        if html.count(token) != 1:  # store no token, nor a form without its one token
            return Markup(html)
        html = store[key] = html.replace(token, TOKEN_PLACEHOLDER)
    return Markup(html.replace(TOKEN_PLACEHOLDER, token))


def verdict_form(kind: str, current: VersionText | None) -> VerdictForm:
    """The verdict form: the request's data on a POST, else filled from the current version."""
    if current is not None and request.method == "GET":
        form = VerdictForm(data={
            "rating": current.rating, "explanation": current.explanation, "status": current.status,
            "evidence": current.evidence, "base_version": str(current.version),
        })
    else:
        form = VerdictForm()
    form.rating.choices = scale_for(kind).names()
    # "Submit for second review" is offered only where the newsroom switched it on.
    form.status.choices = [SelectChoice(value, label) for value, label in STATUS_LABELS.items()
                           if value != VerdictStatus.SECOND_REVIEW or current_app.config["SECOND_REVIEW"]]
    return form


def save_verdict(form: VerdictForm, target: ReviewItem) -> VersionText:
    """The form's verdict saved on `target` (a quote or claim): the new version."""
    evidence = [
        Evidence(url, (row.title.data or "").strip(), (row.note.data or "").strip())
        for row in form.evidence
        if (url := (row.url.data or "").strip())
    ]
    return record_review_verdict(
        db.session(), target.kind, target.id, rating=form.rating.data, explanation=form.explanation.data,
        evidence=evidence, status=form.status.data, reviewer=current_user.user, note=form.note.data,
        base_version=int(form.base_version.data), second_review=current_app.config["SECOND_REVIEW"],
    )


def excerpt(article, target: ReviewItem) -> list:
    """The paragraphs around the quote or claim, with it (and a quote's speaker mention) marked."""
    spans = [Span(target.start, target.end, "target")]
    if target.mention_start is not None and target.mention_end is not None:
        spans.append(Span(target.mention_start, target.mention_end, "mention"))
    return paragraphs(article.text, spans, min(s.start for s in spans), max(s.end for s in spans))
