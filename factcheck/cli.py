"""The `factcheck` command (its surface is fixed by CONTRACT.md; the work is in services)."""
from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import subprocess
import sys
import traceback
from contextlib import contextmanager

import click

from .errors import InputError


def fail(message: str, code: int = 1) -> None:
    click.echo(f"factcheck: {message}", err=True)
    sys.exit(code)


def reports_errors(command):
    """Bad input becomes one line on stderr and a non-zero exit, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            fail(str(exc))
        except (KeyboardInterrupt, BrokenPipeError):
            sys.exit(130)
        except Exception as exc:  # the reason in one line; the traceback only when asked for
            if os.environ.get("FACTCHECK_DEBUG"):
                traceback.print_exc()
            fail(f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}", code=2)

    return wrapper


def iso_date(_ctx, _param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def engine():
    from .store.db import get_engine

    return get_engine()


def print_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factcheck")
def main():
    """Find quotes, speakers and claims in news articles and check them against known statements."""


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the contract's JSON.")
@click.option("--allow-private", is_flag=True, help="Allow URLs on private or loopback addresses.")
@click.argument("source")
@reports_errors
def extract(as_json: bool, allow_private: bool, source: str):
    """Read one article (file, URL or - for stdin) and print its quotes and claims."""
    from .pipeline.extract import extract as run_extract
    from .pipeline.reading import read_source

    result = run_extract(read_source(source, allow_private=allow_private))
    if as_json:
        print_json(result.to_json())
        return
    article = result.article
    click.echo(f"{article.title or '(untitled)'} — {', '.join(article.authors) or 'no byline'}, {article.published or 'no date'}")
    for q in result.quotes:
        who = q.speaker or (q.speaker_mention.text if q.speaker_mention else "unknown")
        click.echo(f"  “{q.text}” — {who} ({q.speaker_kind}{', partial' if q.partial else ''})")
    for c in result.claims:
        worth = "check-worthy" if c.checkworthy else "not check-worthy"
        click.echo(f"  claim {c.score:.2f} {worth} [{', '.join(c.kinds)}]: {c.text}")


@main.group()
def statements():
    """Known statements: transcripts, official statements, verified quotes."""


@statements.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--speaker-date", callback=iso_date, help="Date of a transcript's turns (YYYY-MM-DD).")
@click.option("--source-url", help="Where a transcript was published.")
@click.option("--background", is_flag=True,
              help="Store the statements and leave their embedding and the re-matching of stored quotes to the workers.")
@reports_errors
def statements_import(file: str, speaker_date, source_url, background):
    """Import FILE (.jsonl, .csv or a `NAME: words` transcript)."""
    from .services.statements import import_statements

    with _progress("importing statements") as advance:
        report = import_statements(engine(), file, speaker_date=speaker_date, source_url=source_url,
                                   on_progress=advance, follow_up=not background)
    for line, reason in report.rejected:
        click.echo(f"{file}:{line}: rejected: {reason}")
    click.echo(report.summary())
    if background:
        from .jobs import Jobs, make_huey

        Jobs(make_huey(), engine()).follow_up()
        click.echo("embedding and re-matching queued for the workers")


class _progress:
    """A progress bar on a terminal; silence when output goes to a file or a pipe."""

    def __init__(self, label: str, length: int | None = None):
        self.bar = click.progressbar(length=length, label=label, file=sys.stderr) if sys.stderr.isatty() else None

    def __enter__(self):
        if self.bar is None:
            return lambda n=1: None
        self.bar.__enter__()
        return self.bar.update

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--speaker")
@click.option("--date", callback=iso_date)
@click.option("--limit", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--mode", type=click.Choice(["quote", "claim"]), default="quote", show_default=True)
@click.option("--batch", type=click.Path(exists=True, dir_okay=False), help="A JSONL file of {text, speaker, date, id}.")
@click.option("--window-days", type=click.IntRange(0), default=30, show_default=True)
@click.argument("text", required=False)
@reports_errors
def match(as_json, speaker, date, limit, mode, batch, window_days, text):
    """Match TEXT (a quote, or a claim with --mode claim) against the known statements."""
    from .services.matching import match_text
    from .services.statements import parse_date
    from .store.db import session_scope

    if bool(batch) == bool(text):
        raise InputError("give either TEXT or --batch FILE")
    with session_scope(engine()) as session:
        if not batch:
            if not text.strip():
                raise InputError("the text to match is empty")
            result = match_text(session, text, speaker=speaker, date=date, mode=mode, limit=limit, window_days=window_days)
            if as_json:
                print_json(result.to_json())
            else:
                _print_match(result)
            return
        for number, item in _jsonl_rows(batch):
            try:
                when = parse_date(item.get("date"))
            except ValueError as exc:
                raise InputError(f"{batch}:{number}: {exc}") from None
            result = match_text(
                session, str(item.get("text") or ""), speaker=item.get("speaker"), date=when,
                mode=mode, limit=limit, window_days=window_days,
            )
            print_json(result.to_json(id=item.get("id")))


def _jsonl_rows(path: str):
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(item, dict) or not str(item.get("text") or "").strip():
                raise InputError(f"{path}:{number}: no 'text'")
            yield number, item


def _print_match(result) -> None:
    click.echo(result.label)
    for m in result.matches:
        s = m.statement
        flags = f" [{', '.join(m.flags)}]" if m.flags else ""
        click.echo(f"  {m.score:5.1f} {m.label}{flags} — {s.speaker}, {s.date or 'undated'} ({s.ref or s.id}): {s.text[:100]}")
        for reason in m.reasons:
            click.echo(f"        {reason}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line (the only output).")
@click.option("--batch", type=click.Path(exists=True, dir_okay=False), required=True)
@reports_errors
def checkworthy(as_json, batch):
    """Score sentences for check-worthiness, one JSON object a line, in input order."""
    from .pipeline.checkworthy import score_batch

    for row in score_batch(item for _n, item in _jsonl_rows(batch)):
        print_json(row)


@main.group()
def users():
    """Accounts."""


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "editor", "checker"]), required=True)
@reports_errors
def users_create(username, role):
    """Create an account; the password comes from stdin, or a prompt on a terminal."""
    from .services.users import create_user
    from .store.db import session_scope

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with session_scope(engine()) as session:
        create_user(session, username, password, role)
    click.echo(f"created {role} {username}")


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--allow-private", is_flag=True, help="Allow URLs on private or loopback addresses.")
@reports_errors
def ingest(sources, allow_private):
    """Store articles (files, folders, URLs, feeds), extract and match them."""
    from .services.articles import ingest_sources

    def show(result):
        if result.error:
            click.echo(f"factcheck: {result.error}", err=True)
        elif not result.created:
            click.echo(f"already stored: {result.source} (article {result.article_id})")
        else:
            click.echo(f"stored: {result.source} (article {result.article_id}): {result.quotes} quotes, "
                       f"{result.flagged} flagged, {result.claims} claims ({result.checkworthy} check-worthy)")

    results = ingest_sources(engine(), list(sources), allow_private=allow_private, on_result=show)
    new = sum(r.created for r in results)
    failed = sum(bool(r.error) for r in results)
    click.echo(f"{len(results)} articles: {new} new, {len(results) - new - failed} already stored, {failed} failed; "
               f"{sum(r.quotes for r in results)} quotes, {sum(r.claims for r in results)} claims "
               f"({sum(r.checkworthy for r in results)} check-worthy)")
    if failed and failed == len(results):
        sys.exit(1)


@main.group()
def sources():
    """The feeds workers watch (RSS or Atom)."""


@sources.command("add")
@click.argument("url")
@click.option("--every", type=int, default=15, show_default=True,
              help="Minutes between polls; 0 polls at every pass of a worker.")
@click.option("--allow-private", is_flag=True, help="Allow the feed and its articles on private or loopback addresses.")
@reports_errors
def sources_add(url, every, allow_private):
    """Watch the feed at URL (adding it again changes nothing)."""
    from .services.monitoring import add_source
    from .store.db import session_scope

    with session_scope(engine()) as session:
        source = add_source(session, url, every=every, allow_private=allow_private)
    click.echo(f"watching {source.url} (source {source.id}), every {source.every} minutes")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object a line (the contract's).")
@reports_errors
def sources_list(as_json):
    """The watched feeds: last poll, status and articles stored from each."""
    from .services.monitoring import source_rows
    from .store.db import reading

    with reading(engine()) as session:
        rows = source_rows(session)
    for row in rows:
        if as_json:
            print_json(row.to_json())
            continue
        polled = row.last_polled.isoformat(timespec="seconds") if row.last_polled else "never polled"
        paused = ", paused" if row.paused else ""
        click.echo(f"{row.id}  {row.url}  every {row.every} min{paused}  {polled}  "
                   f"{row.last_status or 'ok'}  {row.articles} articles")


# Jobs a worker runs at once: while one waits on a host (a slow site, its politeness pause)
# or on the database, another computes. On loopback a job waits a third of its time
# (benchmarks/monitoring.py --profile); on the web, fetches wait far longer.
WORKER_THREADS = 2


@main.command()
@click.option("--burst", is_flag=True, help="Do what is due now, then exit.")
@click.option("--threads", type=click.IntRange(min=1), default=WORKER_THREADS, show_default=True,
              help="Jobs run at once: while one waits on a host or the database, another computes.")
@reports_errors
def worker(burst, threads):
    """Run queued jobs and poll the sources that are due, until stopped (Ctrl-C).

    Jobs go through Redis with FACTCHECK_REDIS_URL set (any number of workers on any number
    of machines share them), else through a file in the instance folder.
    """
    from .jobs import Jobs, engine_when_reachable, make_huey

    if burst:
        click.echo(Jobs(make_huey(blocking=False), engine()).run_burst().line())
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    Jobs(make_huey(), engine_when_reachable(engine)).consumer(threads).run()


WORKERS = click.option("--workers", type=click.IntRange(min=1), help="Server processes [default: one per core].")
NO_WORKER = click.option("--no-worker", is_flag=True,
                         help="Run no job worker beside the web app (when `factcheck worker` runs elsewhere).")


@contextmanager
def job_worker(run: bool):
    """`factcheck worker` in a child process while the web app runs: its own process, since
    the web server forks its workers, and a fork must not copy a running worker's threads.
    It runs in a session of its own, so that Ctrl-C at the terminal (which would stop it
    at once) reaches only the web app, and its stop is the graceful SIGTERM sent here."""
    if not run:
        yield
        return
    from .jobs import STOP_TIMEOUT

    child = subprocess.Popen([sys.executable, "-m", "factcheck", "worker"], start_new_session=True)
    try:
        yield
    finally:
        child.terminate()
        try:
            child.wait(timeout=STOP_TIMEOUT + 10)
        except subprocess.TimeoutExpired:
            child.kill()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@WORKERS
@NO_WORKER
@reports_errors
def serve(host, port, workers, no_worker):
    """Run the web application (gunicorn, one process per core) and a job worker."""
    from . import create_app
    from .web.server import listen_url, serve as run_server

    app = create_app(listening_on=listen_url(host, port))
    with job_worker(not no_worker):
        run_server(app, host, port, workers)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=5000, show_default=True)
@WORKERS
@NO_WORKER
@click.option("--no-serve", is_flag=True, help="Load the sample data and stop.")
@reports_errors
def demo(host, port, workers, no_worker, no_serve):
    """Load the sample data (fictional) and serve it, with a job worker."""
    from .services.demo import load_demo

    summary = load_demo(engine())
    click.echo(summary)
    if not no_serve:
        from . import create_app
        from .web.server import listen_url, serve as run_server

        click.echo(f"demo users: admin / editor / checker, password 'demo-password' — http://{host}:{port}/")
        # The demo is served over plain http (and may be opened from another machine of the
        # network), so its login cookie must not be https-only.
        app = create_app({"SECURE_COOKIES": False}, listening_on=listen_url(host, port))
        with job_worker(not no_worker):
            run_server(app, host, port, workers)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@reports_errors
def backup(path, force):
    """Write a backup of the database to PATH; safe while the server runs.

    SQLite: a copy made with SQLite's backup API (copying factcheck.db itself while the
    server runs is not a backup: it misses what is still in factcheck.db-wal). PostgreSQL:
    a pg_dump archive (--format=custom), which needs pg_dump installed.
    """
    from .services.backup import backup_database

    click.echo(backup_database(engine(), path, force=force).summary("backed up the database to"))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking (required when stdin is not a terminal).")
@reports_errors
def restore(path, yes):
    """Replace the database with the backup at PATH (made by `factcheck backup`).

    Stop the server first: its processes keep pages and statistics in memory that would
    no longer match the database. A backup of an older schema is migrated to the current
    one. On PostgreSQL it needs pg_restore installed.
    """
    from .config import database_url
    from .services.backup import read_backup, restore_database
    from .store.db import make_engine

    # Not engine(): that would first migrate the database the backup is about to replace.
    target = make_engine(database_url())
    try:
        if not yes:
            if not sys.stdin.isatty():
                raise InputError("restore replaces the whole database: pass --yes to confirm")
            read_backup(target, path)  # a file that is no backup is refused before asking
            if not click.confirm(f"Replace the database {target.url.render_as_string()} with {path}?"):
                fail("nothing restored")
        click.echo(restore_database(target, path).summary("restored the database from"))
    finally:
        target.dispose()
