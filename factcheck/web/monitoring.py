"""/desk/sources/ and /desk/incoming/: the feeds workers watch, and the articles on their
way in (editors and admins). The work is in services/monitoring.py; workers do the fetching."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain import EDITORS
from ..services.monitoring import add_source, incoming_items, queue_article, remove_source, set_source_paused, source_rows
from . import db
from .auth import role_required
from .forms import AddArticleForm, SourceForm, SourcePausedForm
from .paging import page_number

bp = Blueprint("monitoring", __name__, url_prefix="/desk")


@bp.route("/sources/", methods=["GET", "POST"])
@role_required(*EDITORS)
def sources():
    session = db.session()
    form = SourceForm()
    if form.validate_on_submit():
        source = db.refused_on_form(form, lambda: add_source(session, form.url.data, every=form.every.data))
        if source is not None:
            flash(f"Watching {source.url}.", "success")
            return redirect(url_for(".sources"))
    status = 422 if form.is_submitted() else 200
    return render_template("desk/sources.html", form=form, sources=source_rows(session)), status


@bp.route("/sources/<id:source_id>/paused", methods=["POST"])
@role_required(*EDITORS)
def source_paused(source_id: int):
    form = SourcePausedForm()
    if not form.validate_on_submit():
        flash("Nothing was changed: the form is damaged or expired.", "error")
        return redirect(url_for(".sources"))
    paused = form.paused.data == "1"
    return db.change_and_redirect(lambda: set_source_paused(db.session(), source_id, paused),
                                  refused="Nothing was changed", to=url_for(".sources"),
                                  done="The source is paused." if paused else "The source is polled again.")


@bp.route("/sources/<id:source_id>/remove", methods=["POST"])
@role_required(*EDITORS)
def source_remove(source_id: int):
    """Stop watching a source (CSRFProtect has checked the form's token)."""
    return db.change_and_redirect(lambda: remove_source(db.session(), source_id),
                                  refused="Nothing was changed", to=url_for(".sources"),
                                  done="The source was removed; the articles stored from it stay.")


@bp.route("/incoming/", methods=["GET", "POST"])
@role_required(*EDITORS)
def incoming():
    """The "Add an article" form, and every incoming item with its state; ?page= pages them."""
    session = db.session()
    form = AddArticleForm()
    if form.validate_on_submit():
        item_id = db.refused_on_form(form, lambda: queue_article(
            session, url=(form.url.data or "").strip() or None, text=form.text.data or None,
            title=form.title.data, user_id=current_user.user_id))
        if item_id is not None:
            jobs = current_app.extensions["factcheck.jobs"]
            db.after_commit(lambda: jobs.queue_item(item_id))
            flash(f"Queued as item {item_id}: a worker will fetch, extract and match it.", "success")
            return redirect(url_for(".incoming"))
    status = 422 if form.is_submitted() else 200
    page = incoming_items(session, page_number(), current_app.config["PAGE_SIZE"])
    return render_template("desk/incoming.html", form=form, page=page), status
