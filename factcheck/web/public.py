"""Pages for everyone: the index of published verdicts and one page per verdict."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_login import current_user

from ..services.verdicts import corrections
from . import db
from .claimreview import claim_review
from .display import json_ld
from .paging import page_number
from .queries import VerdictView, published_verdicts, verdict_view

bp = Blueprint("public", __name__)


@bp.route("/")
def index():
    search = request.args.get("q", "").strip()
    page = published_verdicts(db.session(), search, page_number(), current_app.config["PAGE_SIZE"])
    return render_template("public/index.html", page=page, search=search)


def visible_verdict(verdict_id: int) -> VerdictView:
    """The verdict if this visitor may see it: anyone when published, else only staff (a preview).

    Everyone else gets a 404, so that unpublished work does not even show that it exists.
    """
    view = verdict_view(db.session(), verdict_id)
    if view is None or (view.verdict.status != "published" and not current_user.is_authenticated):
        abort(404)
    return view


@bp.route("/verdicts/<int:verdict_id>")
def verdict(verdict_id: int):
    view = visible_verdict(verdict_id)
    published = view.verdict.status == "published"
    markup = None
    if published:
        url = url_for("public.verdict", verdict_id=verdict_id, _external=True)
        markup = json_ld(claim_review(view, url, current_app.config["PUBLISHER_NAME"]))
    return render_template("public/verdict.html", view=view, published=published, claim_review=markup,
                           corrections=corrections(db.session(), view.verdict))
