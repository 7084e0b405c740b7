"""Where the instance folder and the database are, for the CLI and the web app alike."""
from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def instance_path() -> Path:
    """`FACTCHECK_INSTANCE`, else `instance/` of a checkout, else `<prefix>/var/factcheck-instance`."""
    if os.environ.get("FACTCHECK_INSTANCE"):
        return Path(os.environ["FACTCHECK_INSTANCE"]).resolve()
    if (CHECKOUT_DIR / "pyproject.toml").exists():
        return CHECKOUT_DIR / "instance"
    return Path(sys.prefix) / "var" / "factcheck-instance"


def templates_path() -> Path:
    """Top-level `templates/` in a checkout; packed into the package in a wheel."""
    packed = PACKAGE_DIR / "templates"
    return packed if packed.is_dir() else CHECKOUT_DIR / "templates"


def instance_setting(name: str):
    """A setting from `instance/config.py` (the file the web app also reads), or None."""
    path = instance_path() / "config.py"
    return runpy.run_path(str(path)).get(name) if path.is_file() else None


def database_url(explicit: str | None = None) -> str:
    """The SQLAlchemy URL: an explicit one, `FACTCHECK_DATABASE_URL`, `DATABASE_URL` in
    instance/config.py, or SQLite in instance/."""
    url = explicit or os.environ.get("FACTCHECK_DATABASE_URL") or instance_setting("DATABASE_URL")
    if not url:
        folder = instance_path()
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'factcheck.db'}"
    # A bare postgresql:// URL would make SQLAlchemy look for psycopg2; the postgresql extra installs psycopg 3.
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
