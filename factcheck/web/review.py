"""The fact-checkers' pages: the queue, and one page per quote or claim with its verdict form."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..errors import InputError
from ..services.ratings import scale_for
from ..services.verdicts import Evidence, NotAllowed, VersionConflict, current_version, record_verdict, verdict_for
from ..store.models import Article, Claim, Quote, VerdictVersion
from . import db
from .auth import STAFF, role_required
from .display import Span, paragraphs
from .forms import VerdictForm
from .paging import page_number
from .queries import QUEUE_STATUSES, candidate_sources, queue_labels, review_queue, verdict_history

bp = Blueprint("review", __name__, url_prefix="/review")

MODELS = {"quote": Quote, "claim": Claim}


@bp.route("/")
@role_required(*STAFF)
def queue():
    """Quotes and claims not published yet; ?kind=, ?status= and ?label= narrow the list."""
    kind = _choice("kind", tuple(MODELS))
    status = _choice("status", QUEUE_STATUSES)
    session = db.session()
    labels = queue_labels(session)
    label = _choice("label", tuple(labels))
    page = review_queue(session, kind=kind, status=status, label=label, number=page_number(),
                        size=current_app.config["PAGE_SIZE"])
    return render_template("review/queue.html", page=page, kinds=tuple(MODELS), statuses=QUEUE_STATUSES, labels=labels,
                           kind=kind, status=status, label=label)


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    """The query-string value `name` if it is one of `allowed`, else "" (no filter)."""
    value = request.args.get(name, "")
    return value if value in allowed else ""


@bp.route("/<any(quote, claim):kind>/<int:item_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def item(kind: str, item_id: int):
    session = db.session()
    target = session.get(MODELS[kind], item_id) or abort(404)
    verdict = verdict_for(session, target)
    form = verdict_form(kind, current_version(session, verdict) if verdict else None)
    status, conflict = 200, None
    if form.validate_on_submit():
        saved, status, conflict = try_save(form, target)
        if saved:
            flash(f"Saved version {saved.version} of the verdict ({saved.status}).", "success")
            return redirect(url_for(".item", kind=kind, item_id=item_id))
    elif form.is_submitted():
        status = 422
    verdict = verdict_for(session, target)  # read again: a refused save was rolled back
    article = session.get(Article, target.article_id)
    return render_template(
        "review/item.html", kind=kind, target=target, article=article,
        excerpt=excerpt(article, target), sources=candidate_sources(session, target),
        verdict=verdict, history=verdict_history(session, verdict) if verdict else [], conflict=conflict, form=form,
    ), status


def try_save(form: VerdictForm, target: Quote | Claim):
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


def verdict_form(kind: str, current: VerdictVersion | None) -> VerdictForm:
    """The verdict form: the request's data on a POST, else filled from the current version."""
    if current is not None and request.method == "GET":
        form = VerdictForm(data={
            "rating": current.rating, "explanation": current.explanation, "status": current.status,
            "evidence": current.evidence, "base_version": str(current.version),
        })
    else:
        form = VerdictForm()
    form.rating.choices = scale_for(kind).names()
    return form


def save_verdict(form: VerdictForm, target: Quote | Claim) -> VerdictVersion:
    evidence = [
        Evidence(url, (row.title.data or "").strip(), (row.note.data or "").strip())
        for row in form.evidence
        if (url := (row.url.data or "").strip())
    ]
    return record_verdict(
        db.session(), target, rating=form.rating.data, explanation=form.explanation.data, evidence=evidence,
        status=form.status.data, reviewer=current_user.user, note=form.note.data,
        base_version=int(form.base_version.data),
    )


def excerpt(article: Article, target: Quote | Claim) -> list:
    """The paragraphs around the quote or claim, with it (and a quote's speaker mention) marked."""
    spans = [Span(target.start, target.end, "target")]
    if isinstance(target, Quote) and target.mention_start is not None and target.mention_end is not None:
        spans.append(Span(target.mention_start, target.mention_end, "mention"))
    return paragraphs(article.text, spans, min(s.start for s in spans), max(s.end for s in spans))
