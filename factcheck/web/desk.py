"""The editors' desk: incoming articles and their flagged quotes."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from ..store.models import Article, Outlet
from . import db
from .auth import EDITORS, role_required
from .display import Span, paragraphs
from .paging import page_number
from .queries import article_claims, article_quotes, desk_articles, is_flagged

bp = Blueprint("desk", __name__, url_prefix="/desk")


@bp.route("/")
@role_required(*EDITORS)
def index():
    page = desk_articles(db.session(), page_number(), current_app.config["PAGE_SIZE"])
    return render_template("desk/index.html", page=page)


@bp.route("/article/<int:article_id>")
@role_required(*EDITORS)
def article(article_id: int):
    session = db.session()
    row = session.get(Article, article_id) or abort(404)
    quotes = article_quotes(session, row)
    # Each quote is marked in the text and numbered; the number links to its row below.
    spans = [Span(q.start, q.end, "flagged" if is_flagged(q) else "quote", ref=(n, q))
             for n, q in enumerate(quotes, start=1)]
    return render_template(
        "desk/article.html", article=row, outlet=session.get(Outlet, row.outlet_id) if row.outlet_id else None,
        text=paragraphs(row.text, spans), quotes=quotes, claims=article_claims(session, row), is_flagged=is_flagged,
    )
