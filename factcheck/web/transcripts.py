"""/desk/transcripts/: imported transcripts, and each one's sentences ranked by
check-worthiness, each shown in its turn, so a desk knows which sentences of a debate to
check first."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from ..domain import STAFF
from ..services.paging import Page
from ..services.transcripts import rank_transcript, transcript, transcripts
from . import db
from .auth import role_required
from .paging import page_number

bp = Blueprint("transcripts", __name__, url_prefix="/desk/transcripts")


@bp.route("/")
@role_required(*STAFF)
def index():
    return render_template("desk/transcripts.html", transcripts=transcripts(db.session()))


@bp.route("/<id:transcript_id>")
@role_required(*STAFF)
def ranked(transcript_id: int):
    """?speaker= keeps one speaker's sentences; ?page= pages the ranking."""
    document = transcript(db.session(), transcript_id)
    if document is None:
        abort(404)
    everyone = rank_transcript(db.session(), transcript_id)
    speaker = request.args.get("speaker") or None
    rows = [r for r in everyone if speaker is None or r.turn.speaker_name == speaker]
    size = current_app.config["PAGE_SIZE"]
    number = page_number()
    page = Page(rows[(number - 1) * size : number * size], number, size, len(rows))
    return render_template(
        "desk/transcript.html", transcript=document, speaker=speaker,
        speakers=sorted({r.turn.speaker_name for r in everyone}), page=page,
    )
