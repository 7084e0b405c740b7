"""Administration: accounts and the audit log."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..errors import InputError
from ..services.users import create_user
from . import db
from .auth import role_required
from .forms import CreateUserForm
from .queries import all_users, recent_audit

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_ROWS = 100


@bp.route("/", methods=["GET", "POST"])
@role_required("admin")
def index():
    session = db.session()
    form = CreateUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_user(session, form.username.data.strip(), form.password.data, form.role.data,
                               actor=current_user.user)
        except InputError as exc:
            session.rollback()
            form.form_errors.append(str(exc))
        else:
            flash(f"Created {user.role} {user.username}.", "success")
            return redirect(url_for(".index"))
    if form.is_submitted():
        status = 422
    return render_template("admin/index.html", form=form, users=all_users(session),
                           audit=recent_audit(session, AUDIT_ROWS)), status
