"""The editors' desk: incoming articles, flagged quotes, repeated claims, counts, a chart
of flags over time, each article with its quotes and claims, and CSV exports."""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Blueprint, Response, abort, current_app, render_template, request

from ..domain import EDITORS
from ..services.desk import (
    CATEGORIES,
    desk_article,
    desk_articles,
    flagged_quotes,
    flags_by_week,
    outlet_counts,
    repeat_claims,
    speaker_counts,
    verdict_rows,
    window_start,
)
from . import db
from .auth import role_required
from .display import Span, day, paragraphs
from .paging import page_number

bp = Blueprint("desk", __name__, url_prefix="/desk")

REPEATS_SHOWN = 20


@bp.route("/")
@role_required(*EDITORS)
def index():
    """?flag= narrows the flagged quotes to one of CATEGORIES; ?page= pages the articles."""
    session = db.session()
    size = current_app.config["PAGE_SIZE"]
    category = request.args.get("flag", "")
    category = category if category in CATEGORIES else ""
    today = dt.date.today()
    since = window_start(today)
    return render_template(
        "desk/index.html", page=desk_articles(session, page_number(), size), categories=CATEGORIES,
        category=category, flagged=flagged_quotes(session, category, page_number("fpage"), size),
        repeats=repeat_claims(session, REPEATS_SHOWN), outlets=outlet_counts(session, since),
        speakers=speaker_counts(session, since), weeks=flags_by_week(session, today), since=since,
    )


@bp.route("/article/<id:article_id>")
@role_required(*EDITORS)
def article(article_id: int):
    page = desk_article(db.session(), article_id) or abort(404)
    # Each quote and claim is marked in the text and numbered (Q1, C1); the number links to its row below.
    spans = [Span(q.start, q.end, "flagged" if q.id in page.flagged else "quote", ref=(f"Q{n}", f"quote-{q.id}"))
             for n, q in enumerate(page.quotes, start=1)]
    # A claim that is not check-worthy is marked apart (it is in no queue or desk list).
    spans += [Span(c.start, c.end, "claim" if c.checkworthy else "claim not-checkworthy",
                   ref=(f"C{n}", f"claim-{c.id}"))
              for n, c in enumerate(page.claims, start=1)]
    return render_template(
        "desk/article.html", article=page.article, outlet=page.outlet, text=paragraphs(page.article.text, spans),
        quotes=page.quotes, claims=page.claims, flagged=page.flagged,
    )


@bp.route("/export/verdicts.csv")
@role_required(*EDITORS)
def export_verdicts():
    """Every verdict (its current version), published or not."""
    header = ["verdict_id", "kind", "status", "rating", "version", "reviewer", "text", "speaker", "article_title",
              "article_url", "outlet", "first_published", "updated"]
    rows = (
        [row.id, row.kind, row.status, row.rating, row.version, row.reviewer, row.text, row.speaker,
         row.article_title or "", row.article_url or "", row.outlet or "", day(row.first_published_at), day(row.updated_at)]
        for row in verdict_rows(db.session())
    )
    return csv_response("verdicts.csv", header, rows)


@bp.route("/export/flagged.csv")
@role_required(*EDITORS)
def export_flagged():
    """The flagged quotes (?flag= as on the desk)."""
    category = request.args.get("flag", "")
    header = ["quote_id", "label", "flags", "status", "speaker", "text", "article_title", "article_url", "outlet",
              "published"]
    rows = (
        [quote.id, quote.label, " ".join(quote.flags), quote.status, quote.speaker_name or "", quote.text,
         quote.article_title or "", quote.article_url or "", quote.outlet or "", day(quote.published)]
        for quote in flagged_quotes(db.session(), category if category in CATEGORIES else "", 1, None)
    )
    return csv_response("flagged-quotes.csv", header, rows)


def csv_response(filename: str, header: list[str], rows) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def safe_cell(value):
    """A cell a spreadsheet will not run: text starting with = + - @ (or a tab or CR) could
    be taken for a formula, so it gets a leading apostrophe (OWASP's advice on CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
