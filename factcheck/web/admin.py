"""Administration: accounts and the audit log."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..domain import Role
from ..services.audit import recent_audit
from ..services.users import all_users, create_user, set_active, set_role, user_by_id
from . import db
from .auth import role_required
from .forms import CreateUserForm, UserActiveForm, UserRoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_ROWS = 100


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def index():
    session = db.session()
    form = CreateUserForm()
    status = 200
    if form.validate_on_submit():
        user = db.refused_on_form(form, lambda: create_user(
            session, form.username.data.strip(), form.password.data, form.role.data, actor=current_user.user))
        if user is not None:
            flash(f"Created {user.role} {user.username}.", "success")
            return redirect(url_for(".index"))
    if form.is_submitted():
        status = 422
    return admin_page(form, status)


def admin_page(form: CreateUserForm, status: int = 200):
    session = db.session()
    users = all_users(session)
    # One role form per account; its select is named user-<id>-role, so that the ids differ.
    role_forms = {user.id: UserRoleForm(formdata=None, prefix=f"user-{user.id}", role=user.role) for user in users}
    return render_template("admin/index.html", form=form, users=users, role_forms=role_forms,
                           audit=recent_audit(session, AUDIT_ROWS)), status


@bp.route("/users/<id:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def user_role(user_id: int):
    """Change an account's role (the form's field is named user-<id>-role)."""
    session = db.session()
    user = user_by_id(session, user_id) or abort(404)
    form = UserRoleForm(prefix=f"user-{user.id}")
    if not form.validate_on_submit():
        flash("The role was not changed: " + "; ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for(".index"))
    return db.change_and_redirect(
        lambda: set_role(session, user, form.role.data, actor=current_user.user),
        refused="The role was not changed", done=f"{user.username} is now {form.role.data}.", to=url_for(".index"),
    )


@bp.route("/users/<id:user_id>/active", methods=["POST"])
@role_required(Role.ADMIN)
def user_active(user_id: int):
    """Deactivate (active=0) or reactivate (active=1) an account."""
    session = db.session()
    user = user_by_id(session, user_id) or abort(404)
    form = UserActiveForm()
    if not form.validate_on_submit():
        flash("Nothing was changed: the form is damaged or expired.", "error")
        return redirect(url_for(".index"))
    active = form.active.data == "1"
    return db.change_and_redirect(
        lambda: set_active(session, user, active, actor=current_user.user),
        refused="Nothing was changed", done=f"{user.username} is {'active again' if active else 'deactivated'}.",
        to=url_for(".index"),
    )
