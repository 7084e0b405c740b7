"""The web forms. Every FlaskForm carries a CSRF token; rules about content live in services.

Templates render their own <button>s, so the forms have no submit fields.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (FieldList, Form, FormField, HiddenField, IntegerField, PasswordField, SelectField, StringField,
                     TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..domain import Role, VerdictStatus
from ..services.monitoring import DEFAULT_EVERY
from ..services.users import USERNAME_MAX

# How the verdict form names each verdict status (domain.VerdictStatus).
STATUS_LABELS = {VerdictStatus.DRAFT: "Draft", VerdictStatus.SECOND_REVIEW: "Submit for second review",
                 VerdictStatus.PUBLISHED: "Published", VerdictStatus.UNPUBLISHED: "Unpublished"}

EVIDENCE_ROWS = 3


class LoginForm(FlaskForm):
    # No account has a longer name: a longer one is refused before it is counted as a failure.
    username = StringField("Username", validators=[DataRequired(), Length(max=USERNAME_MAX)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired()], render_kw={"autocomplete": "current-password"})


class EvidenceForm(Form):
    """One evidence row; a plain Form because the verdict form's CSRF token covers it."""

    # No Optional() here: it would skip validate_url below when the link is empty.
    url = StringField("Link", validators=[Length(max=2000)], render_kw={"type": "url", "inputmode": "url"})
    title = StringField("Title", validators=[Optional(), Length(max=300)])
    note = StringField("Note", validators=[Optional(), Length(max=1000)])

    def validate_url(self, field):
        if not field.data and (self.title.data or self.note.data):
            raise ValidationError("An evidence row with a title or note needs a link.")


class VerdictForm(FlaskForm):
    rating = SelectField("Rating", validators=[DataRequired()])
    explanation = TextAreaField("Explanation", validators=[DataRequired(), Length(max=20000)])
    evidence = FieldList(FormField(EvidenceForm), min_entries=EVIDENCE_ROWS, max_entries=EVIDENCE_ROWS)
    status = SelectField("Status", choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()])
    note = TextAreaField("Correction note", validators=[Optional(), Length(max=2000)],
                         description="Say what changed and why; required when changing a published verdict.")
    # The version this form was filled from: a save on top of a newer one is refused.
    base_version = HiddenField(default="0")

    def validate_base_version(self, field):
        if not str(field.data).isdigit():
            raise ValidationError("The form is damaged: reload the page.")


class CreateUserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=40)], render_kw={"autocomplete": "off"})
    password = PasswordField("Password", validators=[DataRequired()], render_kw={"autocomplete": "new-password"})
    role = SelectField("Role", choices=list(Role))


class UserRoleForm(FlaskForm):
    """An admin changes an account's role (admin.user_role)."""

    role = SelectField("Role", choices=list(Role))


class UserActiveForm(FlaskForm):
    """An admin deactivates or reactivates an account (admin.user_active)."""

    active = HiddenField(validators=[AnyOf(("0", "1"))])


class SourceForm(FlaskForm):
    """An editor adds a feed to watch (monitoring.sources)."""

    url = StringField("Feed URL (RSS or Atom)", validators=[DataRequired(), Length(max=2000)],
                      render_kw={"type": "url", "inputmode": "url"})
    every = IntegerField("Poll every (minutes)", default=DEFAULT_EVERY,
                         validators=[InputRequired(), NumberRange(min=0, max=7 * 24 * 60)],
                         description="0 polls at every pass of a worker.")


class SourcePausedForm(FlaskForm):
    """Pause (paused=1) or resume (paused=0) a source (monitoring.source_paused)."""

    paused = HiddenField(validators=[AnyOf(("0", "1"))])


class AddArticleForm(FlaskForm):
    """Staff queue an article by its URL or its pasted text (monitoring.incoming)."""

    url = StringField("Article URL", validators=[Optional(), Length(max=2000)],
                      render_kw={"type": "url", "inputmode": "url"})
    title = StringField("Title (for pasted text)", validators=[Optional(), Length(max=300)])
    text = TextAreaField("Or paste the article's text", validators=[Optional(), Length(max=200_000)])
