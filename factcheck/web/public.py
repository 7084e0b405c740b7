"""Pages for everyone: the index of published verdicts, one page per verdict and per
speaker, and an Atom feed."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask_login import current_user
from markupsafe import Markup

from ..domain import ItemKind, VerdictStatus
from ..services.people import speaker as speaker_of
from ..services.ratings import scales
from ..services.verdict_views import (
    VerdictFilters,
    VerdictView,
    corrections,
    published_verdicts,
    said_on,
    speaker_filter,
    verdict_view,
)
from . import db
from .cache import cached
from .claimreview import claim_review
from .display import json_ld
from .paging import page_number
from .urls import absolute_url

bp = Blueprint("public", __name__)

FEED_ENTRIES = 50


@bp.route("/")
def index():
    """?q= searches; ?rating=, ?kind= (quote or claim) and ?speaker= (a name) filter.

    The list is the same for every visitor: it is rendered once per query string and
    kept until a verdict (or anything else) changes (cache.py)."""
    body = cached(("index", request.query_string, current_app.config["PAGE_SIZE"]), index_body)
    return render_template("public/index.html", body=body)


def index_body() -> Markup:
    session = db.session()
    speaker = request.args.get("speaker", "").strip()
    kind = request.args.get("kind", "")
    ratings = sorted({name for scale in scales().values() for name in scale.names()})
    rating = request.args.get("rating", "")
    filters = VerdictFilters(
        search=request.args.get("q", "").strip(), rating=rating if rating in ratings else "",
        kind=kind if kind in tuple(ItemKind) else "", person_id=speaker_filter(session, speaker),
    )
    page = published_verdicts(session, filters, page_number(), current_app.config["PAGE_SIZE"], cached)
    return Markup(render_template("public/_index_body.html", page=page, f=filters, speaker=speaker, ratings=ratings,
                                  filtered=bool(filters.search or filters.rating or filters.kind or speaker)))


def visible_verdict(verdict_id: int) -> VerdictView:
    """The verdict if this visitor may see it: anyone when published, else only staff (a preview).

    Everyone else gets a 404, so that unpublished work does not even show that it exists.
    """
    view = verdict_view(db.session(), verdict_id)
    if view is None or (view.verdict.status != VerdictStatus.PUBLISHED and not current_user.is_authenticated):
        abort(404)
    return view


@dataclass(frozen=True)
class VerdictPage:
    """The parts of a verdict page that are the same for every visitor."""

    title: str  # the words checked (the template shortens them)
    claim_review: Markup | None
    body: Markup


@bp.route("/verdicts/<id:verdict_id>")
def verdict(verdict_id: int):
    """One verdict. A published one is rendered once and kept until anything changes
    (cache.py): a correction shows at once. A preview of unpublished work is never kept."""
    page = cached(("verdict", verdict_id), lambda: verdict_page(verdict_id, published_only=True))
    if page is None:  # not published (or no such verdict): staff may preview it, uncached
        page = verdict_page(verdict_id)
    return render_template("public/verdict.html", page=page)


def verdict_page(verdict_id: int, published_only: bool = False) -> VerdictPage | None:
    """The rendered parts of a verdict's page; None (published_only) when it is not published."""
    view = verdict_view(db.session(), verdict_id)
    if published_only:
        if view is None or view.verdict.status != VerdictStatus.PUBLISHED:
            return None
    else:
        view = visible_verdict(verdict_id)
    published = view.verdict.status == VerdictStatus.PUBLISHED
    markup = None
    if published:
        markup = json_ld(claim_review(view, absolute_url("public.verdict", verdict_id=verdict_id),
                                      current_app.config["PUBLISHER_NAME"], said_on(db.session(), view)))
    # A verdict with one version has no corrections: no need to read its versions.
    history = corrections(db.session(), view.verdict) if view.verdict.current_version > 1 else []
    body = render_template("public/_verdict_body.html", view=view, published=published, corrections=history)
    return VerdictPage(view.target.text, markup, Markup(body))


@bp.route("/speakers/<id:person_id>")
def speaker(person_id: int):
    """A person or organisation, with its other names and the published verdicts on its quotes."""
    session = db.session()
    found = speaker_of(session, person_id) or abort(404)
    page = published_verdicts(session, VerdictFilters(person_id=person_id), page_number(),
                              current_app.config["PAGE_SIZE"])
    return render_template("public/speaker.html", person=found, aliases=found.other_names, page=page)


@bp.route("/verdicts.atom")
def feed():
    """The latest published verdicts as an Atom feed (RFC 4287)."""
    page = published_verdicts(db.session(), VerdictFilters(), 1, FEED_ENTRIES)
    response = make_response(render_template("public/feed.xml", entries=page.items))
    response.mimetype = "application/atom+xml"
    return response
