"""A read-only JSON API of published verdicts; no login, like the public pages."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify

from ..domain import VerdictStatus
from ..services.verdict_views import VerdictFilters, VerdictView, corrections, published_verdicts, said_on, verdict_view
from . import db
from .claimreview import claim_review
from .display import day, http_url
from .paging import page_number
from .urls import absolute_url

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.errorhandler(404)
def not_found(_error):
    return jsonify(error="not found"), 404


@bp.route("/verdicts")
def verdicts():
    """?page=N of the published verdicts, newest first."""
    page = published_verdicts(db.session(), VerdictFilters(), page_number(), current_app.config["PAGE_SIZE"])
    return jsonify(
        verdicts=[summary(view) for view in page.items],
        page=page.number, pages=page.pages, total=page.total,
        next=absolute_url(".verdicts", page=page.number + 1) if page.has_next else None,
    )


@bp.route("/verdicts/<id:verdict_id>")
def verdict(verdict_id: int):
    view = verdict_view(db.session(), verdict_id)
    if view is None or view.verdict.status != VerdictStatus.PUBLISHED:
        abort(404)
    data = summary(view)
    data.update(
        explanation=view.version.explanation,
        evidence=view.version.evidence,
        corrections=[{"date": day(v.created_at), "note": v.note} for v in corrections(db.session(), view.verdict)],
        claim_review=claim_review(view, data["url"], current_app.config["PUBLISHER_NAME"], said_on(db.session(), view)),
    )
    return jsonify(data)


def summary(view: VerdictView) -> dict:
    article, rating = view.article, view.rating
    return {
        "id": view.verdict.id,
        "url": absolute_url("public.verdict", verdict_id=view.verdict.id),
        "kind": view.kind,
        "text": view.target.text,
        "speaker": view.speaker,
        "rating": view.version.rating,
        "rating_value": rating.value if rating else None,
        "published": day(view.verdict.first_published_at),
        "version": view.version.version,
        "article": {
            "title": article.title, "url": http_url(article.url), "published": day(article.published) or None,
            "outlet": view.outlet.name if view.outlet else None,
        } if article else None,
    }
