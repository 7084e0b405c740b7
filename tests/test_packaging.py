"""An installed wheel carries what a checkout has beside the code: templates, data, migrations."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from factcheck import config

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_finds_the_top_level_templates():
    assert config.templates_path() == ROOT / "templates"
    assert (config.templates_path() / "base.html").is_file()


def test_an_installed_package_finds_its_packed_templates(tmp_path, monkeypatch):
    (tmp_path / "templates").mkdir()
    monkeypatch.setattr(config, "PACKAGE_DIR", tmp_path)
    assert config.templates_path() == tmp_path / "templates"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True)
    if built.returncode:
        pytest.skip(f"could not build a wheel here: {built.stderr.strip()[-200:]}")
    return next(out.glob("factcheck-*.whl"))


def test_the_wheel_packs_templates_data_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "factcheck/templates/base.html",
        "factcheck/rating_scales.json",
        "factcheck/samples/statements.jsonl",
        "factcheck/store/migrations/env.py",
        "factcheck/store/migrations/script.py.mako",
        "factcheck/store/migrations/versions/0001_initial_schema.py",
        "factcheck/static/style.css",
    }
    assert expected <= names
    assert any(n.startswith("factcheck/pipeline/lexicons/") and n.endswith(".txt") for n in names)
