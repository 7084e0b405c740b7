"""People and organisations for editors: merge two rows that are one person, or split a
wrongly attached name off into a person of its own (services.people does the work)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from ..domain import EDITORS
from ..errors import InputError
from ..services.people import alias_by_id, find_person, merge_people, people_page, person_by_id, person_page, split_alias
from . import db
from .auth import role_required
from .paging import page_number

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.route("/")
@role_required(*EDITORS)
def index():
    """Everyone, by name; ?q= finds a name or alias."""
    session = db.session()
    search = request.args.get("q", "").strip()
    page = people_page(session, search, page_number(), current_app.config["PAGE_SIZE"])
    return render_template("people/index.html", page=page, search=search)


@bp.route("/<id:person_id>")
@role_required(*EDITORS)
def person(person_id: int):
    page = person_page(db.session(), person_id) or abort(404)
    return render_template("people/person.html", person=page.person, aliases=page.aliases, quotes=page.person.quotes)


@bp.route("/<id:person_id>/merge", methods=["POST"])
@role_required(*EDITORS)
def merge(person_id: int):
    """Merge the person named (or numbered) in the form's `other` field into this one."""
    session = db.session()
    keep = person_by_id(session, person_id) or abort(404)
    other_field = request.form.get("other", "").strip().lstrip("#")
    other = person_by_id(session, int(other_field)) if other_field.isdigit() else find_person(session, other_field)
    if other is None:
        flash(f"Nobody called {other_field!r} was found: give a name, an alias or a number from the list.", "error")
        return redirect(url_for(".person", person_id=keep.id))
    try:
        merge_people(session, keep, other, current_user.user)
    except InputError as exc:
        session.rollback()
        flash(str(exc), "error")
    else:
        flash(f"Merged {other.name} into {keep.name}.", "success")
    return redirect(url_for(".person", person_id=keep.id))


@bp.route("/alias/<id:alias_id>/split", methods=["POST"])
@role_required(*EDITORS)
def split(alias_id: int):
    session = db.session()
    alias = alias_by_id(session, alias_id) or abort(404)
    old_id = alias.person_id
    try:
        new = split_alias(session, alias, current_user.user, request.form.get("kind"))
    except InputError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".person", person_id=old_id))
    flash(f"{new.name} is now a person of their own.", "success")
    return redirect(url_for(".person", person_id=new.id))
